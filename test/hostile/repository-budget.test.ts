/**
 * Issue 12 item 5: repository content and tag pages cost bounded memory and
 * time. A repository read stops at its file and byte budget (server and
 * local reader) with one `repository.too-large` Problem and leaves out files
 * of more YAML structure than the bot composes; marker scanning
 * refuses a 1 MB file of tiny nodes or documents in milliseconds instead of
 * seconds and hundreds of MB; a tag page over REGISTRY_MAX_PAGE_BYTES fails
 * the scan; requests in flight are bounded per process, however many host
 * names repositories invent.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { LookupAddress } from "node:dns";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRegistryClient, type LookupFunction } from "../../src/adapters/registry/index.js";
import { readTree } from "../../src/adapters/local/read-tree.js";
import { readYamlFiles } from "../../src/app/repo-files.js";
import { isYamlFile } from "../../src/core/manifests/documents.js";
import { parseRepository } from "../../src/core/manifests/parse.js";
import { DEFAULT_READ_BUDGET } from "../../src/core/read-budget.js";
import { applySetters } from "../../src/core/setters/index.js";
import { findMarkers } from "../../src/core/setters/find-markers.js";
import { MAX_STRUCTURE_TOKENS } from "../../src/core/yaml-budget.js";
import { json, startFake, type FakeRegistry } from "../adapters/registry/fake-registry.js";
import type { RepoGateway, TreeEntry } from "../../src/app/ports/index.js";

const MB = 1024 * 1024;
const MARK = ' # {"$imagepolicy": "flux-system:app"}';
const repo = { installationId: 1, owner: "o", repo: "r" };

/** A gateway over `entries` whose blobs are `size` bytes of YAML; counts what it hands out. */
function bigRepo(entries: TreeEntry[], blobBytes: number): RepoGateway & { bytesRead: number; blobs: number } {
  const g = {
    bytesRead: 0,
    blobs: 0,
    listTree: async () => entries,
    readBlob: async () => {
      g.blobs++;
      g.bytesRead += blobBytes;
      return `a: ${"x".repeat(blobBytes - 4)}\n`;
    },
  };
  return g as unknown as RepoGateway & { bytesRead: number; blobs: number };
}

// First, while the process's peak RSS is still that of the test runner: the RSS bounds compare peaks.
describe("marker scanning of a 1 MB file", () => {
  const shapes: Record<string, string> = {
    "130,000 documents": `x: 1${MARK}\n` + "---\na: 1\n".repeat(130_000),
    "260,000 sequence items": `kind: X\nl:\n` + "- a\n".repeat(260_000) + `- b${MARK}\n`,
    "a 350,000-item flow sequence": `kind: X\nimage: a${MARK}\nl: [` + "a, ".repeat(350_000) + "]\n",
  };

  it.each(Object.entries(shapes))("refuses %s in milliseconds, as setters.too-complex", (_name, text) => {
    expect(text.length).toBeGreaterThan(MB - 100_000);
    const peak0 = process.resourceUsage().maxRSS;
    const started = Date.now();
    const out = applySetters([{ path: "big.yaml", content: text }], [], { automationNamespace: "flux-system" });
    const ms = Date.now() - started;
    const grownKb = process.resourceUsage().maxRSS - peak0;
    expect(out.problems.map((p) => p.code)).toEqual(["setters.too-complex"]);
    // before: 4-6 s and 280-430 MB on the same machine
    expect(ms).toBeLessThan(3_000);
    expect(grownKb).toBeLessThan(100 * 1024);
    process.stdout.write(`${_name}: refused in ${ms} ms, peak RSS +${Math.round(grownKb / 1024)} MB\n`);
  });

  it("still scans the largest file within budget in bounded time and memory", () => {
    const items = Math.floor(MAX_STRUCTURE_TOKENS / 2) - 20;
    const text = `kind: X\nl:\n` + "- a\n".repeat(items) + `- b${MARK}\n`;
    const peak0 = process.resourceUsage().maxRSS;
    const started = Date.now();
    const out = findMarkers(text);
    const ms = Date.now() - started;
    const grownKb = process.resourceUsage().maxRSS - peak0;
    expect(out).toMatchObject({ ok: true, sites: [expect.objectContaining({ oldValue: "b" })] });
    expect(ms).toBeLessThan(10_000);
    expect(grownKb).toBeLessThan(200 * 1024);
    process.stdout.write(`largest scannable file (${text.length} B, ${items} items): ${ms} ms, peak RSS +${Math.round(grownKb / 1024)} MB\n`);
  });
});

describe("the repository read budget", () => {
  it("reads at most REPOSITORY_MAX_BYTES of a 200 MB repository, and says so once", async () => {
    const entries = Array.from({ length: 20_000 }, (_, i) => ({ path: `f/${i}.yaml`, sha: `s${i}`, size: 10_000 }));
    const g = bigRepo(entries, 10_000);
    const { files, problems } = await readYamlFiles(g, repo, "tree");
    expect(g.bytesRead).toBeLessThanOrEqual(DEFAULT_READ_BUDGET.maxBytes);
    expect(files.length).toBe(g.blobs);
    expect(problems.filter((p) => p.code === "repository.too-large")).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/REPOSITORY_MAX_FILES \/ REPOSITORY_MAX_BYTES/);
    process.stdout.write(`repository read: ${g.blobs} of 20000 files, ${g.bytesRead} B of 200000000 B\n`);
  });

  it("stops at the file count, and checks blobs the tree gives no size for", async () => {
    const entries = Array.from({ length: 50 }, (_, i) => ({ path: `f/${i}.yaml`, sha: `s${i}` }));
    const g = bigRepo(entries, 100_000);
    const { files, problems } = await readYamlFiles(g, repo, "tree", { maxFiles: 20, maxBytes: 1 * MB, maxFileBytes: MB });
    expect(files.length).toBeLessThanOrEqual(10);
    expect(files.reduce((n, f) => n + f.content.length, 0)).toBeLessThanOrEqual(MB);
    expect(problems.map((p) => p.code)).toEqual(["repository.too-large"]);
  });

  it("does not read a 1 MB file of tiny nodes, so neither the manifests nor the setters compose it", async () => {
    const bomb = "apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata:\n  name: x\nspec:\n  l:\n" + "  - a\n".repeat(170_000);
    const plain = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n";
    const blobs: Record<string, string> = { b: bomb, p: plain };
    const g = {
      listTree: async () => [
        { path: "bomb.yaml", sha: "b", size: bomb.length },
        { path: "ok.yaml", sha: "p", size: plain.length },
      ],
      readBlob: async (_r: unknown, sha: string) => blobs[sha]!,
    } as unknown as RepoGateway;
    const started = Date.now();
    const { files, problems } = await readYamlFiles(g, repo, "tree");
    const model = parseRepository(files);
    const ms = Date.now() - started;
    expect(files.map((f) => f.path)).toEqual(["ok.yaml"]);
    expect(problems).toEqual([expect.objectContaining({ code: "repository.file-too-complex", file: "bomb.yaml", severity: "warning" })]);
    expect(model.problems).toEqual([]);
    // before: parsing the manifests of this file alone took 6 s and +186 MB on the same machine
    expect(ms).toBeLessThan(3_000);
    process.stdout.write(`1 MB manifest bomb: left unread after ${ms} ms\n`);
  });

  it("budgets the local reader (the CLI) the same way", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fib-budget-"));
    for (let i = 0; i < 30; i++) writeFileSync(join(dir, `f${String(i).padStart(2, "0")}.yaml`), `a: ${"x".repeat(100_000)}\n`);
    writeFileSync(join(dir, "huge.yaml"), "x".repeat(2 * MB));
    writeFileSync(join(dir, "a-bomb.yaml"), "l:\n" + "- a\n".repeat(200_000));
    const r = await readTree(dir, isYamlFile, { budget: { maxFiles: 1000, maxBytes: MB, maxFileBytes: MB } });
    expect(r.files.reduce((n, f) => n + f.content.length, 0)).toBeLessThanOrEqual(MB);
    expect(r.problems.map((p) => p.code).sort()).toEqual(["repository.file-too-complex", "repository.file-too-large", "repository.too-large"]);
  });
});

describe("registry pages and concurrency", () => {
  let reg: FakeRegistry;
  let inFlight = 0;
  let maxInFlight = 0;
  beforeAll(async () => {
    reg = await startFake(async (_req, res, url) => {
      if (url.pathname === "/v2/big/tags/list") return json(res, 200, { name: "big", tags: Array.from({ length: 600_000 }, (_, i) => `t${i}`) });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 100));
      inFlight--;
      json(res, 200, { name: "app", tags: ["v1"] });
    });
  });
  afterAll(async () => {
    await reg?.close();
  });

  it("fails a tag page over the page budget instead of holding it", async () => {
    const client = createRegistryClient({ mode: "cli", retries: 0, maxResponseBytes: 4 * MB });
    await expect(client.listTags(`${reg.host}/big`, { insecure: true })).rejects.toMatchObject({
      code: "registry.invalid-response",
      message: expect.stringContaining(`larger than ${4 * MB} bytes`),
    });
  });

  it("bounds requests in flight per process across 40 host names", async () => {
    const loopback: LookupFunction = (_h, o, cb) => {
      const a: LookupAddress = { address: "127.0.0.1", family: 4 };
      if (o.all) cb(null, [a]);
      else cb(null, a.address, a.family);
    };
    const client = createRegistryClient({ mode: "cli", retries: 0, lookup: loopback, maxConcurrent: 4, maxConcurrentPerHost: 4 });
    maxInFlight = 0;
    const scans = Array.from({ length: 40 }, (_, i) => client.listTags(`h${i}.example.test:${reg.port}/app`, { insecure: true }));
    expect((await Promise.all(scans)).every((r) => r.tags[0] === "v1")).toBe(true);
    // before: 4 per distinct host name, so 40 names made 40 (and 40 pages of up to 32 MiB) at once
    expect(maxInFlight).toBeLessThanOrEqual(4);
    expect(maxInFlight).toBeGreaterThan(0);
  });
});
