/**
 * Commit-message templates, rendered exactly as Flux's image-automation-controller
 * does (internal/source/source.go templateMsg): Go text/template with sprig's hermetic
 * function map, from src/go.
 */
import { DEFAULT_LIMITS, executeTemplate, parseTemplate, type Template, TemplateError } from "../../go/index.js";
import type { UpdateResult } from "../types.js";
import { buildTemplateData } from "./flux-data.js";

export interface CommitTemplateData {
  automation: { namespace: string; name: string };
  result: UpdateResult;
  values?: Record<string, string>;
}

export type RenderOutcome =
  | { ok: true; message: string }
  | { ok: false; code: "template.parse" | "template.exec" | "template.removed-field" | "template.budget-exceeded"; error: string };

export const DEFAULT_COMMIT_MESSAGE = "Update from image update automation";

/** Flux's template name for commit messages. */
export const COMMIT_TEMPLATE_NAME = "commit message";

const REMOVED: Array<[string, string, string]> = [
  [
    ".Updated",
    "can't evaluate field Updated in type source.TemplateData",
    "template uses removed '.Updated' field. Please use '.Changed' instead. " +
      "See: https://fluxcd.io/flux/components/image/imageupdateautomations/#message-template",
  ],
  [
    ".Changed.ImageResult",
    "can't evaluate field ImageResult in type update.Result",
    "template uses removed '.Changed.ImageResult' field. Please use '.Changed.FileChanges' or '.Changed.Objects' instead. " +
      "See: https://fluxcd.io/flux/components/image/imageupdateautomations/#message-template",
  ],
];

/** Options for renderCommitMessage. */
export interface RenderOptions {
  /**
   * The current time, for sprig's `ago` and `durationRound` of a date (Go's time.Now()). Callers should
   * pass their clock; without it, templates that need the time fail with a template.exec error.
   */
  now?: Date;
}

/** Renders a commit message like IAC's templateMsg. Never throws. */
export function renderCommitMessage(template: string | undefined, data: CommitTemplateData, opts: RenderOptions = {}): RenderOutcome {
  const text = template === undefined || template === "" ? DEFAULT_COMMIT_MESSAGE : template;
  let t: Template;
  try {
    t = parseTemplate(COMMIT_TEMPLATE_NAME, text);
  } catch (e) {
    return { ok: false, code: "template.parse", error: `unable to create commit message template from spec: ${msg(e)}` };
  }
  try {
    const goData = buildTemplateData(data.automation, data.result, data.values);
    return { ok: true, message: executeTemplate(t, goData, DEFAULT_LIMITS, { now: opts.now }) };
  } catch (e) {
    const m = msg(e);
    if (e instanceof TemplateError && e.kind === "budget") return budgetExceeded(m);
    for (const [, pattern, text2] of REMOVED) {
      if (m.includes(pattern)) return { ok: false, code: "template.removed-field", error: text2 };
    }
    return { ok: false, code: "template.exec", error: `failed to run template from spec: ${m}` };
  }
}

/** The outcome for a template that ran out of its steps, output, time or memory. */
export function budgetExceeded(detail: string): RenderOutcome {
  return {
    ok: false,
    code: "template.budget-exceeded",
    error: `the template exceeds the bot's budget for commit messages (${detail}); simplify spec.git.commit.messageTemplate (no loops over large ranges, no key or password generation)`,
  };
}

function msg(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
