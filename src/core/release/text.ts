/**
 * What a reviewer sees of a release: the update type, links to the source
 * and to the changes, and the release notes, all safe to put into GitHub
 * markdown (mentions, references and markup neutralised, sizes bounded).
 */
import { code, esc, link } from "../dashboard/escape.js";
import { tryNewVersion } from "../../go/index.js";

export type UpdateType = "major" | "minor" | "patch" | "prerelease" | "digest" | "other";

/** The tag and digest of a value a setter writes: a tag, a digest, or `name:tag@digest`. */
export function splitValue(v: string): { tag?: string; digest?: string } {
  const at = v.indexOf("@");
  const digest = at >= 0 ? v.slice(at + 1) : /^sha(256|512):/.test(v) ? v : undefined;
  const rest = at >= 0 ? v.slice(0, at) : digest ? "" : v;
  const slash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  // a colon after the last slash starts the tag; one before it is a registry port
  const tag = rest.includes("/") || colon > slash ? (colon > slash ? rest.slice(colon + 1) : undefined) : rest || undefined;
  return { ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** The kind of update from `oldValue` to `newValue` (tags compared as semver when both parse). */
export function updateType(oldValue: string, newValue: string): UpdateType {
  const a = splitValue(oldValue);
  const b = splitValue(newValue);
  if (a.tag === b.tag) return a.digest !== b.digest ? "digest" : "other";
  const va = a.tag ? tryNewVersion(a.tag) : null;
  const vb = b.tag ? tryNewVersion(b.tag) : null;
  if (!va || !vb) return "other";
  if (vb.prerelease !== "") return "prerelease";
  if (va.major() !== vb.major()) return "major";
  if (va.minor() !== vb.minor()) return "minor";
  return va.patch() !== vb.patch() ? "patch" : "other";
}

const NAME = "[A-Za-z0-9_.-]{1,100}";
const GITHUB = new RegExp(`^(?:(?:https?|git)://|git\\+https://|ssh://git@|git@)?(?:www\\.)?github\\.com[/:](${NAME})/(${NAME}?)(?:\\.git)?(?:[/#?].*)?$`);

/** `owner/repo` when `source` (an `org.opencontainers.image.source`) is a GitHub repository. */
export function githubRepoOf(source: string | undefined): { owner: string; repo: string } | undefined {
  const m = source ? GITHUB.exec(source.trim()) : null;
  if (!m) return undefined;
  const repo = m[2]!.replace(/\.git$/, "");
  if (!repo || repo === "." || repo === ".." || m[1] === "." || m[1] === "..") return undefined;
  return { owner: m[1]!, repo };
}

const REV = /^[0-9a-f]{7,40}$/;

/** A GitHub compare link between two revisions (commit SHAs), or undefined. */
export function compareLink(source: string | undefined, fromRev: string | undefined, toRev: string | undefined): string | undefined {
  const gh = githubRepoOf(source);
  if (!gh || !fromRev || !toRev || !REV.test(fromRev) || !REV.test(toRev) || fromRev === toRev) return undefined;
  return `https://github.com/${gh.owner}/${gh.repo}/compare/${fromRev}...${toRev}`;
}

/** The source as an https link the markdown cannot be broken by, or undefined. */
export function sourceUrl(source: string | undefined): string | undefined {
  const gh = githubRepoOf(source);
  if (gh) return `https://github.com/${gh.owner}/${gh.repo}`;
  return source && /^https:\/\/[^\s()<>"'`|\\]{1,300}$/.test(source) ? source : undefined;
}

export interface ReleaseNotes {
  tag: string;
  name?: string;
  body?: string;
  url?: string;
}

export const MAX_NOTES_CHARS = 4_000;
export const MAX_NOTES_LINES = 80;

/**
 * The release notes in a collapsed block. Every line is escaped (no
 * mentions, issue references, HTML or links survive) and the whole is cut
 * to `maxChars` characters and MAX_NOTES_LINES lines.
 */
export function releaseNotesBlock(release: ReleaseNotes, maxChars = MAX_NOTES_CHARS): string {
  const all = (release.body ?? "").slice(0, maxChars * 4).split(/\r\n?|\n/);
  const out: string[] = [];
  let used = 0;
  let cut = false;
  for (const raw of all) {
    const line = esc(raw.trimEnd(), 500);
    if (out.length >= MAX_NOTES_LINES || used + line.length > maxChars) {
      cut = true;
      break;
    }
    out.push(line);
    used += line.length + 1;
  }
  while (out.length && !out[out.length - 1]) out.pop();
  const title = release.name && release.name !== release.tag ? `${code(release.tag, 100)}: ${esc(release.name, 100)}` : code(release.tag, 100);
  const more = cut ? ["", `_Cut to ${maxChars} characters: the full notes are on ${link("the release page", release.url)}._`] : [];
  const body = out.length ? out : ["_The release has no notes._"];
  return ["<details>", `<summary>Release notes of ${title}</summary>`, "", ...body, ...more, "", "</details>"].join("\n");
}
