/**
 * Scan of 100,000 tags from an in-process registry that paginates with
 * page size 1000 (`n`, `last`, relative Link). Prints requests, time and the
 * extra heap/rss. Run: npx tsx test/bench/registry.bench.ts
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createRegistryClient } from "../../src/adapters/registry/index.js";

const TOTAL = 100_000;

export async function run(): Promise<void> {
  const tags = Array.from({ length: TOTAL }, (_, i) => `v${Math.floor(i / 1000)}.${i % 1000}.0-build.${i.toString(36)}`).sort();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const n = Number(url.searchParams.get("n") ?? TOTAL);
    const last = url.searchParams.get("last");
    let start = 0;
    if (last) {
      let lo = 0;
      let hi = tags.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (tags[mid]! <= last) lo = mid + 1;
        else hi = mid;
      }
      start = lo;
    }
    const page = tags.slice(start, start + n);
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (start + n < tags.length) headers.link = `</v2/bench/app/tags/list?n=${n}&last=${encodeURIComponent(page[page.length - 1]!)}>; rel="next"`;
    res.writeHead(200, headers);
    res.end(JSON.stringify({ name: "bench/app", tags: page }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  const client = createRegistryClient({ mode: "cli", pageSize: 1000, maxPages: 200, maxTags: 200_000 });

  (globalThis as { gc?: () => void }).gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const r = await client.listTags(`127.0.0.1:${port}/bench/app`, { insecure: true });
  const ms = performance.now() - t0;
  const mem = process.memoryUsage();
  server.close();

  const mb = (b: number): string => (b / 1024 / 1024).toFixed(1);
  console.log(`registry scan: ${r.tags.length} tags, ${r.pages} pages, ${r.requests} requests, truncated=${r.truncated}, dropped=${r.droppedInvalid}`);
  console.log(`time: ${ms.toFixed(0)} ms (${((r.tags.length / ms) * 1000).toFixed(0)} tags/s)`);
  console.log(`extra memory: heap +${mb(mem.heapUsed - heap0)} MB, rss +${mb(mem.rss - rss0)} MB (target < 100 MB)`);
  if (r.tags.length !== TOTAL) throw new Error(`expected ${TOTAL} tags, got ${r.tags.length}`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop() ?? "")) {
  run().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
