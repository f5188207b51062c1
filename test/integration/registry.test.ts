/**
 * Against a real registry (Debian's docker-registry, distribution 2.8) on
 * loopback with htpasswd (Basic) auth. Skipped only when it cannot be installed.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createRegistryClient } from "../../src/adapters/registry/index.js";
import type { RegistryCredentials } from "../../src/app/ports/index.js";
import { ensureDockerRegistry, startRegistry, type PushedImage, type TestRegistry } from "../helpers/registry-server.js";

const unavailable = ensureDockerRegistry();
if (unavailable) {
  console.warn(`SKIPPING real-registry tests: ${unavailable}`);
}
const suite = unavailable ? describe.skip : describe;

suite("registry client against docker-registry (distribution v2)", () => {
  let reg: TestRegistry;
  let pushed: PushedImage[];
  let creds: RegistryCredentials;
  const tags = Array.from({ length: 50 }, (_, i) => (i % 2 ? `v1.${i}.0` : `1.0.${i}`));

  beforeAll(async () => {
    reg = await startRegistry();
    creds = { username: reg.username, password: reg.password };
    pushed = await reg.push("team/app", tags);
  }, 60_000);
  afterAll(async () => {
    await reg?.stop();
  });

  it("lists all 50 tags with Basic auth", async () => {
    const client = createRegistryClient({ mode: "cli" });
    const r = await client.listTags(`${reg.host}/team/app`, { insecure: true, credentials: creds });
    expect([...r.tags].sort()).toEqual([...tags].sort());
    expect(r).toMatchObject({ droppedInvalid: 0, truncated: false, pages: 1 });
    // first request unauthenticated, challenged, then with Basic
    expect(r.requests).toBe(2);
    const again = await client.listTags(`${reg.host}/team/app`, { insecure: true, credentials: creds });
    expect(again.requests).toBe(1);
  });

  it("pages through the registry with a small n (the registry honours n/last)", async () => {
    const client = createRegistryClient({ mode: "cli", pageSize: 7 });
    const r = await client.listTags(`${reg.host}/team/app`, { insecure: true, credentials: creds });
    expect(r.tags).toHaveLength(50);
    expect(new Set(r.tags).size).toBe(50);
    expect(r.pages).toBeGreaterThanOrEqual(1);
  });

  it("wrong password → registry.auth, without leaking the password", async () => {
    const client = createRegistryClient({ mode: "cli" });
    const err = await client
      .listTags(`${reg.host}/team/app`, { insecure: true, credentials: { username: reg.username, password: "wrong-pw-XYZ" } })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "registry.auth", retryable: false });
    expect(JSON.stringify(err) + String(err)).not.toContain("wrong-pw-XYZ");
  });

  it("no credentials → registry.auth", async () => {
    const client = createRegistryClient({ mode: "cli" });
    await expect(client.listTags(`${reg.host}/team/app`, { insecure: true })).rejects.toMatchObject({ code: "registry.auth" });
  });

  it("missing repository → registry.not-found", async () => {
    const client = createRegistryClient({ mode: "cli" });
    await expect(client.listTags(`${reg.host}/team/missing`, { insecure: true, credentials: creds })).rejects.toMatchObject({
      code: "registry.not-found",
      retryable: false,
    });
  });

  it("digest lookup returns the pushed manifest digest", async () => {
    const client = createRegistryClient({ mode: "cli" });
    for (const p of pushed.slice(0, 5)) {
      await expect(client.getDigest(`${reg.host}/team/app`, p.tag, { insecure: true, credentials: creds })).resolves.toBe(p.digest);
    }
    await expect(client.getDigest(`${reg.host}/team/app`, "nope", { insecure: true, credentials: creds })).rejects.toMatchObject({
      code: "registry.not-found",
    });
  });

  it("server mode refuses the loopback registry unless allow-listed", async () => {
    const strict = createRegistryClient({ mode: "server" });
    await expect(strict.listTags(`${reg.host}/team/app`, { insecure: true, credentials: creds })).rejects.toMatchObject({
      code: "registry.forbidden-address",
    });
    const allowed = createRegistryClient({ mode: "server", allowedHosts: [reg.host] });
    const r = await allowed.listTags(`${reg.host}/team/app`, { insecure: true, credentials: creds });
    expect(r.tags).toHaveLength(50);
  });

  it("without spec.insecure it speaks HTTPS and fails as unavailable", async () => {
    const client = createRegistryClient({ mode: "cli", retries: 0 });
    const err = await client.listTags(`${reg.host}/team/app`, { credentials: creds }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: expect.stringMatching(/^registry\.(unavailable|invalid-response)$/) });
  });
});
