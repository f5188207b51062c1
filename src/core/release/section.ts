/**
 * The "Release information" section of pull requests: per changed image,
 * the update type, how old the new image is, and what changed (release
 * notes from GitHub, a compare link, or a link to the source). Appended to
 * the body; bounded in size.
 */
import type { FlatChange } from "../changes.js";
import { code, esc, link } from "../dashboard/escape.js";
import { ageText } from "./age.js";
import type { ImageInfo } from "./info.js";
import { compareLink, githubRepoOf, releaseNotesBlock, sourceUrl, updateType, type ReleaseNotes } from "./text.js";

export const RELEASE_SECTION_MARKER = "<!-- flux-image-bot:release-information -->";
/** Changed images listed; more are counted. */
export const MAX_RELEASE_ITEMS = 20;
/** Release notes shown (the first changes); the others get links. */
export const MAX_NOTES_BLOCKS = 5;

export interface ChangeRelease {
  change: FlatChange;
  /** what the new and the old image say about themselves */
  newInfo?: ImageInfo | null;
  oldInfo?: ImageInfo | null;
  /** the GitHub release for the new tag, when the source is a GitHub repository */
  notes?: ReleaseNotes | null;
}

/** One entry per distinct old → new value (the same image in several files once). */
export function distinctChanges(changes: readonly FlatChange[]): FlatChange[] {
  const seen = new Set<string>();
  return changes.filter((c) => {
    const k = `${c.oldValue}\u0000${c.newValue}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function whatChanged(r: ChangeRelease, withNotes: boolean): string[] {
  const src = r.newInfo?.source;
  const compare = compareLink(src, r.oldInfo?.revision, r.newInfo?.revision);
  const links: string[] = [];
  if (r.notes?.url) links.push(link("release", r.notes.url));
  if (compare) links.push(link("compare", compare));
  const gh = githubRepoOf(src);
  const srcUrl = sourceUrl(src);
  if (!links.length && srcUrl) links.push(link(gh ? `${gh.owner}/${gh.repo}` : "source", srcUrl));
  const out = links.length ? [`  ${links.join(" · ")}`] : [];
  if (withNotes && r.notes)
    out.push(
      "",
      ...releaseNotesBlock(r.notes)
        .split("\n")
        .map((l) => (l ? `  ${l}` : "")),
      "",
    );
  return out;
}

export function releaseSection(items: readonly ChangeRelease[], now: Date): string {
  if (!items.length) return "";
  const lines = [RELEASE_SECTION_MARKER, "### Release information", ""];
  items.slice(0, MAX_RELEASE_ITEMS).forEach((r, i) => {
    const c = r.change;
    const type = updateType(c.oldValue, c.newValue);
    const age = r.newInfo === undefined ? "" : `, ${ageText(r.newInfo?.created ?? undefined, now)}`;
    lines.push(`- ${code(c.oldValue, 200)} → ${code(c.newValue, 200)}: **${type}**${age}`);
    lines.push(...whatChanged(r, i < MAX_NOTES_BLOCKS));
  });
  if (items.length > MAX_RELEASE_ITEMS) lines.push(`- … and ${items.length - MAX_RELEASE_ITEMS} more ${esc("changes")}`);
  return lines.join("\n");
}
