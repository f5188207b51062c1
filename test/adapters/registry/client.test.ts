import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { createHash } from "node:crypto";
import { createRegistryClient, type RegistryClientOptions } from "../../../src/adapters/registry/index.js";
import { json, startFake, type FakeRegistry } from "./fake-registry.js";

let fake: FakeRegistry;
beforeAll(async () => {
  fake = await startFake();
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  fake.requests.length = 0;
});

const sleeps: number[] = [];
function client(extra: Partial<RegistryClientOptions> = {}) {
  sleeps.length = 0;
  return createRegistryClient({
    mode: "cli",
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...extra,
  });
}
const image = () => `${fake.host}/team/app`;
const insecure = { insecure: true } as const;

describe("pagination", () => {
  it("follows relative and absolute Link next URLs and sends n", async () => {
    fake.setHandler((_req, res, url) => {
      const last = url.searchParams.get("last");
      if (!last) return json(res, 200, { name: "team/app", tags: ["a", "b"] }, { link: '</v2/team/app/tags/list?n=2&last=b>; rel="next"' });
      if (last === "b") return json(res, 200, { tags: ["c", "d"] }, { link: `<${fake.origin}/v2/team/app/tags/list?n=2&last=d>; rel="next"` });
      return json(res, 200, { tags: ["e"] });
    });
    const r = await client({ pageSize: 2 }).listTags(image(), insecure);
    expect(r).toEqual({ tags: ["a", "b", "c", "d", "e"], droppedInvalid: 0, truncated: false, requests: 3, pages: 3 });
    expect(fake.requests[0]!.path).toBe("/v2/team/app/tags/list?n=2");
  });

  it("handles registries that do not paginate and a null tag list", async () => {
    fake.setHandler((_q, res) => json(res, 200, { name: "team/app", tags: null }));
    await expect(client().listTags(image(), insecure)).resolves.toMatchObject({ tags: [], pages: 1 });
  });

  it("stops an endless Link chain at maxPages", async () => {
    let i = 0;
    fake.setHandler((_q, res) => {
      i++;
      json(res, 200, { tags: [`t${i}`] }, { link: `</v2/team/app/tags/list?last=t${i}>; rel="next"` });
    });
    const r = await client({ maxPages: 7 }).listTags(image(), insecure);
    expect(r).toMatchObject({ truncated: true, pages: 7 });
    expect(r.tags).toHaveLength(7);
  });

  it("stops a Link loop back to a page already read", async () => {
    fake.setHandler((_q, res) => json(res, 200, { tags: ["x"] }, { link: "</v2/team/app/tags/list?n=1000>; rel=next" }));
    const r = await client().listTags(image(), insecure);
    expect(r).toMatchObject({ truncated: true, pages: 1, tags: ["x"] });
  });

  it("caps the total number of tags", async () => {
    fake.setHandler((_q, res) => json(res, 200, { tags: Array.from({ length: 50 }, (_, i) => `v${i}`) }));
    const r = await client({ maxTags: 10 }).listTags(image(), insecure);
    expect(r).toMatchObject({ truncated: true });
    expect(r.tags).toHaveLength(10);
  });
});

describe("tag validation and bodies", () => {
  it("drops and counts hostile tags", async () => {
    const hostile = ["ok-1", "bad\nline", "../../etc", "x".repeat(10 * 1024 * 1024), "ünïcode", "", ".dot", 42, null, "a".repeat(129), "fine_2"];
    fake.setHandler((_q, res) => json(res, 200, { tags: hostile }));
    const r = await client().listTags(image(), insecure);
    expect(r.tags).toEqual(["ok-1", "fine_2"]);
    expect(r.droppedInvalid).toBe(9);
  });

  it("refuses a body larger than the cap", async () => {
    fake.setHandler((_q, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"tags":["');
      const chunk = "a".repeat(64 * 1024);
      let n = 0;
      const pump = (): void => {
        while (n++ < 100) if (!res.write(chunk)) return void res.once("drain", pump);
        res.end('"]}');
      };
      pump();
    });
    await expect(client({ maxResponseBytes: 1024 * 1024 }).listTags(image(), insecure)).rejects.toMatchObject({ code: "registry.invalid-response" });
  });

  it.each([
    ["non-JSON", "<html>hello</html>"],
    ["truncated JSON", '{"name":"team/app","tags":["a","b'],
    ["empty body", ""],
    ["wrong shape", '{"tags":"latest"}'],
    ["array", "[]"],
  ])("%s → registry.invalid-response", async (_n, body) => {
    fake.setHandler((_q, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) });
      res.end(body);
    });
    await expect(client().listTags(image(), insecure)).rejects.toMatchObject({ code: "registry.invalid-response", retryable: false });
  });

  it("a connection cut mid-body is retried, then reported as invalid-response", async () => {
    fake.setHandler((_q, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
      res.write('{"tags":["a",');
      setTimeout(() => res.destroy(), 10);
    });
    const err = await client({ retries: 2 })
      .listTags(image(), insecure)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "registry.invalid-response" });
    expect(fake.requests).toHaveLength(3);
  });
});

describe("retries", () => {
  it("honours Retry-After on 429, then succeeds", async () => {
    let n = 0;
    fake.setHandler((_q, res) => (n++ === 0 ? json(res, 429, { errors: [] }, { "retry-after": "3" }) : json(res, 200, { tags: ["a"] })));
    const r = await client().listTags(image(), insecure);
    expect(r.tags).toEqual(["a"]);
    expect(sleeps).toEqual([3000]);
  });

  it("a Retry-After beyond the limit fails fast with registry.rate-limited", async () => {
    fake.setHandler((_q, res) => json(res, 429, {}, { "retry-after": "3600" }));
    const err = await client()
      .listTags(image(), insecure)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "registry.rate-limited", retryable: true, retryAfterMs: 3_600_000 });
    expect(sleeps).toEqual([]);
  });

  it("retries 5xx with growing backoff, then succeeds", async () => {
    let n = 0;
    fake.setHandler((_q, res) => (n++ < 3 ? json(res, 503, {}) : json(res, 200, { tags: ["a"] })));
    const r = await client().listTags(image(), insecure);
    expect(r).toMatchObject({ tags: ["a"], requests: 4 });
    expect(sleeps).toHaveLength(3);
    expect(sleeps[2]!).toBeGreaterThanOrEqual(1000); // 500·2² with jitter ≥ 0.5
  });

  it("gives up after the retry budget with registry.unavailable", async () => {
    fake.setHandler((_q, res) => json(res, 502, {}));
    await expect(client({ retries: 2 }).listTags(image(), insecure)).rejects.toMatchObject({ code: "registry.unavailable", retryable: true });
    expect(fake.requests).toHaveLength(3);
  });

  it("a hung registry → registry.timeout", async () => {
    fake.setHandler(() => undefined); // never answers
    const t0 = Date.now();
    const err = await client({ requestTimeoutMs: 150, retries: 1 })
      .listTags(image(), insecure)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "registry.timeout", retryable: true });
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it("the per-scan timeout bounds the whole operation", async () => {
    fake.setHandler(() => undefined);
    const t0 = Date.now();
    const err = await createRegistryClient({ mode: "cli", requestTimeoutMs: 60_000 })
      .listTags(image(), { ...insecure, timeoutMs: 1000 })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "registry.timeout" });
    expect(Date.now() - t0).toBeLessThan(4000);
  });

  it("limits concurrent requests per host", async () => {
    let inFlight = 0;
    let max = 0;
    fake.setHandler((_q, res) => {
      inFlight++;
      max = Math.max(max, inFlight);
      setTimeout(() => {
        inFlight--;
        json(res, 200, { tags: ["a"] });
      }, 30);
    });
    const c = client({ maxConcurrentPerHost: 2 });
    await Promise.all(Array.from({ length: 6 }, () => c.listTags(image(), insecure)));
    expect(max).toBe(2);
  });
});

describe("authentication", () => {
  const realmPath = "/token";
  function bearerRegistry(opts: { expiresIn?: number } = {}) {
    let tokenRequests = 0;
    fake.setHandler((req, res, url) => {
      if (url.pathname === realmPath) {
        tokenRequests++;
        if (req.method === "POST") return json(res, 200, { access_token: "tok-from-refresh", expires_in: opts.expiresIn ?? 300 });
        if (req.headers.authorization && req.headers.authorization !== `Basic ${Buffer.from("u:pw-123").toString("base64")}`) return json(res, 401, {});
        return json(res, 200, { token: `tok-${tokenRequests}`, expires_in: opts.expiresIn ?? 300 });
      }
      if (!req.headers.authorization?.startsWith("Bearer tok-")) {
        return json(
          res,
          401,
          { errors: [{ code: "UNAUTHORIZED" }] },
          {
            "www-authenticate": `Bearer realm="${fake.origin}${realmPath}",service="fake.registry",scope="repository:team/app:pull"`,
          },
        );
      }
      return json(res, 200, { tags: ["1.0.0"] });
    });
    return { count: () => tokenRequests };
  }

  it("answers a Bearer challenge and caches the token across calls", async () => {
    const reg = bearerRegistry();
    const c = client();
    const first = await c.listTags(image(), { ...insecure, credentials: { username: "u", password: "pw-123" } });
    expect(first).toMatchObject({ tags: ["1.0.0"], requests: 3 });
    const tokenReq = fake.requests.find((r) => r.path.startsWith(realmPath))!;
    expect(tokenReq.path).toBe("/token?service=fake.registry&scope=repository%3Ateam%2Fapp%3Apull");
    expect(tokenReq.authorization).toBe(`Basic ${Buffer.from("u:pw-123").toString("base64")}`);
    for (let i = 0; i < 5; i++) await c.listTags(image(), { ...insecure, credentials: { username: "u", password: "pw-123" } });
    await Promise.all(
      Array.from({ length: 5 }, () => c.getDigest(image(), "1.0.0", { ...insecure, credentials: { username: "u", password: "pw-123" } }).catch(() => "")),
    );
    expect(reg.count()).toBe(1);
  });

  it("concurrent first calls share one token request", async () => {
    const reg = bearerRegistry();
    const c = client();
    await Promise.all(Array.from({ length: 5 }, () => c.listTags(image(), insecure)));
    expect(reg.count()).toBe(1);
  });

  it("refreshes the token once it expires", async () => {
    const reg = bearerRegistry({ expiresIn: 60 });
    let now = 1_000_000;
    const c = client({ now: () => now });
    await c.listTags(image(), insecure);
    now += 30_000;
    await c.listTags(image(), insecure);
    expect(reg.count()).toBe(1);
    now += 60_000;
    await c.listTags(image(), insecure);
    expect(reg.count()).toBe(2);
  });

  it("uses an identity token as OAuth2 refresh token (POST grant_type=refresh_token)", async () => {
    bearerRegistry();
    const r = await client().listTags(image(), { ...insecure, credentials: { username: "<token>", identityToken: "refresh-XYZ" } });
    expect(r.tags).toEqual(["1.0.0"]);
    const post = fake.requests.find((q) => q.method === "POST")!;
    const form = new URLSearchParams(post.body);
    expect(form.get("grant_type")).toBe("refresh_token");
    expect(form.get("refresh_token")).toBe("refresh-XYZ");
    expect(form.get("service")).toBe("fake.registry");
    expect(form.get("scope")).toBe("repository:team/app:pull");
  });

  it("a refused token request → registry.auth without secrets in the message", async () => {
    bearerRegistry();
    const err = (await client()
      .listTags(image(), { ...insecure, credentials: { username: "u", password: "WRONG-secret" } })
      .catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ code: "registry.auth", retryable: false });
    expect(err.message).not.toContain("WRONG-secret");
    expect(JSON.stringify(err)).not.toContain("WRONG-secret");
  });

  it("401 with a Basic challenge and no credentials → registry.auth", async () => {
    fake.setHandler((_q, res) => json(res, 401, {}, { "www-authenticate": 'Basic realm="x"' }));
    await expect(client().listTags(image(), insecure)).rejects.toMatchObject({ code: "registry.auth" });
  });

  it("403 → registry.auth, 404 → registry.not-found", async () => {
    fake.setHandler((_q, res) => json(res, 403, {}));
    await expect(client().listTags(image(), insecure)).rejects.toMatchObject({ code: "registry.auth" });
    fake.setHandler((_q, res) => json(res, 404, { errors: [{ code: "NAME_UNKNOWN" }] }));
    await expect(client().listTags(image(), insecure)).rejects.toMatchObject({ code: "registry.not-found" });
  });
});

describe("digests", () => {
  const manifest = '{"schemaVersion":2}';
  const digest = `sha256:${createHash("sha256").update(manifest).digest("hex")}`;

  it("HEAD with the manifest media types and Docker-Content-Digest", async () => {
    fake.setHandler((req, res) => {
      res.writeHead(200, { "docker-content-digest": digest, "content-type": "application/vnd.oci.image.index.v1+json" });
      res.end(req.method === "HEAD" ? undefined : manifest);
    });
    await expect(client().getDigest(image(), "v1", insecure)).resolves.toBe(digest);
    expect(fake.requests.map((r) => r.method)).toEqual(["HEAD"]);
  });

  it("falls back to GET and hashes the body when the header is missing", async () => {
    fake.setHandler((req, res) => {
      res.writeHead(200, { "content-type": "application/vnd.oci.image.manifest.v1+json", "content-length": String(manifest.length) });
      res.end(req.method === "HEAD" ? undefined : manifest);
    });
    await expect(client().getDigest(image(), "v1", insecure)).resolves.toBe(digest);
    expect(fake.requests.map((r) => r.method)).toEqual(["HEAD", "GET"]);
  });

  it("rejects an invalid tag before any request", async () => {
    await expect(client().getDigest(image(), "../x", insecure)).rejects.toMatchObject({ code: "registry.invalid-image" });
    expect(fake.requests).toHaveLength(0);
  });
});

describe("image names", () => {
  it("rejects an invalid spec.image", async () => {
    await expect(client().listTags("https://ghcr.io/org/app")).rejects.toMatchObject({ code: "registry.invalid-image" });
    await expect(client().listTags("ghcr.io/org/app:1.0")).rejects.toMatchObject({ code: "registry.invalid-image" });
  });
});
