/**
 * Image updates as a reviewer reads them: the setter changes of a plan
 * grouped per image, each with its old and new tag and the kind of change
 * (major, minor, patch, prerelease, digest). Used by pull-request titles and
 * bodies and the dashboard. Pure.
 */
import semver from "semver";
import type { FlatChange } from "./changes.js";

export type UpdateType = "major" | "minor" | "patch" | "prerelease" | "digest" | "other";

export interface ImageUpdate {
  /** image name, e.g. `ghcr.io/gethomepage/homepage`; the policy `ns/name` when the files only hold tags and the image is not known */
  image: string;
  /** last path segment of the image, e.g. `homepage` */
  short: string;
  /** `ns/name` of the ImagePolicy (from the marker) */
  policy: string;
  from: string;
  to: string;
  type: UpdateType;
  /** every setter change behind this update */
  changes: FlatChange[];
}

/** `flux-system:app:tag` → `flux-system/app`. */
export function policyOfSetter(setter: string): string {
  const [ns = "", name = ""] = setter.split(":");
  return `${ns}/${name}`;
}

function fieldOfSetter(setter: string): string {
  return setter.split(":")[2] ?? "";
}

/** `name[:tag][@digest]` split the way image references are (a `:` after the last `/` starts the tag). */
export function splitRef(ref: string): { name: string; tag?: string; digest?: string } {
  const at = ref.indexOf("@");
  const digest = at >= 0 ? ref.slice(at + 1) : undefined;
  const rest = at >= 0 ? ref.slice(0, at) : ref;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { name: rest, digest };
}

const VERSION_LIKE = /^v?\d+(\.\d+){0,2}([-+][0-9A-Za-z.+-]*)?$/;

const coerce = (tag: string): semver.SemVer | null => (VERSION_LIKE.test(tag) ? semver.coerce(tag, { includePrerelease: true }) : null);

/** The kind of change from one tag to another; `digest` when only the digest moved. */
export function updateType(from: { tag?: string; digest?: string }, to: { tag?: string; digest?: string }): UpdateType {
  if ((from.tag ?? "") === (to.tag ?? "")) return from.digest !== to.digest ? "digest" : "other";
  const a = coerce(from.tag ?? "");
  const b = coerce(to.tag ?? "");
  if (!a || !b) return "other";
  if (b.prerelease.length) return "prerelease";
  const d = semver.diff(a, b);
  if (d === "major" || d === "premajor") return "major";
  if (d === "minor" || d === "preminor") return "minor";
  if (d === "patch" || d === "prepatch") return "patch";
  return "other";
}

/** Short form of a value for titles and tables: a digest keeps its algorithm and 12 hex digits. */
export function shortValue(v: { tag?: string; digest?: string }): string {
  const d = v.digest ? `@${v.digest.slice(0, v.digest.indexOf(":") + 13)}` : "";
  if (v.tag) return v.digest && d ? `${v.tag}${d}` : v.tag;
  return d.slice(1);
}

/**
 * Groups changes into one update per policy and image. `images` maps a policy
 * `ns/name` to its image name, for markers that write only a tag or digest.
 */
export function imageUpdates(changes: readonly FlatChange[], images: ReadonlyMap<string, string> = new Map()): ImageUpdate[] {
  const groups = new Map<
    string,
    { policy: string; name?: string; from: { tag?: string; digest?: string }; to: { tag?: string; digest?: string }; changes: FlatChange[] }
  >();
  for (const c of changes) {
    const policy = policyOfSetter(c.setter);
    const field = fieldOfSetter(c.setter);
    const g = groups.get(policy) ?? { policy, from: {}, to: {}, changes: [] };
    groups.set(policy, g);
    g.changes.push(c);
    if (field === "tag") [g.from.tag, g.to.tag] = [g.from.tag ?? c.oldValue, g.to.tag ?? c.newValue];
    else if (field === "digest") [g.from.digest, g.to.digest] = [g.from.digest ?? c.oldValue, g.to.digest ?? c.newValue];
    else if (field === "name") g.name ??= c.newValue;
    else {
      const o = splitRef(c.oldValue);
      const n = splitRef(c.newValue);
      g.name ??= n.name;
      if (g.from.tag === undefined && g.to.tag === undefined)
        [g.from, g.to] = [
          { tag: o.tag, digest: o.digest },
          { tag: n.tag, digest: n.digest },
        ];
    }
  }
  return [...groups.values()].map((g) => {
    const image = g.name ?? images.get(g.policy) ?? g.policy;
    return {
      image,
      short: image.split("/").pop() || image,
      policy: g.policy,
      from: shortValue(g.from),
      to: shortValue(g.to),
      type: updateType(g.from, g.to),
      changes: g.changes,
    };
  });
}

const MAX_TITLE = 256;

/** `Update homepage to v1.7.0`, or `Update 3 images (homepage v1.7.0, podinfo 6.6.2, …)`. */
export function updateTitle(updates: readonly ImageUpdate[]): string {
  if (!updates.length) return "Update images";
  const distinct = [...new Map(updates.map((u) => [`${u.image}\n${u.to}`, u])).values()];
  const images = new Set(distinct.map((u) => u.image));
  let title: string;
  if (distinct.length === 1) title = `Update ${distinct[0]!.short} to ${distinct[0]!.to}`;
  else {
    const named = distinct.slice(0, 2).map((u) => `${u.short} ${u.to}`);
    if (distinct.length > 2) named.push("…");
    title = `Update ${images.size} images (${named.join(", ")})`;
  }
  return title.replace(/[\r\n]+/g, " ").slice(0, MAX_TITLE);
}
