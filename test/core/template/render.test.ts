import { describe, expect, it } from "@jest/globals";
import { DEFAULT_COMMIT_MESSAGE, renderCommitMessage } from "../../../src/core/template/index.js";
import { executeTemplate, parseTemplate, TemplateError } from "../../../src/go/index.js";
import type { UpdateResult } from "../../../src/core/types.js";

const result: UpdateResult = {
  fileChanges: {
    "b.yaml": [
      { object: { apiVersion: "apps/v1", kind: "Deployment", name: "x", namespace: "" }, changes: [{ oldValue: "a:1", newValue: "a:2", setter: "ns:a" }] },
    ],
    "a.yaml": [
      {
        object: { apiVersion: "apps/v1", kind: "Deployment", name: "x", namespace: "" },
        changes: [
          { oldValue: "a:1", newValue: "a:2", setter: "ns:a" },
          { oldValue: "1", newValue: "2", setter: "ns:r" },
        ],
      },
    ],
  },
};
const data = { automation: { namespace: "flux-system", name: "auto" }, result, values: { env: "prod" } };
const render = (t: string) => renderCommitMessage(t, data);

describe("renderCommitMessage", () => {
  it("uses the default message for an empty or missing template", () => {
    expect(render("")).toEqual({ ok: true, message: DEFAULT_COMMIT_MESSAGE });
    expect(renderCommitMessage(undefined, data)).toEqual({ ok: true, message: DEFAULT_COMMIT_MESSAGE });
  });
  it("keeps a trailing newline", () => expect(render("x\n")).toEqual({ ok: true, message: "x\n" }));
  it("prints the automation object and identifiers like Go", () => {
    expect(render("{{ .AutomationObject }}")).toEqual({ ok: true, message: "flux-system/auto" });
    expect(render("{{ range $o, $_ := .Changed.Objects }}{{ $o }}{{ end }}")).toEqual({ ok: true, message: "{{{apps/v1 Deployment} {x }}}" });
  });
  it("deduplicates Changes by value and appends Objects across files (sorted file order)", () => {
    expect(render("{{ range .Changed.Changes }}{{ .NewValue }};{{ end }}")).toEqual({ ok: true, message: "a:2;2;" });
    expect(render("{{ range $o, $c := .Changed.Objects }}{{ len $c }}{{ end }}")).toEqual({ ok: true, message: "3" });
  });
  it("classifies parse, exec and removed-field errors", () => {
    expect(render("{{ if }}")).toEqual({
      ok: false,
      code: "template.parse",
      error: "unable to create commit message template from spec: template: commit message:1: missing value for if",
    });
    expect(render("{{ .Nope }}")).toEqual({
      ok: false,
      code: "template.exec",
      error:
        'failed to run template from spec: template: commit message:1:3: executing "commit message" at <.Nope>: can\'t evaluate field Nope in type source.TemplateData',
    });
    expect(render("{{ .Updated.Files }}")).toMatchObject({ ok: false, code: "template.removed-field" });
    expect(render("{{ .Changed.ImageResult }}")).toMatchObject({ ok: false, code: "template.removed-field" });
  });
  it('prints <no value> for missing map keys but "" through index', () => {
    expect(render('{{ .Values.missing }}|{{ index .Values "missing" }}|{{ .Values.env }}')).toEqual({ ok: true, message: "<no value>||prod" });
  });
  it("supports Go 1.22 range over int and Go 1.23 else with", () => {
    expect(render("{{ range $i := 3 }}{{ $i }}{{ end }}")).toEqual({ ok: true, message: "012" });
    expect(render("{{ with .Values.none }}a{{ else with .Values.env }}{{ . }}{{ end }}")).toEqual({ ok: true, message: "prod" });
  });
  it("never throws, bounds loops and output", () => {
    const deep = render('{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}');
    expect(deep).toMatchObject({ ok: false, code: "template.exec" });
    const big = render("{{ range until 1000 }}{{ range until 1000 }}{{ range until 100 }}xxxxxxxxxx{{ end }}{{ end }}{{ end }}");
    expect(big).toMatchObject({ ok: false, code: "template.budget-exceeded" });
    expect(render("{{ until 100000000 }}")).toMatchObject({ ok: false });
  });
  it("maps case rune by rune with Go's simple mappings (strings.ToUpper/ToLower/Title)", () => {
    expect(render('{{ upper "straße" }} {{ lower "İ" }} {{ title "ǆemal" }} {{ upper "ǆ" }}')).toEqual({ ok: true, message: "STRAßE i ǅemal Ǆ" });
  });
  it("has types.NamespacedName's String and MarshalLog", () => {
    expect(render("{{ .AutomationObject.String }} {{ .AutomationObject.MarshalLog }} {{ toJson .AutomationObject.MarshalLog }}")).toEqual({
      ok: true,
      message: 'flux-system/auto {auto flux-system} {"name":"auto","namespace":"flux-system"}',
    });
  });
  it("gives an empty update.Result nil maps and slices, and no messageTemplateValues a nil map", () => {
    const empty = { automation: { namespace: "flux-system", name: "auto" }, result: { fileChanges: {} } };
    const t = '{{ toJson .Changed }} {{ toJson .Changed.Changes }} {{ toJson .Values }} {{ printf "%#v" .Changed.Changes }} {{ len .Changed.Changes }}';
    expect(renderCommitMessage(t, empty)).toEqual({ ok: true, message: '{"FileChanges":null} null null []update.Change(nil) 0' });
    expect(renderCommitMessage("{{ toJson .Values }}", { ...empty, values: {} })).toEqual({ ok: true, message: "{}" });
  });
  it("handles names that are Object.prototype properties", () => {
    expect(render("{{ toString 1 }}")).toEqual({ ok: true, message: "1" });
    expect(render("{{ constructor }}")).toMatchObject({ ok: false, code: "template.parse" });
  });
});

describe("parseTemplate / executeTemplate", () => {
  it("throws TemplateError with the phase", () => {
    expect(() => parseTemplate("t", "{{ end }}")).toThrow(TemplateError);
    const t = parseTemplate("t", '{{ .a }}-{{ printf "%05.1f|%x|%q" 3.14159 255 "hi" }}');
    expect(executeTemplate(t, null)).toBe('<no value>-003.1|ff|"hi"');
  });
});
