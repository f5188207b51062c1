/**
 * Commit messages are rendered through a TemplateRenderer: in process for the CLI,
 * in a worker thread with a deadline and a memory limit on the server
 * (src/adapters/template/worker-renderer.ts).
 */
import type { CommitTemplateData, RenderOutcome } from "../../core/template/index.js";

export interface TemplateRenderer {
  /** Renders like renderCommitMessage; never throws. `now` is the clock for sprig's time functions. */
  render(template: string | undefined, data: CommitTemplateData, now: Date): Promise<RenderOutcome>;
}
