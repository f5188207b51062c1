/**
 * Machine keys of the dashboard checkboxes. Each box carries its key in an
 * HTML comment right after the box (`- [ ] <!-- scan-repository=ns/name -->`),
 * which GitHub does not show and users do not edit by accident.
 */

/**
 * Boxes that name an object `ns/name`: scan or run it, hold or release a policy's update, resume an automation.
 * `scan-repository` asks for an image scan (the `scan-image` job, `scanImage` in src/app/scan-image.ts); the key keeps
 * its old name because it is persisted in users' dashboard issues, and a renamed key would orphan their boxes.
 */
export type ObjectBoxKind = "scan-repository" | "reconcile-automation" | "hold-update" | "release-update" | "resume-automation" | "run-now";

export type BoxAction =
  | { kind: ObjectBoxKind; namespace: string; name: string }
  /** stop ignoring `version` of ImagePolicy ns/name (ignored when its pull request was closed) */
  | { kind: "unignore-version"; namespace: string; name: string; version: string }
  /** flux-image-bot/approve: approve a policy's update to `tag` */
  | { kind: "approve-update"; namespace: string; name: string; tag: string }
  | { kind: "sync-repository" };

/** `run-now`: run an automation outside its flux-image-bot/schedule or debounce. */
const OBJECT_KINDS: readonly string[] = ["scan-repository", "reconcile-automation", "hold-update", "release-update", "resume-automation", "run-now"];

/** Hidden marker that identifies the dashboard issue (searched in the body, never the title). */
export const DASHBOARD_MARKER = "<!-- flux-image-bot:dashboard -->";

// encodeURIComponent leaves [A-Za-z0-9-_.!~*'()] alone; '>' is always encoded, so a key cannot close the comment.
const enc = (s: string): string => encodeURIComponent(s).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function dec(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

export function formatKey(a: BoxAction): string {
  if (a.kind === "sync-repository") return "sync-repository";
  if (a.kind === "unignore-version") return `${a.kind}=${enc(a.namespace)}/${enc(a.name)}/${enc(a.version)}`;
  if (a.kind === "approve-update") return `${a.kind}=${enc(a.namespace)}/${enc(a.name)}/${enc(a.tag)}`;
  return `${a.kind}=${enc(a.namespace)}/${enc(a.name)}`;
}

export function parseKey(key: string): BoxAction | null {
  if (key === "sync-repository") return { kind: "sync-repository" };
  const m = /^([a-z-]+)=([^/\s]+)\/([^/\s]+)(?:\/([^/\s]+))?$/.exec(key);
  if (!m) return null;
  const namespace = dec(m[2]!);
  const name = dec(m[3]!);
  if (!namespace || !name) return null;
  if (m[1] === "unignore-version" || m[1] === "approve-update") {
    const value = m[4] === undefined ? null : dec(m[4]);
    if (!value) return null;
    return m[1] === "unignore-version"
      ? { kind: "unignore-version", namespace, name, version: value }
      : { kind: "approve-update", namespace, name, tag: value };
  }
  if (!OBJECT_KINDS.includes(m[1]!) || m[4] !== undefined) return null;
  return { kind: m[1] as ObjectBoxKind, namespace, name };
}

/** One checkbox line: `- [ ] <!-- key --> label` (the label is already escaped markdown). */
export function checkbox(key: string, checked: boolean, label: string): string {
  return `- [${checked ? "x" : " "}] <!-- ${key} --> ${label}`;
}

const BOX_LINE = /^\s*[-*] \[([ xX])\] <!-- ([a-z-]+(?:=[^\s>]+)?) -->/;

export interface ParsedBox {
  key: string;
  checked: boolean;
}

/** Every checkbox with a key, in body order (a key seen twice keeps its first occurrence). */
export function readBoxes(body: string): ParsedBox[] {
  const seen = new Set<string>();
  const out: ParsedBox[] = [];
  for (const line of body.split(/\r?\n/)) {
    const m = BOX_LINE.exec(line);
    if (!m || seen.has(m[2]!)) continue;
    seen.add(m[2]!);
    out.push({ key: m[2]!, checked: m[1] !== " " });
  }
  return out;
}

/** Keys of boxes that are ticked in `after` and were present and unticked in `before`. */
export function newlyTicked(before: string, after: string): string[] {
  const was = new Map(readBoxes(before).map((b) => [b.key, b.checked]));
  return readBoxes(after)
    .filter((b) => b.checked && was.get(b.key) === false)
    .map((b) => b.key);
}

/** Keys of ticked boxes. */
export function tickedKeys(body: string): string[] {
  return readBoxes(body)
    .filter((b) => b.checked)
    .map((b) => b.key);
}
