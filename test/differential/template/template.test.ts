import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { executeTemplate, parseTemplate, TemplateError } from "../../../src/go/index.js";
import { buildTemplateData } from "../../../src/core/template/flux-data.js";

interface GoResult {
  template: string;
  ok: boolean;
  output?: string;
  phase?: "parse" | "exec";
  error?: string;
}

const fixture = JSON.parse(readFileSync(path.resolve(process.cwd(), "test/fixtures/differential/template.json"), "utf8")) as GoResult[];

/**
 * Cases where we knowingly differ from Debian's Go 1.19 + sprig 3.2.3 because Flux builds with newer
 * versions: sprig 3.3 has sha512sum, Masterminds semver 3.3 lower-cased its errors, Go 1.22 ranges over
 * ints.
 */
const KNOWN = new Set<string>(JSON.parse(readFileSync(path.resolve(process.cwd(), "test/differential/template/known-differences.json"), "utf8")) as string[]);

function data() {
  return buildTemplateData(
    { namespace: "flux-system", name: "podinfo" },
    {
      fileChanges: {
        "base/deployment.yaml": [
          {
            object: { apiVersion: "apps/v1", kind: "Deployment", name: "podinfo", namespace: "default" },
            changes: [{ oldValue: "podinfo:v1.0.0", newValue: "podinfo:v1.0.1", setter: "flux-system:podinfo" }],
          },
          {
            object: { apiVersion: "batch/v1", kind: "CronJob", name: "backup", namespace: "" },
            changes: [{ oldValue: "backup:1", newValue: "backup:2", setter: "flux-system:backup:tag" }],
          },
        ],
        "overlays/prod/deployment.yaml": [
          {
            object: { apiVersion: "apps/v1", kind: "Deployment", name: "podinfo", namespace: "default" },
            changes: [
              { oldValue: "1", newValue: "2", setter: "flux-system:replicas" },
              { oldValue: "podinfo:v1.0.0", newValue: "podinfo:v1.0.1", setter: "flux-system:podinfo" },
            ],
          },
        ],
        "kustomization.yaml": [
          { object: { apiVersion: "", kind: "", name: "", namespace: "" }, changes: [{ oldValue: "v1", newValue: "v2", setter: "flux-system:kust:tag" }] },
        ],
      },
    },
    { cluster: "prod", env: "a<b>&c", empty: "", num: "42" },
  );
}

/** What IAC passes when nothing changed and no messageTemplateValues are set (main.go's emptyData). */
function emptyData() {
  return buildTemplateData({ namespace: "flux-system", name: "podinfo" }, { fileChanges: {} }, undefined);
}

/** Templates starting with this run on emptyData (main.go's emptyMarker). */
const EMPTY_MARKER = "{{/* empty */}}";

function runOurs(text: string): GoResult {
  try {
    const t = parseTemplate("commit message", text);
    return { template: text, ok: true, output: executeTemplate(t, text.startsWith(EMPTY_MARKER) ? emptyData() : data()) };
  } catch (e) {
    if (e instanceof TemplateError) return { template: text, ok: false, phase: e.kind === "budget" ? "exec" : e.kind, error: e.message };
    return { template: text, ok: false, phase: "exec", error: `non-template error: ${String(e)}` };
  }
}

describe("differential: Go text/template + sprig", () => {
  it("fixture is present", () => expect(fixture.length).toBeGreaterThan(200));
  for (const g of fixture) {
    const title = g.template.length > 90 ? g.template.slice(0, 90) + "…" : g.template;
    (KNOWN.has(g.template) ? it.skip : it)(title, () => {
      const ours = runOurs(g.template);
      expect(ours).toEqual(g.ok ? { ...g, output: g.output ?? "" } : g);
    });
  }
});
