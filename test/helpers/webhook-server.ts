/** Shared pieces of the whole-app harnesses: the app's webhook receiver on a loopback port, and the queues' busy count. */
import { createHmac } from "node:crypto";
import http, { type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Queue } from "bullmq";
import type { ApplicationFunction, Probot } from "probot";
import { createWebhookReceiver } from "../../src/adapters/http/webhook-receiver.js";

export interface WebhookServer {
  server: Server;
  /** `http://127.0.0.1:<port>/api/github/webhooks` */
  url: string;
  close(): Promise<void>;
}

/** Serves the app's webhook handlers behind the production receiver (size cap, signature checked with `secret`) on 127.0.0.1 at a free port. */
export async function serveWebhooks(appFn: ApplicationFunction, probot: Probot, secret: string): Promise<WebhookServer> {
  await probot.load(appFn);
  const receive = createWebhookReceiver({ path: "/api/github/webhooks", secret, receive: (e) => probot.webhooks.receive(e as never), logger: probot.log });
  const server = http.createServer((req, res) => {
    receive(req, res)
      .then((handled) => {
        if (handled) return;
        res.writeHead(404);
        res.end();
      })
      .catch(() => {
        res.writeHead(500);
        res.end();
      });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Jobs waiting or running in these queues (delayed ones, e.g. schedules, are not counted). */
export async function runningJobs(queues: readonly Queue[]): Promise<number> {
  let busy = 0;
  for (const q of queues) {
    const c = await q.getJobCounts("waiting", "active", "prioritized", "waiting-children");
    busy += Object.values(c).reduce((a, b) => a + b, 0);
  }
  return busy;
}

/** POSTs `payload` as GitHub would, signed with `secret` (X-Hub-Signature-256); returns the HTTP status. */
export async function postWebhook(url: string, secret: string, name: string, payload: unknown, id: string, opts: { timeoutMs?: number } = {}): Promise<number> {
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-github-event": name, "x-github-delivery": id, "x-hub-signature-256": signature },
    body,
    ...(opts.timeoutMs ? { signal: AbortSignal.timeout(opts.timeoutMs) } : {}),
  });
  await res.text();
  return res.status;
}
