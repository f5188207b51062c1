/**
 * Title and body of the bot's pull requests. The title names what changes;
 * the body leads with one row per image (Image | Change | Type), keeps file,
 * object and policy in a `<details>` block, ends with what happens next and
 * a box to rebase, and stays under GitHub's 65,536-character limit. Every
 * value from the repository (branch, path, image, tag) is escaped as on the
 * dashboard, so a branch or path cannot mention anyone or inject markup.
 */
import { flatChanges } from "../core/changes.js";
import { code, fenced } from "../core/dashboard/escape.js";
import { checkbox } from "../core/dashboard/keys.js";
import type { AutomationPlan } from "../core/plan.js";
import { imageUpdates, updateTitle, type ImageUpdate } from "../core/updates.js";

export { flatChanges };

/** Hidden marker that identifies the bot's pull-request bodies. */
export const PULL_REQUEST_MARKER = "<!-- flux-image-bot:pull-request -->";
/** Key of the rebase box in a pull-request body. */
export const REBASE_KEY = "rebase-pull-request";
/** GitHub refuses pull-request bodies over 65,536 characters. */
export const PULL_REQUEST_BODY_LIMIT = 65_536;
/** The commit message shown in the body is cut after this many characters. */
const MAX_MESSAGE = 8_000;

export interface PullRequestTextOptions {
  /** policy `ns/name` → image name, for markers that write only a tag */
  images?: ReadonlyMap<string, string>;
  /** at most this many characters (never more than GitHub's limit) */
  maxLength?: number;
}

export function pullRequestTitle(plan: AutomationPlan, opts: PullRequestTextOptions = {}): string {
  return updateTitle(imageUpdates(flatChanges(plan), opts.images));
}

function updateRow(u: ImageUpdate): string {
  return `| ${code(u.image, 200)} | ${code(u.from, 120)} → ${code(u.to, 120)} | ${u.type === "other" ? "tag" : u.type} |`;
}

function detailRows(plan: AutomationPlan): string[] {
  return flatChanges(plan).map((c) => `- ${code(c.file)} ${code(c.object, 200)} ${code(c.setter, 200)}: ${code(c.oldValue)} → ${code(c.newValue)}`);
}

function cutNote(shown: number, total: number, what: string): string[] {
  return shown < total
    ? ["", `_${total - shown} of ${total} ${what} not shown: the body would pass GitHub's limit of ${PULL_REQUEST_BODY_LIMIT} characters._`]
    : [];
}

function assemble(plan: AutomationPlan, updates: ImageUpdate[], details: string[], keep: { rows: number; details: number }): string {
  const a = plan.automation;
  const message = plan.message.length > MAX_MESSAGE ? `${plan.message.slice(0, MAX_MESSAGE)}\n… (cut)` : plan.message;
  const lines = [
    "| Image | Change | Type |",
    "| --- | --- | --- |",
    ...updates.slice(0, keep.rows).map(updateRow),
    ...cutNote(keep.rows, updates.length, "images"),
    "",
    `<details><summary>Files, objects and policies (${details.length} change${details.length === 1 ? "" : "s"})</summary>`,
    "",
    ...details.slice(0, keep.details),
    ...cutNote(keep.details, details.length, "changes"),
    "",
    "</details>",
    "",
    "<details><summary>Commit message</summary>",
    "",
    fenced(message),
    "",
    "</details>",
    "",
    "---",
    "",
    `Kept up to date by flux-image-bot for the ImageUpdateAutomation ${code(`${a.namespace}/${a.name}`, 200)} (${code(a.file)}), ` +
      `from ${code(plan.pushBranch, 200)} into ${code(plan.checkoutBranch, 200)}. ` +
      "It is updated when a newer image is found or the files change. Merge it to apply these updates; close it without merging to ignore these versions (a newer version opens a new pull request).",
    "",
    checkbox(REBASE_KEY, false, "Tick to rebase this pull request: the branch is made again from the base branch with the current updates."),
    "",
    PULL_REQUEST_MARKER,
  ];
  return `${lines.join("\n")}\n`;
}

export function pullRequestBody(plan: AutomationPlan, opts: PullRequestTextOptions = {}): string {
  const max = Math.min(opts.maxLength ?? PULL_REQUEST_BODY_LIMIT, PULL_REQUEST_BODY_LIMIT);
  const updates = imageUpdates(flatChanges(plan), opts.images);
  const details = detailRows(plan);
  const keep = { rows: updates.length, details: details.length };
  let body = assemble(plan, updates, details, keep);
  // The details go first, then table rows, halving what is shown until the body fits.
  while (body.length > max && (keep.details > 0 || keep.rows > 1)) {
    if (keep.details > 0) keep.details = Math.floor(keep.details / 2);
    else keep.rows = Math.max(1, Math.floor(keep.rows / 2));
    body = assemble(plan, updates, details, keep);
  }
  return body.length > max ? `${body.slice(0, max - 200)}\n\n_The rest is not shown: the body would pass GitHub's limit._\n\n${PULL_REQUEST_MARKER}\n` : body;
}
