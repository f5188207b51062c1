#!/bin/sh
# Regenerates test/fixtures/differential/template.json from cases.txt (one template per line)
# with Go text/template + sprig.HermeticTxtFuncMap() (TZ=UTC like Flux's image; Debian's Go and sprig; no network).
set -e
here=$(cd "$(dirname "$0")" && pwd)
python3 -c 'import json,sys; print(json.dumps([l.rstrip("\n").replace("\\n","\n") if l.startswith("#ML ") else l.rstrip("\n") for l in open(sys.argv[1]) if l.strip()]))' "$here/cases.txt" > "$here/cases.json"
TZ=UTC GOPATH="$here:/usr/share/gocode" GO111MODULE=off go run fluxdiff/main "$here/cases.json" > "$here/../../fixtures/differential/template.json"
rm -f "$here/cases.json"
