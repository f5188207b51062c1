// Package update mirrors IAC's update.Result (iteration made deterministic: sorted files and objects).
package update

import (
	"sort"

	"fluxdiff/yaml"
)

type ObjectIdentifier struct {
	yaml.ResourceIdentifier
}

type Change struct {
	OldValue string
	NewValue string
	Setter   string
}

type ObjectChanges map[ObjectIdentifier][]Change

type Result struct {
	FileChanges map[string]ObjectChanges
}

func less(a, b ObjectIdentifier) bool {
	x := []string{a.APIVersion, a.Kind, a.Name, a.Namespace}
	y := []string{b.APIVersion, b.Kind, b.Name, b.Namespace}
	for i := range x {
		if x[i] != y[i] {
			return x[i] < y[i]
		}
	}
	return false
}

func (r Result) walk(f func(ObjectIdentifier, []Change)) {
	files := make([]string, 0, len(r.FileChanges))
	for k := range r.FileChanges {
		files = append(files, k)
	}
	sort.Strings(files)
	for _, file := range files {
		objs := r.FileChanges[file]
		ids := make([]ObjectIdentifier, 0, len(objs))
		for id := range objs {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return less(ids[i], ids[j]) })
		for _, id := range ids {
			f(id, objs[id])
		}
	}
}

func (r Result) Changes() []Change {
	seen := make(map[Change]struct{})
	var result []Change
	r.walk(func(_ ObjectIdentifier, changes []Change) {
		for _, c := range changes {
			if _, ok := seen[c]; !ok {
				seen[c] = struct{}{}
				result = append(result, c)
			}
		}
	})
	return result
}

func (r Result) Objects() ObjectChanges {
	result := make(ObjectChanges)
	r.walk(func(id ObjectIdentifier, changes []Change) {
		result[id] = append(result[id], changes...)
	})
	return result
}
