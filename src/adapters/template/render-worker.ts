/**
 * The worker thread of WorkerTemplateRenderer: renders one commit message per
 * message received, with the engine's step budget; the parent thread enforces
 * the wall-clock deadline and the memory limit (resourceLimits).
 */
import { parentPort } from "node:worker_threads";
import { renderCommitMessage, type CommitTemplateData } from "../../core/template/index.js";

export interface RenderRequest {
  id: number;
  template: string | undefined;
  data: CommitTemplateData;
  now: string;
}

parentPort?.on("message", (req: RenderRequest) => {
  const outcome = renderCommitMessage(req.template, req.data, { now: new Date(req.now) });
  parentPort?.postMessage({ id: req.id, outcome });
});
parentPort?.postMessage({ ready: true });
