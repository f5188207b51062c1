// Command main renders every template of cases.json with Go text/template and
// sprig.HermeticTxtFuncMap() on a fixed TemplateData, and prints JSON results.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/template"

	sprig "github.com/Masterminds/sprig"

	"fluxdiff/source"
	"fluxdiff/types"
	"fluxdiff/update"
	"fluxdiff/yaml"
)

type result struct {
	Template string `json:"template"`
	Ok       bool   `json:"ok"`
	Output   string `json:"output,omitempty"`
	Phase    string `json:"phase,omitempty"`
	Error    string `json:"error,omitempty"`
}

func id(api, kind, name, ns string) update.ObjectIdentifier {
	return update.ObjectIdentifier{ResourceIdentifier: yaml.ResourceIdentifier{
		TypeMeta: yaml.TypeMeta{APIVersion: api, Kind: kind},
		NameMeta: yaml.NameMeta{Name: name, Namespace: ns},
	}}
}

func data() source.TemplateData {
	return source.TemplateData{
		AutomationObject: types.NamespacedName{Namespace: "flux-system", Name: "podinfo"},
		Changed: update.Result{FileChanges: map[string]update.ObjectChanges{
			"base/deployment.yaml": {
				id("apps/v1", "Deployment", "podinfo", "default"): {
					{OldValue: "podinfo:v1.0.0", NewValue: "podinfo:v1.0.1", Setter: "flux-system:podinfo"},
				},
				id("batch/v1", "CronJob", "backup", ""): {
					{OldValue: "backup:1", NewValue: "backup:2", Setter: "flux-system:backup:tag"},
				},
			},
			"overlays/prod/deployment.yaml": {
				id("apps/v1", "Deployment", "podinfo", "default"): {
					{OldValue: "1", NewValue: "2", Setter: "flux-system:replicas"},
					{OldValue: "podinfo:v1.0.0", NewValue: "podinfo:v1.0.1", Setter: "flux-system:podinfo"},
				},
			},
			"kustomization.yaml": {
				id("", "", "", ""): {
					{OldValue: "v1", NewValue: "v2", Setter: "flux-system:kust:tag"},
				},
			},
		}},
		Values: map[string]string{"cluster": "prod", "env": "a<b>&c", "empty": "", "num": "42"},
	}
}

// emptyData is what IAC passes when nothing changed and no messageTemplateValues are set: a zero
// update.Result (nil FileChanges) and a nil Values map.
func emptyData() source.TemplateData {
	return source.TemplateData{AutomationObject: types.NamespacedName{Namespace: "flux-system", Name: "podinfo"}}
}

// emptyMarker starts the templates that run on emptyData instead of data.
const emptyMarker = "{{/* empty */}}"

func main() {
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	var cases []string
	if err := json.Unmarshal(raw, &cases); err != nil {
		panic(err)
	}
	out := make([]result, 0, len(cases))
	for _, c := range cases {
		r := result{Template: c}
		t, err := template.New("commit message").Funcs(sprig.HermeticTxtFuncMap()).Parse(c)
		if err != nil {
			r.Phase, r.Error = "parse", err.Error()
		} else {
			b := &strings.Builder{}
			d := data()
			if strings.HasPrefix(c, emptyMarker) {
				d = emptyData()
			}
			if err := t.Execute(b, d); err != nil {
				r.Phase, r.Error = "exec", err.Error()
			} else {
				r.Ok, r.Output = true, b.String()
			}
		}
		out = append(out, r)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
