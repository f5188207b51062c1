/**
 * Extra HTTP endpoints on the webhook server: /healthz (process up),
 * /readyz (Redis reachable, queues open) and the Bull Board queue UI at
 * /admin/queues (only when ADMIN_PASSWORD is set, behind HTTP Basic auth).
 * /metrics (Prometheus) is served apart, on METRICS_PORT (metricsEndpoint).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { timingSafeEqual, createHash } from "node:crypto";
import express from "express";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Registry } from "prom-client";
import type { Logger } from "../../app/ports/index.js";

export interface EndpointDeps {
  redis: Redis;
  queues: Record<string, Queue>;
  adminPassword?: string;
  logger: Logger;
}

export const QUEUE_UI_PATH = "/admin/queues";

function sameSecret(a: string, b: string): boolean {
  const ha = createHash("sha256").update(a).digest();
  const hb = createHash("sha256").update(b).digest();
  return timingSafeEqual(ha, hb);
}

export function checkBasicAuth(header: string | undefined, password: string): boolean {
  if (!header?.startsWith("Basic ")) return false;
  const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  const given = colon >= 0 ? decoded.slice(colon + 1) : "";
  return sameSecret(given, password);
}

function send(res: ServerResponse, status: number, body: string, type = "text/plain; charset=utf-8"): true {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(body);
  return true;
}

/** `/metrics` alone, for the metrics server on METRICS_PORT (never the public webhook port). */
export function metricsEndpoint(registry: Registry): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/metrics") return false;
    return send(res, 200, await registry.metrics(), registry.contentType);
  };
}

export function createEndpoints(deps: EndpointDeps): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  let board: express.Express | undefined;
  if (deps.adminPassword) {
    const adapter = new ExpressAdapter();
    adapter.setBasePath(QUEUE_UI_PATH);
    createBullBoard({ queues: Object.values(deps.queues).map((q) => new BullMQAdapter(q, { readOnlyMode: false })), serverAdapter: adapter });
    board = express();
    board.use(QUEUE_UI_PATH, adapter.getRouter());
  }
  return async (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/healthz") return send(res, 200, "ok\n");
    if (path === "/readyz") {
      try {
        const pong = await Promise.race([deps.redis.ping(), new Promise<string>((_, rej) => setTimeout(() => rej(new Error("timeout")), 2000))]);
        if (pong !== "PONG") throw new Error(`unexpected answer ${pong}`);
        for (const q of Object.values(deps.queues)) await q.waitUntilReady();
        return send(res, 200, "ready\n");
      } catch (e) {
        return send(res, 503, `not ready: Redis is not reachable (${(e as Error).message})\n`);
      }
    }
    if (path === QUEUE_UI_PATH || path.startsWith(`${QUEUE_UI_PATH}/`)) {
      if (!board || !deps.adminPassword) return send(res, 404, "the queue UI is off; set ADMIN_PASSWORD to turn it on\n");
      if (!checkBasicAuth(req.headers.authorization, deps.adminPassword)) {
        res.writeHead(401, { "www-authenticate": 'Basic realm="flux-image-bot queues", charset="UTF-8"', "content-type": "text/plain" });
        res.end("authentication required\n");
        return true;
      }
      await new Promise<void>((resolve) => {
        res.on("finish", () => resolve());
        res.on("close", () => resolve());
        board!(req as express.Request, res as express.Response, () => {
          send(res, 404, "not found\n");
          resolve();
        });
      });
      return true;
    }
    return false;
  };
}
