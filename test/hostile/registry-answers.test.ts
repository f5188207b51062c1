/**
 * Hostile registry answers through the core and the setters: tags with line
 * breaks, YAML syntax, `../`, confusables, a 10 MB tag, a million tags. They
 * are dropped by tag validation; where a value could still reach a file (a
 * policy over unvalidated tags, a `--set`), the written YAML keeps its
 * document structure with only the marked value changed, and refs that are
 * not valid image references are refused before anything is written.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Lexer, parseAllDocuments } from "yaml";
import { isValidTag, parseImageReference } from "../../src/core/image-ref.js";
import { parseRepository } from "../../src/core/manifests/parse.js";
import { evaluatePolicies, planAutomation } from "../../src/core/plan.js";
import { selectLatest } from "../../src/core/policy/index.js";
import { applySetters } from "../../src/core/setters/index.js";
import { createRegistryClient } from "../../src/adapters/registry/index.js";
import { startFake, type FakeRegistry } from "../adapters/registry/fake-registry.js";
import { HOSTILE_TAGS, hostileTag } from "../helpers/gen-inputs.js";
import { describeFailures, fuzz, runSeed } from "../helpers/gen-prng.js";

const OCI_TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

describe("tag validation drops what a registry must not send", () => {
  it.each(HOSTILE_TAGS.map((t) => [JSON.stringify(t).slice(0, 60), t]))("%s", (_label, tag) => {
    expect(isValidTag(tag)).toBe(OCI_TAG.test(tag));
    if (isValidTag(tag)) expect(tag).toMatch(/^[A-Za-z0-9_.-]+$/);
  });

  it("rejects every tag with YAML syntax, a line break, a path or a non-ASCII character", () => {
    const mustFail = HOSTILE_TAGS.filter((t) => /[\s:#{}[\]*&!|>'"%@`/\\]|\.\.\/|[^\x20-\x7e]/.test(t) || t === "" || t.length > 128);
    expect(mustFail.length).toBeGreaterThan(40);
    for (const t of mustFail) expect(isValidTag(t)).toBe(false);
  });
});

describe("the registry client against a hostile registry", () => {
  let reg: FakeRegistry;
  let body: string | Buffer = "{}";
  const client = createRegistryClient({ mode: "cli", retries: 0, maxTags: 100_000 });

  beforeAll(async () => {
    reg = await startFake((_req, res, url) => {
      if (url.pathname === "/v2/") return void res.writeHead(200).end("{}");
      res.writeHead(200, { "content-type": "application/json" });
      res.end(body);
    });
  });
  afterAll(async () => {
    await reg?.close();
  });

  it("drops tags with YAML syntax, line breaks, paths, confusables and non-strings", async () => {
    const valid = ["v1.0.0", "latest", "1.2.3-rc.1", "_x", "a".repeat(128)];
    body = JSON.stringify({ name: "org/app", tags: [...HOSTILE_TAGS, ...valid, 42, null, { a: 1 }, ["v1"]] });
    const r = await client.listTags(`${reg.host}/org/app`, { insecure: true });
    for (const t of r.tags) expect(isValidTag(t)).toBe(true);
    expect(r.tags).toEqual(expect.arrayContaining(valid));
    expect(r.tags.some((t) => /[\n\r:#{}*&]|\.\.\//.test(t))).toBe(false);
    expect(r.droppedInvalid).toBe(HOSTILE_TAGS.length + valid.length + 4 - r.tags.length);
  });

  it("drops a 10 MB tag", async () => {
    body = JSON.stringify({ name: "org/app", tags: ["v1", "x".repeat(10 * 1024 * 1024)] });
    const r = await client.listTags(`${reg.host}/org/app`, { insecure: true });
    expect(r.tags).toEqual(["v1"]);
    expect(r.droppedInvalid).toBe(1);
  });

  it("caps a million tags instead of keeping them all", async () => {
    const tags = Array.from({ length: 1_000_000 }, (_, i) => `t${i}`);
    body = Buffer.from(JSON.stringify({ name: "org/app", tags }));
    const t0 = Date.now();
    const r = await client.listTags(`${reg.host}/org/app`, { insecure: true });
    expect(r.truncated).toBe(true);
    expect(r.tags).toHaveLength(100_000);
    expect(Date.now() - t0).toBeLessThan(10_000);
    // a policy over the capped list still answers, quickly
    const t1 = Date.now();
    expect(selectLatest(r.tags, { policy: { alphabetical: { order: "asc" } } })).toMatchObject({ ok: true });
    expect(Date.now() - t1).toBeLessThan(2_000);
  }, 30_000);
});

const MARK = '# {"$imagepolicy": "ns:p:tag"}';
const IMARK = '# {"$imagepolicy": "ns:p"}';

/** Layouts of one marked value; `set` puts the expected new value into the parsed original. */
const LAYOUTS: Array<{ name: string; text: (old: string) => string; set: (doc: any, v: string) => void }> = [
  { name: "plain", text: (v) => `a: 1\ntag: ${v} ${MARK}\nb: 2\n`, set: (d, v) => (d.tag = v) },
  { name: "single", text: (v) => `a: 1\ntag: '${v}' ${MARK}\nb: 2\n`, set: (d, v) => (d.tag = v) },
  { name: "double", text: (v) => `a: 1\ntag: "${v}" ${MARK}\nb: 2\n`, set: (d, v) => (d.tag = v) },
  { name: "literal", text: (v) => `a: 1\ntag: | ${MARK}\n  ${v}\nb: 2\n`, set: (d, v) => (d.tag = v) },
  { name: "literal-strip", text: (v) => `a: 1\ntag: |- ${MARK}\n  ${v}\nb: 2\n`, set: (d, v) => (d.tag = v) },
  { name: "folded", text: (v) => `a: 1\ntag: > ${MARK}\n  ${v}\nb: 2\n`, set: (d, v) => (d.tag = v) },
  { name: "nested literal", text: (v) => `a:\n  tag: |- ${MARK}\n    ${v}\n  c: 3\nb: 2\n`, set: (d, v) => (d.a.tag = v) },
  { name: "literal in a sequence item map", text: (v) => `l:\n- k: 1\n  tag: |- ${MARK}\n    ${v}\n  c: 3\nb: 2\n`, set: (d, v) => (d.l[0].tag = v) },
  {
    name: "explicit indicator in a sequence item map",
    text: (v) => `l:\n- k: 1\n  tag: |2- ${MARK}\n    ${v}\n  c: 3\nb: 2\n`,
    set: (d, v) => (d.l[0].tag = v),
  },
  { name: "sequence item, line comment", text: (v) => `a:\n- x\n- ${v} ${MARK}\n- z\nb: 2\n`, set: (d, v) => (d.a[1] = v) },
  { name: "sequence item, head comment", text: (v) => `a:\n- x\n${MARK}\n- ${v}\n- z\nb: 2\n`, set: (d, v) => (d.a[1] = v) },
  { name: "CRLF", text: (v) => `a: 1\r\ntag: ${v} ${MARK}\r\nb: 2\r\n`, set: (d, v) => (d.tag = v) },
  { name: "block at end of file", text: (v) => `a: 1\ntag: |- ${MARK}\n  ${v}`, set: (d, v) => (d.tag = v) },
  { name: "second document", text: (v) => `a: 1\n---\n# c\ntag: ${v} ${MARK}\n---\nb: 2\n`, set: (d, v) => (d.tag = v) },
];

function docsOf(text: string): { errors: string[]; data: unknown[] } {
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  return { errors: list.flatMap((d) => d.errors.map((e) => e.message.split("\n")[0]!)), data: list.map((d) => d.toJS()) };
}

/** The comments a YAML reader sees (the lexer's comment tokens; block scalar bodies are content). */
function comments(text: string): string[] {
  return [...new Lexer().lex(text)].filter((t) => t.startsWith("#"));
}

/** The property: the new file parses, with only the marked value changed, and its comments intact. */
function checkRewrite(layout: (typeof LAYOUTS)[number], value: string): string | undefined {
  const before = layout.text("old");
  const out = applySetters([{ path: "f.yaml", content: before }], [{ namespace: "ns", name: "p", latestRef: { name: "img", tag: value } }], {
    automationNamespace: "ns",
  });
  const after = out.changed[0]?.content ?? before;
  const parsed = docsOf(after);
  if (parsed.errors.length) return `the written YAML does not parse (${parsed.errors[0]}): ${JSON.stringify(after).slice(0, 200)}`;
  const expected = docsOf(before).data.map((d) => JSON.parse(JSON.stringify(d)) as unknown);
  const target = expected.findIndex((d) => /"old(\\n)?"/.test(JSON.stringify(d)));
  layout.set(expected[target], value);
  const want = JSON.stringify(expected);
  const got = JSON.stringify(parsed.data);
  if (got !== want)
    return `structure or value changed:\n  want ${want.slice(0, 200)}\n  got  ${got.slice(0, 200)}\n  file ${JSON.stringify(after).slice(0, 200)}`;
  // no comment injected, none lost: the marker is still the only comment on its line
  const cb = comments(before);
  const ca = comments(after);
  if (JSON.stringify(ca) !== JSON.stringify(cb))
    return `comments changed (${JSON.stringify(cb)} → ${JSON.stringify(ca)}): ${JSON.stringify(after).slice(0, 200)}`;
  // and go-yaml's extra line breaks (\r, NEL, LS, PS) never appear raw outside a quoted scalar
  const raw = after.replace(/"(?:[^"\\]|\\.)*"/g, "").replace(/\r\n/g, "\n");
  if (/[\r\u0085\u2028\u2029]/.test(raw)) return `a raw line break go-yaml would split on: ${JSON.stringify(after).slice(0, 200)}`;
  return undefined;
}

describe("setters never let a value add keys, documents or comments", () => {
  const extra = ["v1\n", "\n\nv1", "v1\n\n", " v1", "  \n x", "v1  ", "\tv1", "a\n  b: c", "x\n---\ny: z", "x\n...\n"];
  it.each(LAYOUTS.map((l) => [l.name, l] as const))("%s: every hostile tag", (_name, layout) => {
    const failures: string[] = [];
    for (const tag of [...HOSTILE_TAGS, ...extra]) {
      if (tag === "old") continue;
      const f = checkRewrite(layout, tag);
      if (f) failures.push(`${JSON.stringify(tag).slice(0, 40)}: ${f}`);
    }
    expect(failures).toEqual([]);
  });

  it("random values in random layouts (seeded)", () => {
    const seed = runSeed(0x5e77e5);
    const report = fuzz({
      name: "setter values",
      seed,
      count: 3000,
      maxMs: 2000,
      gen: (rng) => ({ layout: rng.int(LAYOUTS.length), value: hostileTag(rng) }),
      check: ({ layout, value }) => (value === "old" ? undefined : checkRewrite(LAYOUTS[layout]!, value)),
      show: ({ layout, value }) => `${LAYOUTS[layout]!.name} ${JSON.stringify(value).slice(0, 200)}`,
    });
    expect(describeFailures("setter values", seed, report.failures)).toBe("");
  });
});

describe("a policy result that is not a valid image reference is refused before writing", () => {
  const files = {
    "flux/repo.yaml":
      "apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata: {name: app, namespace: ns}\nspec: {image: ghcr.io/org/app, interval: 5m}\n",
    "flux/policy.yaml":
      "apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata: {name: p, namespace: ns}\nspec:\n  imageRepositoryRef: {name: app}\n  policy: {alphabetical: {order: asc}}\n",
    "flux/auto.yaml":
      "apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageUpdateAutomation\nmetadata: {name: auto, namespace: ns}\nspec:\n  interval: 5m\n  sourceRef: {kind: GitRepository, name: flux-system}\n  git:\n    commit:\n      author: {name: bot, email: bot@example.com}\n  update: {path: ./, strategy: Setters}\n",
    "apps/deploy.yaml": `image: ghcr.io/org/app:v1 ${IMARK}\ntag: v1 ${MARK.replace("ns:p:tag", "ns:p:tag")}\n`,
  };
  const repoFiles = Object.entries(files).map(([path, content]) => ({ path, content }));
  const model = parseRepository(repoFiles);

  it("parses the fixture", () => {
    expect(model.problems.filter((p) => p.severity !== "warning")).toEqual([]);
    expect(model.automations).toHaveLength(1);
  });

  const invalid = HOSTILE_TAGS.filter((t) => !parseImageReference(`ghcr.io/org/app:${t}`).ok || t === "");
  it.each(invalid.slice(0, 60).map((t) => [JSON.stringify(t).slice(0, 50), t]))("--set tag %s", (_label, tag) => {
    const { results } = evaluatePolicies(model, new Map(), new Map([["ns/p", { name: "ghcr.io/org/app", tag }]]));
    const plan = planAutomation(model, model.automations[0]!, results, repoFiles, { defaultBranch: "main" });
    expect(plan.changed).toEqual([]);
    expect(plan.problems.map((p) => p.code)).toContain("automation.invalid-image-ref");
  });

  it("a policy that picks an unvalidated hostile tag (CLI --tags) is refused the same way", () => {
    const scans = new Map([["ns/app", { ok: true as const, tags: ["v1", "v9\nimage: evil # x"] }]]);
    const { results } = evaluatePolicies(model, scans);
    expect(results[0]?.latestRef?.tag).toBe("v9\nimage: evil # x");
    const plan = planAutomation(model, model.automations[0]!, results, repoFiles, { defaultBranch: "main" });
    expect(plan.changed).toEqual([]);
    expect(plan.problems.map((p) => p.code)).toContain("automation.invalid-image-ref");
  });

  it("a valid tag still goes through", () => {
    const { results } = evaluatePolicies(model, new Map(), new Map([["ns/p", { name: "ghcr.io/org/app", tag: "v2" }]]));
    const plan = planAutomation(model, model.automations[0]!, results, repoFiles, { defaultBranch: "main" });
    expect(plan.changed[0]?.content).toBe(`image: ghcr.io/org/app:v2 ${IMARK}\ntag: v2 ${MARK}\n`);
  });
});
