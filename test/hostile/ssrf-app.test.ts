/**
 * Hostile repositories through the whole app (signed webhooks, queues,
 * workers, server-mode registry client): ImageRepositories that point at
 * loopback, link-local metadata, IPv6 loopback, a name resolving to a private
 * address, and a registry that redirects to one are refused with
 * `registry.forbidden-address`, recorded as Problems, and no request reaches
 * the target; a secretRef naming another account's credentials uses none.
 * The repository's other ImageRepository still scans.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { lookup as dnsLookup } from "node:dns";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRegistryClient, type LookupFunction } from "../../src/adapters/registry/index.js";
import { allProblems } from "../../src/app/state.js";
import { json, startFake, type FakeRegistry } from "../adapters/registry/fake-registry.js";
import { startHarness, type Harness } from "../helpers/app-harness.js";
import { installationPayload } from "../helpers/e2e-fixtures.js";

const repo = (name: string, image: string, extra = "") =>
  `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  image: "${image}"\n  interval: 5m\n  insecure: true\n${extra}`;

describe("hostile ImageRepositories through the app", () => {
  let h: Harness;
  let good: FakeRegistry;
  let target: FakeRegistry;
  let redirector: FakeRegistry;
  const resolved: string[] = [];
  const id = { installationId: 11, owner: "octo", repo: "hostile" };

  beforeAll(async () => {
    target = await startFake((_q, res) => json(res, 200, { name: "org/app", tags: ["stolen"] }));
    good = await startFake((req, res, url) => {
      if (url.pathname === "/v2/") return json(res, 200, {});
      if (req.headers.authorization) return json(res, 200, { name: "org/private", tags: ["secret-tag"] });
      if (url.pathname === "/v2/org/private/tags/list")
        return json(res, 401, { errors: [{ code: "UNAUTHORIZED" }] }, { "www-authenticate": `Basic realm="fake"` });
      return json(res, 200, { name: "org/app", tags: ["v1.0.0", "v1.1.0"] });
    });
    redirector = await startFake((_q, res, url) => {
      res.writeHead(302, { location: `http://127.0.0.1:${target.port}${url.pathname}${url.search}` });
      res.end();
    });
    const lookup: LookupFunction = (hostname, options, cb) => {
      resolved.push(hostname);
      if (hostname === "private.example") return cb(null, [{ address: "10.0.0.5", family: 4 }]);
      if (hostname === "rebind.example")
        return cb(null, [
          { address: "93.184.216.34", family: 4 },
          { address: "127.0.0.1", family: 4 },
        ]);
      if (hostname === "redirect.example") return cb(null, [{ address: "127.0.0.1", family: 4 }]);
      (dnsLookup as unknown as LookupFunction)(hostname, options, cb);
    };
    const dir = mkdtempSync(join(tmpdir(), "fib-creds-"));
    const credsFile = join(dir, "credentials.json");
    const auth = (u: string) => Buffer.from(`${u}:pw-${u}`).toString("base64");
    writeFileSync(
      credsFile,
      JSON.stringify({
        accounts: {
          "1001": { login: "octo", secrets: { "a-secret": { auths: { [good.host]: { auth: auth("alice") } } } } },
          "1002": { login: "other", secrets: { "b-secret": { auths: { [good.host]: { auth: auth("bob") } } } } },
        },
      }),
    );
    const allowedHosts = [good.host, `redirect.example:${redirector.port}`];
    h = await startHarness(
      { REGISTRY_ALLOWED_HOSTS: allowedHosts.join(","), REGISTRY_CREDENTIALS_FILE: credsFile },
      { overrides: { registry: createRegistryClient({ mode: "server", allowedHosts, lookup, retries: 0, userAgent: "flux-image-bot" }) } },
    );
    h.github.addInstallation(id.installationId, "octo");
    h.github.seedRepo({
      owner: "octo",
      repo: "hostile",
      installationId: id.installationId,
      files: {
        "flux/good.yaml": repo("good", `${good.host}/org/app`),
        "flux/loopback.yaml": repo("loopback", `127.0.0.1:${target.port}/org/app`),
        "flux/metadata.yaml": repo("metadata", "169.254.169.254/latest/meta"),
        "flux/v6.yaml": repo("v6", `[::1]:${target.port}/org/app`),
        "flux/private-name.yaml": repo("private-name", `private.example:${target.port}/org/app`),
        "flux/rebind.yaml": repo("rebind", `rebind.example:${target.port}/org/app`),
        "flux/redirect.yaml": repo("redirect", `redirect.example:${redirector.port}/org/app`),
        "flux/borrowed.yaml": repo("borrowed", `${good.host}/org/private`, "  secretRef:\n    name: b-secret\n"),
        "flux/own.yaml": repo("own", `${good.host}/org/private`, "  secretRef:\n    name: a-secret\n"),
      },
    });
    expect(await h.deliver("installation", installationPayload(id.installationId, "octo", ["hostile"]))).toBe(200);
    await h.drain();
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
    await Promise.all([good?.close(), target?.close(), redirector?.close()]);
  });

  it.each(["loopback", "metadata", "v6", "private-name", "rebind", "redirect"])("%s is refused with registry.forbidden-address and a Problem", async (name) => {
    const state = await h.services.state.get(id);
    const scan = state?.scans[`flux-system/${name}`];
    expect(scan?.error?.code).toBe("registry.forbidden-address");
    expect(scan?.tagCount).toBeUndefined();
    const problems = allProblems(state!).filter((p) => p.object === `ImageRepository/flux-system/${name}`);
    expect(problems.map((p) => p.code)).toContain("registry.forbidden-address");
    expect(problems.find((p) => p.code === "registry.forbidden-address")?.message).toMatch(/REGISTRY_ALLOWED_HOSTS/);
  });

  it("no request reached the private target; the redirect hop was the only one", () => {
    expect(target.requests).toEqual([]);
    expect(redirector.requests.length).toBeGreaterThan(0);
    expect(resolved).toEqual(expect.arrayContaining(["private.example", "rebind.example"]));
  });

  it("the repository's good ImageRepository still scans", async () => {
    const state = await h.services.state.get(id);
    expect(state?.scans["flux-system/good"]).toMatchObject({ tagCount: 2 });
    expect(state?.scans["flux-system/good"]?.error).toBeUndefined();
  });

  it("a secretRef naming another account's secret uses no credentials and says so", async () => {
    const state = await h.services.state.get(id);
    expect(state?.scans["flux-system/borrowed"]?.error?.code).toBe("registry.no-credentials");
    const p = allProblems(state!).find((x) => x.object === "ImageRepository/flux-system/borrowed");
    expect(p?.code).toBe("registry.no-credentials");
    expect(p?.message).toMatch(/no registry credentials named "b-secret"/);
    const bob = `Basic ${Buffer.from("bob:pw-bob").toString("base64")}`;
    expect(good.requests.some((r) => r.authorization === bob)).toBe(false);
    // the account's own secret works
    expect(state?.scans["flux-system/own"]).toMatchObject({ tagCount: 1, latestTags: ["secret-tag"] });
  });
});
