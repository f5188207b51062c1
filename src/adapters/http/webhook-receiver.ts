/**
 * The webhook endpoint, in front of Probot's handlers. Anyone on the internet
 * can reach it, so the body is bounded while it streams in (GitHub caps a
 * delivery at 25 MB: https://docs.github.com/en/webhooks/webhook-events-and-payloads#payload-cap),
 * a larger one gets 413 at once, the X-Hub-Signature-256 HMAC is computed on
 * the bytes as they arrive and checked before anything is parsed, and no log
 * line ever carries a payload (only event, delivery id, size and outcome).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../../app/ports/index.js";

/** GitHub's cap on a webhook payload. */
export const WEBHOOK_MAX_BYTES = 25 * 1024 * 1024;

export interface WebhookEvent {
  id: string;
  name: string;
  payload: unknown;
}

export interface WebhookReceiverOptions {
  path: string;
  secret: string;
  /** default WEBHOOK_MAX_BYTES */
  maxBytes?: number;
  /** hands a verified, parsed delivery to the app (Probot's `webhooks.receive`) */
  receive(event: WebhookEvent): Promise<void>;
  logger: Logger;
}

const JSON_TYPE = /^\s*application\/json\s*(;|$)/i;

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function answer(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(`${JSON.stringify(status < 300 ? { ok: true } : { error: message })}\n`);
}

/**
 * After an early answer the rest of the body is discarded (not kept) for two seconds at most, then the
 * connection is cut: closing at once would make most clients fail with EPIPE before they read the answer.
 */
function discardRest(req: IncomingMessage): void {
  req.removeAllListeners("data");
  req.on("data", () => undefined);
  req.on("error", () => undefined);
  const timer = setTimeout(() => req.destroy(), 2000);
  timer.unref();
  req.once("end", () => clearTimeout(timer));
  req.once("close", () => clearTimeout(timer));
  req.resume();
}

/** `sha256=<hex>` of GitHub, compared in constant time. */
function signatureMatches(given: string, digest: Buffer): boolean {
  const m = /^sha256=([0-9a-f]{64})$/i.exec(given.trim());
  if (!m) return false;
  return timingSafeEqual(Buffer.from(m[1]!, "hex"), digest);
}

type Body = { ok: true; bytes: Buffer; digest: Buffer } | { ok: false; status: number; message: string };

/** Reads the body up to `max` bytes, hashing as it goes; resolves early with 413 when it is larger. */
function readBody(req: IncomingMessage, secret: string, max: number): Promise<Body> {
  return new Promise((resolve) => {
    const hmac = createHmac("sha256", secret);
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (b: Body): void => {
      if (done) return;
      done = true;
      resolve(b);
    };
    req.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > max) return finish({ ok: false, status: 413, message: `payload larger than ${max} bytes` });
      hmac.update(chunk);
      chunks.push(chunk);
    });
    req.on("end", () => finish({ ok: true, bytes: Buffer.concat(chunks, size), digest: hmac.digest() }));
    req.on("error", () => finish({ ok: false, status: 400, message: "the request was aborted" }));
    req.on("close", () => finish({ ok: false, status: 400, message: "the request was aborted" }));
  });
}

export function createWebhookReceiver(o: WebhookReceiverOptions): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const max = o.maxBytes ?? WEBHOOK_MAX_BYTES;
  return async (req, res) => {
    const path = (req.url ?? "/").split("?")[0]!.replace(/\/+$/, "") || "/";
    if (path !== o.path.replace(/\/+$/, "")) return false;
    const started = Date.now();
    const name = header(req, "x-github-event");
    const id = header(req, "x-github-delivery");
    const signature = header(req, "x-hub-signature-256");
    const meta = { event: name?.slice(0, 100), delivery: id?.slice(0, 100) };
    const refuse = (status: number, message: string): true => {
      answer(res, status, message);
      discardRest(req);
      o.logger.warn({ ...meta, status, error: message, ms: Date.now() - started }, "webhook refused");
      return true;
    };
    if (req.method !== "POST") return refuse(405, "webhooks are POSTed");
    if (!name || !id || !signature) return refuse(400, "X-GitHub-Event, X-GitHub-Delivery and X-Hub-Signature-256 are required");
    if (!JSON_TYPE.test(header(req, "content-type") ?? "")) return refuse(415, 'Content-Type must be "application/json"');
    const declared = Number(header(req, "content-length") ?? NaN);
    if (Number.isFinite(declared) && declared > max) return refuse(413, `payload larger than ${max} bytes`);

    const body = await readBody(req, o.secret, max);
    if (!body.ok) return refuse(body.status, body.message);
    if (!signatureMatches(signature, body.digest)) return refuse(401, "signature does not match the payload and the webhook secret");
    let payload: unknown;
    try {
      payload = JSON.parse(body.bytes.toString("utf8"));
    } catch {
      return refuse(400, "the payload is not valid JSON");
    }
    try {
      await o.receive({ id, name, payload });
    } catch (e) {
      // messages only: errors from the handlers carry the event (and so the payload) as a property
      const errors = e instanceof AggregateError ? e.errors : [e];
      o.logger.error(
        { ...meta, errors: errors.map((x) => String((x as Error)?.message ?? x).slice(0, 500)), ms: Date.now() - started },
        "webhook handler failed",
      );
      answer(res, 500, "the delivery could not be handled; redeliver it later");
      return true;
    }
    answer(res, 200, "ok");
    o.logger.debug({ ...meta, bytes: body.bytes.length, ms: Date.now() - started }, "webhook received");
    return true;
  };
}
