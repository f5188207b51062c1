/**
 * Renders a realistic Flux commit-message template (ranges over .Changed.FileChanges, .Changed.Objects
 * and .Changed.Changes, with sprig helpers) over a change record of 200 files.
 * Prints parse time and the warm median of several renders.
 *
 *   npx tsx test/bench/template.bench.ts
 */
import { renderCommitMessage } from "../../src/core/template/index.js";
import { parseTemplate } from "../../src/go/index.js";
import type { UpdateResult } from "../../src/core/types.js";

const TEMPLATE = `Automated image update by {{ .AutomationObject }}{{ with .Values.env }} ({{ . | upper }}){{ end }}

Files:
{{ range $filename, $_ := .Changed.FileChanges -}}
- {{ $filename }}
{{ end -}}

Objects:
{{ range $resource, $changes := .Changed.Objects -}}
- {{ $resource.Kind | lower }} {{ $resource.Name }}{{ if $resource.Namespace }} in {{ $resource.Namespace }}{{ end }}
  Changes:
{{- range $_, $change := $changes }}
    - {{ $change.OldValue }} -> {{ $change.NewValue }}{{ if contains ":" $change.Setter }} ({{ (split ":" $change.Setter)._1 }}){{ end }}
{{- end }}
{{ end -}}
{{ $n := len .Changed.Changes }}{{ printf "%d image(s) updated" $n }}, {{ sha256sum (toString $n) | trunc 8 }}
`;

function makeResult(files: number): UpdateResult {
  const fileChanges: UpdateResult["fileChanges"] = {};
  for (let f = 0; f < files; f++) {
    const objs = [];
    for (let o = 0; o < 1 + (f % 3); o++) {
      objs.push({
        object: { apiVersion: "apps/v1", kind: o === 2 ? "CronJob" : "Deployment", name: `app-${f}-${o}`, namespace: f % 4 === 0 ? "" : `team-${f % 7}` },
        changes: [
          { oldValue: `ghcr.io/org/app-${f}:1.${o}.0`, newValue: `ghcr.io/org/app-${f}:1.${o}.1`, setter: `flux-system:app-${f}` },
          ...(o === 0 ? [{ oldValue: "1.0.0", newValue: "1.0.1", setter: `flux-system:app-${f}:tag` }] : []),
        ],
      });
    }
    fileChanges[`clusters/prod/apps/app-${String(f).padStart(3, "0")}/deployment.yaml`] = objs;
  }
  return { fileChanges };
}

export async function run(): Promise<void> {
  const result = makeResult(200);
  const data = { automation: { namespace: "flux-system", name: "apps" }, result, values: { env: "prod" } };
  let t0 = process.hrtime.bigint();
  parseTemplate("commit message", TEMPLATE);
  const parseMs = Number(process.hrtime.bigint() - t0) / 1e6;
  let message = "";
  for (let i = 0; i < 5; i++) {
    const r = renderCommitMessage(TEMPLATE, data);
    if (!r.ok) throw new Error(r.error);
    message = r.message;
  }
  const times: number[] = [];
  for (let i = 0; i < 21; i++) {
    t0 = process.hrtime.bigint();
    const r = renderCommitMessage(TEMPLATE, data);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (!r.ok) throw new Error(r.error);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const objects = Object.values(result.fileChanges).reduce((n, o) => n + o.length, 0);
  console.log(`template.bench: commit template over 200 files / ${objects} objects -> ${message.length} chars, ${message.split("\n").length} lines`);
  console.log(
    `template.bench: first parse ${parseMs.toFixed(2)} ms; render (parse + build data + execute) median ${median.toFixed(2)} ms, min ${times[0]!.toFixed(2)} ms, max ${times[times.length - 1]!.toFixed(2)} ms`,
  );
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop() ?? "")) {
  await run();
}
