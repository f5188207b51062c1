/**
 * Commit messages on the server: rendered only when a commit is about to be
 * made, through a TemplateRenderer. The worker's renderer runs templates in a
 * worker thread with a deadline and a memory limit
 * (src/adapters/template/worker-renderer.ts), so a hostile template costs its
 * own automation a Problem and never blocks the event loop other jobs share.
 */
import { commitMessageRequest, withRenderedMessage, type AutomationPlan } from "../core/plan.js";
import { renderCommitMessage } from "../core/template/index.js";
import type { TemplateRenderer } from "./ports/index.js";

/** Renders on the calling thread, within the engine's step budget only (the CLI and unit tests). */
export const inProcessRenderer: TemplateRenderer = {
  render: async (template, data, now) => renderCommitMessage(template, data, { now }),
};

/** Renders a plan made with `render: false`; a plan with nothing to commit needs no message. */
export async function renderPlanMessage(renderer: TemplateRenderer, plan: AutomationPlan, now: Date): Promise<AutomationPlan> {
  if (plan.changed.length === 0) return plan;
  const req = commitMessageRequest(plan);
  return withRenderedMessage(plan, await renderer.render(req.template, req.data, now));
}
