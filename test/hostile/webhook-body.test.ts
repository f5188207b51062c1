/**
 * Oversized and forged webhook bodies against the real web process: a 160 MB
 * body streamed without Content-Length and a declared 400 MB one are answered
 * 413 quickly, the process's peak RSS grows by far less than the body (the
 * review saw 3 GB for 400 MB), a forged signature is refused before the JSON
 * is parsed, a failing handler is answered 500, and nothing of any payload
 * reaches the logs (LOG_LEVEL=debug).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createHmac, randomBytes } from "node:crypto";
import http from "node:http";
import { ensureRedis, type TestRedis } from "../helpers/redis.js";
import { freePort } from "../helpers/registry-server.js";
import { mainEnv, startMainProcess, type MainProcess } from "../helpers/main-process.js";

const MB = 1024 * 1024;
const MARKER = "PAYLOAD-MARKER-7f3a";
const BAD_SIGNATURE = `sha256=${"0".repeat(64)}`;

interface Sent {
  status: number;
  ms: number;
  sentBytes: number;
}

/** POSTs `total` bytes in 64 KiB chunks (chunked, or with `declare` as Content-Length); resolves at the response. */
function post(url: string, total: number, opts: { declare?: number; signature?: string } = {}): Promise<Sent> {
  const chunk = Buffer.from(`{"marker":"${MARKER}",` + " ".repeat(64 * 1024 - 40) + "\n");
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let sentBytes = 0;
    let answered = false;
    const req = http.request(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "push",
        "x-github-delivery": `big-${randomBytes(4).toString("hex")}`,
        "x-hub-signature-256": opts.signature ?? BAD_SIGNATURE,
        ...(opts.declare !== undefined ? { "content-length": String(opts.declare) } : {}),
      },
    });
    req.on("response", (res) => {
      answered = true;
      res.resume();
      resolve({ status: res.statusCode ?? 0, ms: Date.now() - started, sentBytes });
      req.destroy();
    });
    // the server may close the connection while we are still writing
    req.on("error", (e) => (answered ? undefined : reject(e)));
    const pump = (): void => {
      while (!answered && sentBytes < total) {
        sentBytes += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

describe("webhook bodies from anyone on the internet", () => {
  let redis: TestRedis;
  let main: MainProcess;
  let url: string;

  beforeAll(async () => {
    redis = await ensureRedis();
    const port = await freePort();
    const env = mainEnv(redis.url, {
      PORT: String(port),
      METRICS_PORT: String(await freePort()),
      QUEUE_PREFIX: `wb${randomBytes(4).toString("hex")}`,
      LOG_LEVEL: "debug",
    });
    main = await startMainProcess(env, ["--role", "web"]);
    url = `http://127.0.0.1:${port}/api/github/webhooks`;
  }, 90_000);

  afterAll(async () => {
    await main?.kill();
    await redis?.stop();
  });

  it("answers 413 at once to a declared 400 MB body, without reading it", async () => {
    const before = main.peakRss();
    const r = await post(url, 400 * MB, { declare: 400 * MB });
    expect(r.status).toBe(413);
    expect(r.ms).toBeLessThan(3_000);
    expect(main.peakRss() - before).toBeLessThan(64 * MB);
  }, 60_000);

  it("answers 413 to a 160 MB streamed body once 25 MB are in, and its RSS stays bounded", async () => {
    const before = main.peakRss();
    const r = await post(url, 160 * MB);
    expect(r.status).toBe(413);
    expect(r.ms).toBeLessThan(10_000);
    // the cap is 25 MB; reading stops there, far before the 160 MB were sent
    expect(r.sentBytes).toBeLessThan(120 * MB);
    const grown = main.peakRss() - before;
    process.stdout.write(`webhook 160 MB stream: 413 after ${r.ms} ms, ${(r.sentBytes / MB).toFixed(0)} MB sent, peak RSS +${(grown / MB).toFixed(1)} MB\n`);
    expect(grown).toBeLessThan(96 * MB);
  }, 60_000);

  it("refuses a forged signature (401) before parsing, and a good one with broken JSON (400)", async () => {
    expect((await post(url, 2 * MB)).status).toBe(401);
    const body = `{"marker":"${MARKER}", not json`;
    const signature = `sha256=${createHmac("sha256", "main-process-secret").update(body).digest("hex")}`;
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-event": "push", "x-github-delivery": "broken-1", "x-hub-signature-256": signature },
      body,
    });
    expect(res.status).toBe(400);
  }, 30_000);

  it("a signed delivery whose handler fails is answered 500 and logged by message only", async () => {
    // installation.created without an installation: the handler throws reading its id
    const body = JSON.stringify({ action: "created", marker: MARKER, repositories: [{ name: MARKER, full_name: `x/${MARKER}` }] });
    const signature = `sha256=${createHmac("sha256", "main-process-secret").update(body).digest("hex")}`;
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-event": "installation", "x-github-delivery": "fails-1", "x-hub-signature-256": signature },
      body,
    });
    expect(res.status).toBe(500);
    for (let i = 0; i < 100 && !main.logs().text.includes('"msg":"webhook handler failed"'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(main.logs().text).toContain('"msg":"webhook handler failed"');
  }, 30_000);

  it("logs nothing of any payload", async () => {
    // the web process is still healthy after all of it
    expect((await fetch(url.replace("/api/github/webhooks", "/healthz"))).status).toBe(200);
    const { text, bytes } = main.logs();
    expect(text).not.toContain(MARKER);
    expect(bytes).toBeLessThan(64 * 1024);
    expect(text).toContain('"msg":"webhook refused"');
  });
});
