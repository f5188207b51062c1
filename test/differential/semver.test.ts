/**
 * Differential check against the real Masterminds/semver. The fixture holds
 * Debian's v3.2.0 answers (see test/differential/semver/generate.ts). v3.2
 * differs from the v3.3+ that Flux pins in two documented ways, reproduced by
 * our `legacy` constraint option: prereleases are admitted per constraint
 * instead of per AND group, and hyphen ranges are rewritten without a
 * trailing space. Everything else must match exactly; outside those two
 * areas the default (Flux) mode must match too.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { newConstraint, newVersion, strictNewVersion } from "../../src/go/index.js";

interface Answer {
  request: { kind: "parse" | "compare" | "range"; range?: string; versions?: string[]; a?: string; b?: string };
  parsed?: Array<{ input: string; ok: boolean; err?: string; string?: string; strict: boolean }>;
  rangeOk?: boolean;
  rangeErr?: string;
  rangeString?: string;
  checks?: Array<{ version: string; check: boolean; reasons?: string[] }>;
  compare?: number;
}
const fixture = JSON.parse(fs.readFileSync(path.resolve(process.cwd(), "test/fixtures/differential/semver.json"), "utf8")) as { answers: Answer[] };

/** v3.2 capitalised some messages that v3.3+ lower-cases. */
const V32_MESSAGES: Record<string, string> = {
  "invalid semantic version": "Invalid Semantic Version",
  "version string empty": "Version string empty",
  "invalid characters in version": "Invalid characters in version",
  "version segment starts with 0": "Version segment starts with 0",
  "invalid metadata string": "Invalid Metadata string",
  "invalid prerelease string": "Invalid Prerelease string",
};
const v32 = (msg: string): string => V32_MESSAGES[msg] ?? msg.replace(/^error parsing version segment/, "Error parsing version segment");

function ourParse(s: string): { ok: boolean; err?: string; string?: string } {
  try {
    return { ok: true, string: newVersion(s).toString() };
  } catch (e) {
    return { ok: false, err: v32((e as Error).message) };
  }
}
function strictOk(s: string): boolean {
  try {
    strictNewVersion(s);
    return true;
  } catch {
    return false;
  }
}
/** v3.2's StrictNewVersion did not reject empty prerelease/metadata identifiers (fixed in v3.3). */
const emptyIdentifier = (s: string): boolean => /-$|\+$|-\+|-\.|\+\.|\.\.|\.$|\.\+/.test(s.slice(s.indexOf(".")));

describe("differential: Masterminds NewVersion / StrictNewVersion", () => {
  const parsed = fixture.answers.flatMap((a) => a.parsed ?? []);
  it(`agrees on ${parsed.length} inputs`, () => {
    const bad = parsed.filter((p) => {
      const ours = ourParse(p.input);
      if (ours.ok !== p.ok || (p.ok ? ours.string !== p.string : ours.err !== p.err)) return true;
      return strictOk(p.input) !== p.strict && !emptyIdentifier(p.input);
    });
    expect(bad.slice(0, 10)).toEqual([]);
  });
});

describe("differential: Masterminds Compare", () => {
  const cmps = fixture.answers.filter((a) => a.request.kind === "compare" && a.compare !== undefined);
  it(`agrees on ${cmps.length} pairs`, () => {
    const bad = cmps.filter((a) => newVersion(a.request.a!).compare(newVersion(a.request.b!)) !== a.compare);
    expect(bad.slice(0, 10).map((a) => a.request)).toEqual([]);
  });
});

describe("differential: Masterminds NewConstraint / Check / Validate", () => {
  const ranges = fixture.answers.filter((a) => a.request.kind === "range");
  const build = (r: string, legacy: boolean): { ok: true; c: ReturnType<typeof newConstraint> } | { ok: false; err: string } => {
    try {
      return { ok: true, c: newConstraint(r, { legacy }) };
    } catch (e) {
      return { ok: false, err: (e as Error).message };
    }
  };

  it(`legacy mode reproduces v3.2 exactly on ${ranges.length} ranges`, () => {
    const bad: unknown[] = [];
    for (const a of ranges) {
      const r = build(a.request.range ?? "", true);
      if (!r.ok) {
        if (a.rangeOk || r.err !== a.rangeErr) bad.push({ range: a.request.range, ours: r.err, go: a.rangeErr });
        continue;
      }
      if (!a.rangeOk || r.c.toString() !== a.rangeString) {
        bad.push({ range: a.request.range, ours: r.c.toString(), go: a.rangeString ?? a.rangeErr });
        continue;
      }
      for (const ch of a.checks ?? []) {
        const v = newVersion(ch.version);
        const [ok, reasons] = r.c.validate(v);
        // v3.2's Validate can refuse what Check accepts (`!=` with a prerelease), so compare both separately.
        if (r.c.check(v) !== ch.check || JSON.stringify(ok ? [] : reasons) !== JSON.stringify(ch.reasons ?? [])) {
          bad.push({ range: a.request.range, version: ch.version, go: ch, ours: { check: r.c.check(v), reasons } });
        }
      }
    }
    expect(bad.slice(0, 10)).toEqual([]);
  });

  it("Flux mode agrees wherever v3.2 and v3.3+ cannot differ", () => {
    const bad: unknown[] = [];
    let compared = 0;
    for (const a of ranges) {
      if (/\s-\s/.test(a.request.range ?? "")) continue;
      const r = build(a.request.range ?? "", false);
      if (r.ok !== (a.rangeOk === true)) {
        bad.push({ range: a.request.range, ours: r.ok, go: a.rangeErr });
        continue;
      }
      if (!r.ok) continue;
      for (const ch of a.checks ?? []) {
        const v = newVersion(ch.version);
        if (v.prerelease !== "") continue;
        compared++;
        if (r.c.check(v) !== ch.check) bad.push({ range: a.request.range, version: ch.version, go: ch.check });
      }
    }
    expect(bad.slice(0, 10)).toEqual([]);
    expect(compared).toBeGreaterThan(5000);
  });
});
