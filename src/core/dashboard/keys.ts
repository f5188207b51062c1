/**
 * Machine keys of the dashboard checkboxes. Each box carries its key in an
 * HTML comment right after the box (`- [ ] <!-- scan-repository=ns/name -->`),
 * which GitHub does not show and users do not edit by accident.
 */

export type BoxAction =
  | { kind: "scan-repository"; namespace: string; name: string }
  | { kind: "reconcile-automation"; namespace: string; name: string }
  | { kind: "sync-repository" }
  /** flux-image-bot/approve: approve a policy's update to `tag` */
  | { kind: "approve-update"; namespace: string; name: string; tag: string }
  /** flux-image-bot/schedule and debounce: run an automation now, outside its window */
  | { kind: "run-now"; namespace: string; name: string };

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
  if (a.kind === "approve-update") return `${a.kind}=${enc(a.namespace)}/${enc(a.name)}/${enc(a.tag)}`;
  return `${a.kind}=${enc(a.namespace)}/${enc(a.name)}`;
}

export function parseKey(key: string): BoxAction | null {
  if (key === "sync-repository") return { kind: "sync-repository" };
  const approve = /^approve-update=([^/\s]+)\/([^/\s]+)\/([^/\s]+)$/.exec(key);
  if (approve) {
    const [namespace, name, tag] = [dec(approve[1]!), dec(approve[2]!), dec(approve[3]!)];
    return namespace && name && tag ? { kind: "approve-update", namespace, name, tag } : null;
  }
  const m = /^(scan-repository|reconcile-automation|run-now)=([^/\s]+)\/([^/\s]+)$/.exec(key);
  if (!m) return null;
  const namespace = dec(m[2]!);
  const name = dec(m[3]!);
  if (!namespace || !name) return null;
  return { kind: m[1] as "scan-repository" | "reconcile-automation" | "run-now", namespace, name };
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
