/**
 * Differential check of our Go regexp / Regexp.Expand / strconv.ParseFloat
 * ports against Go's standard library (fixture from
 * test/differential/gostd/generate.ts, Go 1.19 on Debian 12).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { compileGo, type GoRegexp, parseGoFloat } from "../../src/go/index.js";

interface Answer {
  request: { kind: "float" | "regexp"; pattern?: string; template?: string; inputs: string[] };
  compileErr?: string;
  results: Array<{ input: string; match?: boolean; expand?: string; replace?: string; all?: string[]; split?: string[]; floatOk?: boolean; float?: string }>;
}
const fixture = JSON.parse(fs.readFileSync(path.resolve(process.cwd(), "test/fixtures/differential/gostd.json"), "utf8")) as {
  answers: Answer[];
};

describe("differential: strconv.ParseFloat", () => {
  const results = fixture.answers.filter((a) => a.request.kind === "float").flatMap((a) => a.results);
  it(`agrees on ${results.length} inputs`, () => {
    const bad = results.filter((r) => {
      const ours = parseGoFloat(r.input);
      if ((ours !== null) !== (r.floatOk === true)) return true;
      // Go prints the shortest round-trip form, so Number() recovers the exact float64.
      return ours !== null && !Object.is(ours, Number(r.float));
    });
    expect(bad.slice(0, 10).map((r) => ({ ...r, ours: parseGoFloat(r.input) }))).toEqual([]);
  });
});

describe("differential: regexp", () => {
  const answers = fixture.answers.filter((a) => a.request.kind === "regexp");
  it.each(answers.map((a) => [`${a.request.pattern} / ${a.request.template}`, a] as const))("%s", (_n, a) => {
    const pattern = a.request.pattern ?? "";
    const template = a.request.template ?? "";
    let re: GoRegexp;
    try {
      re = compileGo(pattern);
    } catch (e) {
      expect(a.compileErr).toBe((e as Error).message);
      return;
    }
    if (a.compileErr !== undefined) {
      // Go 1.19 (the oracle) predates `(?<name>…)`, which Go 1.22+ (and Flux) accept.
      expect(pattern).toContain("(?<");
      return;
    }
    for (const r of a.results) {
      const s = r.input;
      const m = re.findStringSubmatchIndex(s);
      expect({ input: s, match: re.matchString(s), expand: m ? re.expandString(template, s, m) : undefined }).toEqual({
        input: s,
        match: r.match ?? false,
        expand: r.expand,
      });
      expect(re.replaceAllString(s, template)).toBe(r.replace ?? "");
      expect(re.findAllString(s, -1) ?? undefined).toEqual(r.all);
      expect(re.split(s, -1)).toEqual(r.split ?? []);
    }
  });
});
