/**
 * Fuzz of the pure core with seeded generated inputs: the manifest parser,
 * the marker parser, the setters, the policy evaluator and the template
 * engine. Each must return Problems / error results for bad input, never
 * throw, never hang (a per-input bound of 2 s; a hang detector, not a
 * performance target), and bad objects never take good ones down with them.
 *
 * Failures print the seed; replay with FUZZ_SEED=<seed> [FUZZ_CASE=<index>].
 */
import { describe, expect, it } from "@jest/globals";
import { parseRepository } from "../../src/core/manifests/parse.js";
import { parseMarkerComment, parseSetterName, applySetters, MARKER_TOKEN } from "../../src/core/setters/index.js";
import { applyExclusionList, rankCandidates, selectLatest, validatePolicy } from "../../src/core/policy/index.js";
import { renderCommitMessage } from "../../src/core/template/index.js";
import type { Problem } from "../../src/core/errors.js";
import type { PolicyChoice, RepoFile } from "../../src/core/types.js";
import {
  aliasBomb,
  backtrackBait,
  deepYaml,
  fluxDoc,
  hostileRange,
  hostileRegex,
  hostileTag,
  hostileTemplate,
  invalidUtf8,
  mutateYaml,
  randomUnicode,
} from "../helpers/gen-inputs.js";
import { describeFailures, fuzz, Rng, runSeed } from "../helpers/gen-prng.js";

const SEED = runSeed(20240611);
const MAX_MS = 2000;

function checkProblems(problems: unknown): string | undefined {
  if (!Array.isArray(problems)) return "problems is not an array";
  for (const p of problems as Problem[]) {
    if (typeof p.code !== "string" || !p.code || typeof p.message !== "string" || !p.message) return `malformed problem ${JSON.stringify(p).slice(0, 200)}`;
  }
  return undefined;
}

/** A well-formed ImageRepository that must survive whatever sits next to it. */
const SENTINEL: RepoFile = {
  path: "zz-sentinel/repo.yaml",
  content:
    "apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata:\n  name: sentinel\n  namespace: sentinel-ns\nspec:\n  image: ghcr.io/org/sentinel\n  interval: 5m\n",
};

function randomFile(rng: Rng): RepoFile {
  const path = rng.pick(["a.yaml", "dir/b.yml", "kustomization.yaml", "x/kustomization.yaml", "c.yaml", "d.txt", "../e.yaml", "f\u0000.yaml"]);
  const r = rng.next();
  let content: string;
  if (r < 0.5) content = mutateYaml(rng, Array.from({ length: rng.range(1, 3) }, () => fluxDoc(rng)).join("\n---\n"));
  else if (r < 0.6) content = `apiVersion: image.toolkit.fluxcd.io/v1\n${invalidUtf8(rng, rng.range(0, 2000))}`;
  else if (r < 0.7) content = `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\n${randomUnicode(rng, rng.range(0, 300))}`;
  else if (r < 0.8) content = deepYaml(rng.range(10, 400), rng.pick(["flow-seq", "flow-map", "block-seq", "block-map"] as const));
  else if (r < 0.85) content = aliasBomb(rng.range(2, 12), rng.range(2, 10), rng.pick(["metadata", "spec", "x"]));
  else if (r < 0.9) content = `resources: ${JSON.stringify([hostileTag(rng)])}\nnamespace: ${JSON.stringify(hostileTag(rng))}\n`;
  else
    content = `apiVersion: image.toolkit.fluxcd.io/v1\n${"kind: ImageRepository\n".repeat(rng.range(1, 3))}metadata: ${hostileTag(rng)}\nspec: ${hostileTag(rng)}\n`;
  return { path, content };
}

function run<T>(name: string, count: number, gen: (rng: Rng, i: number) => T, check: (input: T) => undefined | string, show?: (input: T) => string): void {
  const report = fuzz({ name, seed: SEED, count, gen, check, maxMs: MAX_MS, show });
  expect(describeFailures(name, SEED, report.failures)).toBe("");
  expect(report.cases).toBeGreaterThan(0);
}

describe("manifest parser (parseRepository)", () => {
  it("never throws on 2,500 generated repositories, and the sentinel object always survives", () => {
    run(
      "parseRepository",
      2500,
      (rng) => Array.from({ length: rng.range(1, 3) }, () => randomFile(rng)),
      (files) => {
        const model = parseRepository([...files, SENTINEL]);
        const bad = checkProblems(model.problems);
        if (bad) return bad;
        if (!model.repositories.some((r) => r.name === "sentinel" && r.namespace === "sentinel-ns" && r.spec.image === "ghcr.io/org/sentinel"))
          return "the sentinel ImageRepository next to the bad file was lost";
        for (const o of [...model.repositories, ...model.policies, ...model.automations])
          if (typeof o.name !== "string" || typeof o.namespace !== "string") return "an object without a name";
      },
      (files) =>
        JSON.stringify(files.map((f) => ({ path: f.path, content: f.content.length > 300 ? `${f.content.slice(0, 300)}… (${f.content.length})` : f.content }))),
    );
  }, 60_000);

  it.each([
    ["10k levels of flow sequences", () => deepYaml(10_000, "flow-seq")],
    ["10k levels of flow mappings", () => deepYaml(10_000, "flow-map")],
    ["2k levels of block mappings (2 MB of indentation)", () => deepYaml(2000, "block-map")],
    ["10k levels of block sequences (over the size cap)", () => deepYaml(10_000, "block-seq")],
    ["billion laughs, 10 wide and 9 deep", () => aliasBomb(10, 9)],
    ["billion laughs under spec", () => aliasBomb(10, 9, "spec")],
    [
      "512 KB of invalid UTF-8 decoded with replacement",
      () => `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\n${invalidUtf8(new Rng(7), 512 * 1024)}`,
    ],
    [
      "lone surrogates everywhere",
      () =>
        `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata: {name: "\ud800", namespace: "\udfff"}\nspec: {image: "ghcr.io/\ud800", interval: "5m\udc00"}\n`,
    ],
    ["over the size cap (4 MB)", () => `apiVersion: image.toolkit.fluxcd.io/v1\n${"# pad\n".repeat(800_000)}`],
    [
      "2 MB of realistic manifests",
      () =>
        Array.from(
          { length: 2500 },
          (_, i) =>
            `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata:\n  name: p${i}\n  namespace: ns\n  labels: {app: a, team: b}\nspec:\n  imageRepositoryRef:\n    name: r${i}\n  filterTags:\n    pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)'\n    extract: '$ts'\n  policy:\n    numerical:\n      order: asc\n${"  # ".padEnd(700, "x")}\n`,
        ).join("---\n"),
    ],
  ])(
    "%s",
    (_name, make) => {
      const content = make();
      const t0 = performance.now();
      const model = parseRepository([{ path: "big.yaml", content }, SENTINEL]);
      const ms = performance.now() - t0;
      expect(checkProblems(model.problems)).toBeUndefined();
      expect(model.repositories.map((r) => r.name)).toContain("sentinel");
      expect(ms).toBeLessThan(_name.startsWith("2 MB") ? 6 * MAX_MS : MAX_MS);
    },
    30_000,
  );
});

describe("marker parser", () => {
  it("parseMarkerComment and parseSetterName never throw on 20,000 comments", () => {
    run(
      "markers",
      20_000,
      (rng) => {
        const r = rng.next();
        if (r < 0.3) return `# {"$imagepolicy": ${JSON.stringify(hostileTag(rng))}}`;
        if (r < 0.5)
          return `${"#".repeat(rng.range(0, 3))} {"$ref": "#/definitions/io.k8s.cli.setters.${hostileTag(rng)}"${rng.bool() ? "" : ', "x": {"y": [1, null]}'}}`;
        if (r < 0.6) return `# ${"{".repeat(rng.range(1, 5000))}`;
        if (r < 0.7) return `# {"$imagepolicy": "${"\\u".repeat(rng.range(1, 50))}"}`;
        if (r < 0.8) return `# ${JSON.stringify({ $imagepolicy: randomUnicode(rng, 20), __proto__: { polluted: 1 }, constructor: "x" })}`;
        return `#${randomUnicode(rng, rng.range(0, 200))}`;
      },
      (comment) => {
        const name = parseMarkerComment(comment);
        if (name !== null && (typeof name !== "string" || name === "")) return `bad name ${JSON.stringify(name)}`;
        if (name !== null) {
          const s = parseSetterName(name);
          if (s !== null && (!s.namespace || !s.name || !["image", "tag", "name", "digest"].includes(s.field))) return `bad setter ${JSON.stringify(s)}`;
        }
        if (({} as Record<string, unknown>).polluted !== undefined) return "prototype polluted";
      },
    );
  }, 30_000);
});

describe("setters (applySetters)", () => {
  const POLICIES = [
    { namespace: "ns", name: "p", latestRef: { name: "ghcr.io/org/app", tag: "v2" } },
    { namespace: "ns", name: "q", latestRef: { name: "x", tag: "1" } },
    { namespace: "ns", name: "noref" },
  ];
  const GOOD: RepoFile = { path: "zz/good.yaml", content: `image: ghcr.io/org/app:v1 # {"$imagepolicy": "ns:p"}\n` };

  it("never throws on 2,500 generated files, and a good file next to them is still updated", () => {
    run(
      "applySetters",
      2500,
      (rng) => {
        const marker = `# {"$imagepolicy": ${JSON.stringify(rng.bool(0.7) ? rng.pick(["ns:p", "ns:p:tag", "ns:q:name", "ns:noref", "other:p", "ns:p:digest"]) : hostileTag(rng))}}`;
        const base = rng.pick([
          `image: old ${marker}\n`,
          `spec:\n  containers:\n  - image: old ${marker}\n    name: x\n`,
          `tag: | ${marker}\n  old\n`,
          `l:\n${marker}\n- old\n`,
          `kind: List\napiVersion: v1\nitems:\n- image: old ${marker}\n`,
        ]);
        const r = rng.next();
        let content: string;
        if (r < 0.6) content = mutateYaml(rng, base);
        else if (r < 0.7) content = `${invalidUtf8(rng, rng.range(0, 500))}\n${MARKER_TOKEN}\n${base}`;
        else if (r < 0.8) content = `${randomUnicode(rng, rng.range(0, 200))}${base}`;
        else if (r < 0.9) content = `${deepYaml(rng.range(10, 300), rng.pick(["flow-seq", "flow-map", "block-seq", "block-map"] as const))}${base}`;
        else content = `${aliasBomb(rng.range(2, 10), rng.range(2, 9))}\n${base}`;
        return { content, updatePath: rng.bool(0.9) ? undefined : rng.pick(["../..", "/abs", "./", "a/../../b", hostileTag(rng)]) };
      },
      ({ content, updatePath }) => {
        const out = applySetters([{ path: "a/f.yaml", content }, GOOD], POLICIES, { automationNamespace: "ns", updatePath });
        const bad = checkProblems(out.problems);
        if (bad) return bad;
        const invalidPath = out.problems.some((p) => p.code === "setters.invalid-path");
        const inPath = updatePath === undefined || updatePath === "./";
        if (inPath && !out.changed.some((c) => c.path === GOOD.path && c.content === GOOD.content.replace(":v1 #", ":v2 #")))
          return "the good file was not updated";
        if (invalidPath && out.changed.length) return "files changed despite an invalid update path";
      },
      ({ content, updatePath }) => `${JSON.stringify(updatePath)} ${JSON.stringify(content).slice(0, 400)}`,
    );
  }, 60_000);

  it.each([
    ["10k levels of flow sequences", `a: ${"[".repeat(10_000)}${"]".repeat(10_000)}\nimage: old # {"$imagepolicy": "ns:p"}\n`],
    ["billion laughs", `${aliasBomb(10, 9)}\nimage: old # {"$imagepolicy": "ns:p"}\n`],
    ["10,000 markers", `l:\n${'- old # {"$imagepolicy": "ns:p"}\n'.repeat(10_000)}`],
  ])(
    "%s",
    (_name, content) => {
      const t0 = performance.now();
      const out = applySetters([{ path: "f.yaml", content }, GOOD], POLICIES, { automationNamespace: "ns" });
      expect(performance.now() - t0).toBeLessThan(MAX_MS);
      expect(checkProblems(out.problems)).toBeUndefined();
      expect(out.changed.map((c) => c.path)).toContain(GOOD.path);
    },
    30_000,
  );
});

describe("policy evaluator", () => {
  function choice(rng: Rng): PolicyChoice {
    const k = rng.int(5);
    if (k === 0) return { semver: { range: hostileRange(rng) } };
    if (k === 1) return { numerical: { order: rng.pick(["asc", "desc", "up" as never]) } };
    if (k === 2) return { alphabetical: { order: rng.pick(["asc", "desc", undefined]) } };
    if (k === 3) return { semver: { range: hostileRange(rng) }, alphabetical: {} };
    return {};
  }

  it("selectLatest, rankCandidates, validatePolicy and applyExclusionList never throw or hang on 4,000 specs", () => {
    run(
      "policy",
      4000,
      (rng) => {
        const bait = backtrackBait(rng);
        const tags = Array.from({ length: rng.range(0, 30) }, () =>
          rng.bool(0.2) ? bait : rng.bool(0.5) ? `${rng.int(3)}.${rng.int(20)}.${rng.int(20)}${rng.bool(0.2) ? "-rc.1" : ""}` : hostileTag(rng),
        );
        const filterTags = rng.bool(0.6) ? { pattern: hostileRegex(rng), extract: rng.pick([undefined, "$1", "$ts", "${v}", "$", "$$x", "$name"]) } : undefined;
        return { tags, spec: { policy: choice(rng), filterTags }, exclusion: rng.bool(0.5) ? [hostileRegex(rng), hostileRegex(rng)] : undefined };
      },
      ({ tags, spec, exclusion }) => {
        const v = validatePolicy(spec);
        if (v !== null && typeof v !== "string") return "validatePolicy returned a non-string";
        const r = selectLatest(tags, spec);
        if (r.ok && !tags.includes(r.tag)) return `selected a tag that is not in the list: ${JSON.stringify(r.tag).slice(0, 80)}`;
        if (!r.ok && (typeof r.error !== "string" || !r.code)) return "error without text";
        if (v !== null && r.ok) return "validatePolicy refused a spec that selectLatest accepted";
        const k = rankCandidates(tags, spec, 3);
        if (k.ok && k.tags.some((t) => !tags.includes(t))) return "ranked a tag that is not in the list";
        const e = applyExclusionList(tags, exclusion);
        if (e.ok && e.tags.some((t) => !tags.includes(t))) return "exclusion invented a tag";
      },
    );
  }, 60_000);

  it.each(["(a+)+$", "(a|aa)+$", "(a*)*b", "^(a|a?)+$", "(x+x+)+y", "(.*a){20}"])("%s on 100 long tags stays linear", (pattern) => {
    const tags = Array.from({ length: 100 }, (_, i) => `${"a".repeat(2000 + i)}!`);
    const t0 = performance.now();
    selectLatest(tags, { policy: { alphabetical: {} }, filterTags: { pattern } });
    applyExclusionList(tags, [pattern]);
    expect(performance.now() - t0).toBeLessThan(MAX_MS);
  });
});

describe("template engine (renderCommitMessage)", () => {
  const result = {
    fileChanges: {
      "a/f.yaml": {
        "apps/v1, Kind=Deployment, Namespace=ns, Name=x": [{ oldValue: "ghcr.io/org/app:v1", newValue: "ghcr.io/org/app:v2", setter: "ns:p" }],
      },
    },
  };
  it("never throws or hangs on 3,000 templates", () => {
    run(
      "template",
      3000,
      (rng) => ({
        template: rng.bool(0.2) ? mutateYaml(rng, hostileTemplate(rng)) : hostileTemplate(rng),
        values: rng.bool(0.3) ? { [hostileTag(rng)]: hostileTag(rng) } : undefined,
      }),
      ({ template, values }) => {
        const r = renderCommitMessage(template, { automation: { namespace: "ns", name: "auto" }, result: result as never, values });
        if (r.ok && typeof r.message !== "string") return "message is not a string";
        if (r.ok && r.message.length > (1 << 20) + 16) return `message of ${r.message.length} characters passed the output cap`;
        if (!r.ok && (!r.code.startsWith("template.") || typeof r.error !== "string")) return `bad error ${JSON.stringify(r).slice(0, 200)}`;
      },
    );
  }, 60_000);
});
