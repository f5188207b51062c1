// Differential oracle for our Go regexp / Regexp.Expand / strconv.ParseFloat
// ports (Go standard library only). JSON lines in, JSON lines out:
//   GO111MODULE=off GOCACHE=/tmp/gocache go run main.go < cases.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"math"
	"os"
	"regexp"
	"strconv"
)

type request struct {
	Kind     string   `json:"kind"`
	Pattern  string   `json:"pattern,omitempty"`
	Template string   `json:"template,omitempty"`
	Inputs   []string `json:"inputs"`
}

type result struct {
	Input   string   `json:"input"`
	Match   bool     `json:"match,omitempty"`
	Expand  *string  `json:"expand,omitempty"`
	Replace string   `json:"replace,omitempty"`
	All     []string `json:"all,omitempty"`
	Split   []string `json:"split,omitempty"`
	FloatOk bool     `json:"floatOk,omitempty"`
	Float   string   `json:"float,omitempty"`
}

type answer struct {
	Request    request  `json:"request"`
	CompileErr string   `json:"compileErr,omitempty"`
	Results    []result `json:"results"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<24)
	out := json.NewEncoder(os.Stdout)
	out.SetEscapeHTML(false)
	for in.Scan() {
		var req request
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			panic(err)
		}
		ans := answer{Request: req, Results: []result{}}
		switch req.Kind {
		case "float":
			for _, s := range req.Inputs {
				r := result{Input: s}
				if f, err := strconv.ParseFloat(s, 64); err == nil {
					r.FloatOk = true
					switch {
					case math.IsNaN(f):
						r.Float = "NaN"
					case math.IsInf(f, 1):
						r.Float = "Infinity"
					case math.IsInf(f, -1):
						r.Float = "-Infinity"
					default:
						r.Float = strconv.FormatFloat(f, 'g', -1, 64)
					}
				}
				ans.Results = append(ans.Results, r)
			}
		case "regexp":
			re, err := regexp.Compile(req.Pattern)
			if err != nil {
				ans.CompileErr = err.Error()
				break
			}
			for _, s := range req.Inputs {
				r := result{Input: s, Match: re.MatchString(s)}
				if m := re.FindStringSubmatchIndex(s); m != nil {
					e := string(re.ExpandString(nil, req.Template, s, m))
					r.Expand = &e
				}
				r.Replace = re.ReplaceAllString(s, req.Template)
				r.All = re.FindAllString(s, -1)
				r.Split = re.Split(s, -1)
				ans.Results = append(ans.Results, r)
			}
		}
		if err := out.Encode(ans); err != nil {
			panic(err)
		}
	}
}
