// Package types mirrors k8s.io/apimachinery/pkg/types.NamespacedName.
package types

type NamespacedName struct {
	Namespace string
	Name      string
}

func (n NamespacedName) String() string { return n.Namespace + "/" + n.Name }

// MarshalLog is apimachinery's (pkg/types/namespacedname.go): a struct with json tags.
func (n NamespacedName) MarshalLog() interface{} {
	return struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace,omitempty"`
	}{
		Name:      n.Name,
		Namespace: n.Namespace,
	}
}
