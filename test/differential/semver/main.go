// Differential oracle for our TypeScript port of Masterminds/semver v3.
// Reads JSON lines on stdin, answers one JSON line each on stdout.
// Build offline against Debian's package (GOPATH mode):
//   GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE=/tmp/gocache go run main.go < cases.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"os"

	semver "github.com/Masterminds/semver"
)

type request struct {
	Kind     string   `json:"kind"`
	Range    string   `json:"range,omitempty"`
	Versions []string `json:"versions,omitempty"`
	A        string   `json:"a,omitempty"`
	B        string   `json:"b,omitempty"`
}

type parsed struct {
	Input  string `json:"input"`
	Ok     bool   `json:"ok"`
	Err    string `json:"err,omitempty"`
	String string `json:"string,omitempty"`
	Strict bool   `json:"strict"`
}

type checked struct {
	Version string   `json:"version"`
	Check   bool     `json:"check"`
	Reasons []string `json:"reasons,omitempty"`
}

type answer struct {
	Request    request   `json:"request"`
	Parsed     []parsed  `json:"parsed,omitempty"`
	RangeOk    bool      `json:"rangeOk,omitempty"`
	RangeErr   string    `json:"rangeErr,omitempty"`
	RangeStr   string    `json:"rangeString,omitempty"`
	Checks     []checked `json:"checks,omitempty"`
	Compare    *int      `json:"compare,omitempty"`
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
		ans := answer{Request: req}
		switch req.Kind {
		case "parse":
			for _, s := range req.Versions {
				p := parsed{Input: s}
				if v, err := semver.NewVersion(s); err != nil {
					p.Err = err.Error()
				} else {
					p.Ok = true
					p.String = v.String()
				}
				_, serr := semver.StrictNewVersion(s)
				p.Strict = serr == nil
				ans.Parsed = append(ans.Parsed, p)
			}
		case "compare":
			a, errA := semver.NewVersion(req.A)
			b, errB := semver.NewVersion(req.B)
			if errA == nil && errB == nil {
				c := a.Compare(b)
				ans.Compare = &c
			}
		case "range":
			c, err := semver.NewConstraint(req.Range)
			if err != nil {
				ans.RangeErr = err.Error()
				break
			}
			ans.RangeOk = true
			ans.RangeStr = c.String()
			for _, s := range req.Versions {
				v, err := semver.NewVersion(s)
				if err != nil {
					continue
				}
				ok, errs := c.Validate(v)
				ch := checked{Version: s, Check: c.Check(v)}
				if !ok {
					for _, e := range errs {
						ch.Reasons = append(ch.Reasons, e.Error())
					}
				}
				_ = ok
				ans.Checks = append(ans.Checks, ch)
			}
		}
		if err := out.Encode(ans); err != nil {
			panic(err)
		}
	}
}
