/**
 * Generators of hostile inputs for the fuzz and hostile suites: tags of every
 * shape, broken YAML, huge and deep documents, invalid UTF-8, alias bombs,
 * bad semver ranges and regexes, and template text. All draw from an Rng, so
 * a seed replays them.
 */
import type { Rng } from "./gen-prng.js";

/** Tags a registry (or a `--set`) could hand us, valid or not. */
export const HOSTILE_TAGS: readonly string[] = [
  "",
  " ",
  "v1.2.3",
  "latest",
  "a".repeat(128),
  "a".repeat(129),
  "x".repeat(10_000),
  "v1\nimage: evil",
  "v1\r\nkind: Secret",
  "v1\rb: c",
  "a: b",
  "a:b",
  "# x",
  "v1 # comment",
  "{",
  "}",
  "[x]",
  "*alias",
  "&anchor",
  "!!python/object",
  "|",
  ">-",
  "---",
  "...",
  "'quoted'",
  '"quoted"',
  "it's",
  "../../etc/passwd",
  "..",
  ".",
  "-",
  "-v1",
  ".hidden",
  "v1/../v2",
  "\u0000",
  "v1\u0000",
  "v1\t",
  "\tv1",
  "v1\u2028x: y",
  "v1\u2029",
  "v1\u0085x",
  "v1\ufeff",
  "\u202ev1",
  "vⅰ.2.3", // roman numeral one
  "v1.2.3\u200b", // zero-width space
  "ｖ1.2.3", // fullwidth v
  "v１.２.３",
  "v1.2.3-ɑ",
  "\ud800",
  "v1\udfff",
  "😀",
  "null",
  "true",
  "yes",
  "0x1F",
  "1e3",
  "012",
  "1:2",
  "2024-01-01",
  "~",
  "<<",
  "=",
  "%TAG",
  "@v1",
  "`v1`",
  "<img src=x onerror=alert(1)>",
  "$(rm -rf /)",
  "${HOME}",
  "{{ .Env }}",
];

/** A tag of a random shape: mostly from the list above, sometimes built from odd characters. */
export function hostileTag(rng: Rng): string {
  const r = rng.next();
  if (r < 0.5) return rng.pick(HOSTILE_TAGS);
  if (r < 0.7) return rng.stringOf("abcXYZ019_.-", rng.range(1, 140));
  if (r < 0.85) return rng.stringOf("ab1.-_: #{}[]*&!|>'\"%@`\n\r\t\\/\u00e9\u2028\ufeff\u0000", rng.range(0, 40));
  return randomUnicode(rng, rng.range(0, 30));
}

/** Code points from every plane, lone surrogates included. */
export function randomUnicode(rng: Rng, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    if (r < 0.4) s += String.fromCharCode(rng.range(0x20, 0x7e));
    else if (r < 0.5) s += String.fromCharCode(rng.range(0, 0x1f));
    else if (r < 0.6)
      s += String.fromCharCode(rng.range(0xd800, 0xdfff)); // lone surrogate
    else if (r < 0.8) s += String.fromCharCode(rng.range(0x80, 0xffff));
    else s += String.fromCodePoint(rng.range(0x10000, 0x10ffff));
  }
  return s;
}

/** Random bytes decoded as UTF-8 with replacement characters (what a file read does). */
export function invalidUtf8(rng: Rng, n: number): string {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = rng.bool(0.6) ? rng.range(0x20, 0x7e) : rng.int(256);
  return new TextDecoder("utf-8", { fatal: false }).decode(b);
}

const FLUX = "image.toolkit.fluxcd.io";

/** A plausible Flux image object, to be mutated. */
export function fluxDoc(rng: Rng): string {
  const kind = rng.pick(["ImageRepository", "ImagePolicy", "ImageUpdateAutomation", "ImagePolicyList", "Other"]);
  const version = rng.pick(["v1", "v1beta2", "v1beta1", "v2", ""]);
  const name = rng.bool(0.8) ? rng.stringOf("abc-.9", rng.range(1, 12)) : hostileTag(rng);
  const ns = rng.bool(0.7) ? "flux-system" : hostileTag(rng);
  const lines = [
    `apiVersion: ${FLUX}/${version}`,
    `kind: ${kind}`,
    "metadata:",
    `  name: ${JSON.stringify(name)}`,
    `  namespace: ${JSON.stringify(ns)}`,
    "spec:",
  ];
  if (kind === "ImageRepository") {
    lines.push(
      `  image: ${JSON.stringify(rng.bool(0.6) ? "ghcr.io/org/app" : hostileTag(rng))}`,
      `  interval: ${rng.pick(["5m", "1h", "0s", "-1m", "x", "99999999h"])}`,
    );
    if (rng.bool(0.3)) lines.push(`  exclusionList: [${JSON.stringify(hostileRegex(rng))}]`);
    if (rng.bool(0.2)) lines.push(`  secretRef: {name: ${JSON.stringify(hostileTag(rng))}}`);
  } else if (kind === "ImagePolicy") {
    lines.push("  imageRepositoryRef:", `    name: ${JSON.stringify(rng.bool(0.7) ? "app" : hostileTag(rng))}`, "  policy:");
    const p = rng.int(4);
    if (p === 0) lines.push(`    semver: {range: ${JSON.stringify(hostileRange(rng))}}`);
    else if (p === 1) lines.push(`    numerical: {order: ${rng.pick(["asc", "desc", "up", "1"])}}`);
    else if (p === 2) lines.push(`    alphabetical: {order: ${rng.pick(["asc", "desc", "[]"])}}`);
    else lines.push("    {}");
    if (rng.bool(0.5))
      lines.push(
        "  filterTags:",
        `    pattern: ${JSON.stringify(hostileRegex(rng))}`,
        `    extract: ${JSON.stringify(rng.pick(["$1", "$ts", "${name}", "$", "$$", "$99", ""]))}`,
      );
  } else if (kind === "ImageUpdateAutomation") {
    lines.push(
      "  interval: 5m",
      "  sourceRef: {kind: GitRepository, name: flux-system}",
      "  git:",
      "    commit:",
      "      author: {name: bot, email: bot@example.com}",
      `      messageTemplate: ${JSON.stringify(hostileTemplate(rng))}`,
      "  update:",
      `    path: ${JSON.stringify(rng.pick(["./", "./clusters", "../..", "/etc", "", hostileTag(rng)]))}`,
      `    strategy: ${rng.pick(["Setters", "Other", "{}"])}`,
    );
  }
  return lines.join("\n");
}

/** Cuts, duplicates and splices characters that matter to YAML into a text. */
export function mutateYaml(rng: Rng, text: string): string {
  let s = text;
  const n = rng.range(0, 6);
  for (let k = 0; k < n; k++) {
    const at = rng.int(s.length + 1);
    const op = rng.int(6);
    if (op === 0)
      s =
        s.slice(0, at) +
        rng.pick([":", "- ", "{", "}", "[", "]", "\t", "&a ", "*a", "!!map ", "'", '"', "|", ">", "? ", "%YAML 1.1\n", "---\n", "\n  ", "#"]) +
        s.slice(at);
    else if (op === 1) s = s.slice(0, at) + s.slice(at + rng.range(1, 20));
    else if (op === 2) s = s.slice(0, at) + hostileTag(rng) + s.slice(at);
    else if (op === 3) s = s.slice(0, at) + invalidUtf8(rng, rng.range(1, 16)) + s.slice(at);
    else if (op === 4) s = s.slice(0, at) + "\n" + " ".repeat(rng.int(9)) + s.slice(at);
    else s = s + "\n---\n" + s.slice(0, at);
  }
  return s;
}

/** `levels` of nesting, block or flow. */
export function deepYaml(levels: number, style: "flow-seq" | "flow-map" | "block-map" | "block-seq"): string {
  if (style === "flow-seq") return `apiVersion: ${FLUX}/v1\nkind: ImagePolicy\nspec: ${"[".repeat(levels)}${"]".repeat(levels)}\n`;
  if (style === "flow-map") return `apiVersion: ${FLUX}/v1\nkind: ImagePolicy\nspec: ${"{a: ".repeat(levels)}x${"}".repeat(levels)}\n`;
  if (style === "block-seq")
    return `apiVersion: ${FLUX}/v1\nkind: ImagePolicy\nspec:\n${Array.from({ length: levels }, (_, i) => `${" ".repeat(i * 2)}- `).join("\n")}x\n`;
  const parts = [`apiVersion: ${FLUX}/v1`, "kind: ImagePolicy", "spec:"];
  for (let i = 0; i < levels; i++) parts.push(`${" ".repeat(i + 1)}k${i}:`);
  return `${parts.join("\n")} x\n`;
}

/** "Billion laughs": `depth` levels of `width` aliases each. */
export function aliasBomb(width: number, depth: number, at = "metadata"): string {
  const lines = [`apiVersion: ${FLUX}/v1`, "kind: ImageRepository", `a0: &a0 [${Array(width).fill('"lol"').join(",")}]`];
  for (let d = 1; d < depth; d++)
    lines.push(
      `a${d}: &a${d} [${Array(width)
        .fill(`*a${d - 1}`)
        .join(",")}]`,
    );
  lines.push(`${at}: *a${depth - 1}`, "spec:", "  image: ghcr.io/org/app", "  interval: 5m");
  return lines.join("\n");
}

/** Semver ranges, valid and not. */
export function hostileRange(rng: Rng): string {
  const fixed = [
    ">=1.0.0",
    "^1.2",
    "~1",
    "1.x",
    "*",
    "",
    ">=",
    "1.2.3 - ",
    "||||",
    ">=1.0.0 <",
    "^",
    "v1..2",
    ">=1.0.0-",
    "1.2.3.4.5",
    "x.x.x.x",
    "> = 1",
    "99999999999999999999.0.0",
    ">=1.0.0 || <0.0.0-0 || ~~1",
    "=" + "1".repeat(500),
    "1.0.0 - 2.0.0 - 3.0.0",
    ">=1.0.0, <2.0.0",
    ">=1.0.0,,<2",
    "!=1.0.0",
    "<=>1",
    "\u0000",
    "1.2.3\n",
  ];
  if (rng.bool(0.6)) return rng.pick(fixed);
  const parts = Array.from(
    { length: rng.range(1, 6) },
    () => rng.pick(["", ">", ">=", "<", "<=", "=", "!=", "^", "~", "~>"]) + rng.stringOf("0123456789.x*-+abv", rng.range(0, 12)),
  );
  return parts.join(rng.pick([" ", " || ", ", ", "||", " - "]));
}

/** Regexes: invalid, RE2-unsupported, and patterns that backtrack exponentially in JS. */
export function hostileRegex(rng: Rng): string {
  const fixed = [
    "(a+)+$",
    "(a|aa)+$",
    "(a*)*b",
    "^(a|a?)+$",
    "(.*a){20}",
    "(x+x+)+y",
    "^(([a-z])+.)+[A-Z]([a-z])+$",
    "(?<name>[0-9]+)",
    "(?P<ts>[0-9]+)",
    "(?=lookahead)",
    "(?<=behind)x",
    "\\1",
    "(a)\\1",
    "[",
    "(",
    ")",
    "*",
    "a{2,1}",
    "a{1001}",
    "(?i)V",
    "\\p{Greek}",
    "\\pN",
    "[[:alpha:]]",
    "\\C",
    "\\Z",
    "",
    ".*",
    "^v(?P<v>.*)$",
    "(((((((((((((((((((((a)))))))))))))))))))))",
    "x".repeat(5000),
    "(".repeat(1000) + ")".repeat(1000),
  ];
  if (rng.bool(0.6)) return rng.pick(fixed);
  return rng.stringOf("a()[]{}+*?|^$.\\-:0123456789PpdwsbBk<>=!", rng.range(0, 24));
}

/** Long inputs that make the patterns above catastrophic in a backtracking engine. */
export function backtrackBait(rng: Rng): string {
  const n = rng.range(30, 5000);
  return rng.pick(["a".repeat(n) + "!", "a".repeat(n), "x".repeat(n), "aaaaaaaaaaaaaaaaaaaaaaaaaaaa".repeat(Math.ceil(n / 28)) + "b", `${"a".repeat(n)}B`]);
}

/** Go text/template sources, mostly broken or expensive. */
export function hostileTemplate(rng: Rng): string {
  const fixed = [
    "",
    "{{",
    "}}",
    "{{ .",
    "{{ .Changed.FileChanges }}",
    "{{ range .Changed.Changes }}{{ .OldValue }} -> {{ .NewValue }}\n{{ end }}",
    "{{ .Updated }}",
    '{{ template "x" }}',
    '{{ define "x" }}{{ template "x" }}{{ end }}{{ template "x" }}',
    "{{ range $i := until 100000 }}{{ range $j := until 100000 }}x{{ end }}{{ end }}",
    '{{ repeat 100000000 "x" }}',
    '{{ printf "%0999999999d" 1 }}',
    '{{ regexMatch "(a+)+$" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!" }}',
    '{{ regexFind "[" "x" }}',
    '{{ semverCompare ">=" "1.0" }}',
    "{{ nosuchfunc }}",
    '{{ index .Values "a" "b" "c" }}',
    "{{ .Values.x.y.z }}",
    "{{ call .AutomationObject }}",
    "{{ 1/0 }}",
    "{{ div 1 0 }}",
    "{{ mod 1 0 }}",
    "{{ toJson . }}",
    '{{ fromJson "{" }}',
    '{{ b64dec "!!!" }}',
    '{{ sha256sum (repeat 1000 "x") }}',
    "{{ with $x := 1 }}{{ $x.y }}{{ end }}",
    "{{ end }}",
    "{{ else }}",
    "{{/* unterminated comment",
    "{{- -}}",
    '{{ "\\xZZ" }}',
    "{{ 0x }}",
    "{{ 1e999999 }}",
    "{{ '' }}",
    "{{ '\\U0010FFFF' }}",
    "{{ (((((((((((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))))))))) }}",
    "{{ " + "(".repeat(5000) + "1" + ")".repeat(5000) + " }}",
    "{{ if " + "and ".repeat(3000) + "true }}x{{ end }}",
    "{{ range . }}".repeat(300) + "{{ end }}".repeat(300),
    "\ud800{{ . }}\udfff",
  ];
  if (rng.bool(0.6)) return rng.pick(fixed);
  return rng.stringOf("{}. $|()\"'`-=:,abcdefgxyzrngwithendifelse0129\\\n", rng.range(0, 80));
}
