/**
 * End to end: the App keeps a repository whose image lives in Amazon ECR up to
 * date with nothing but the operator's cloud identity (here AWS keys, the ECR
 * API faked through AWS_ENDPOINT_URL_ECR), an allow-list entry
 * (REGISTRY_PROVIDER_ACCOUNTS) and the registry's private CA
 * (REGISTRY_CA_FILE). The registry is Debian's docker-registry behind Basic
 * auth, behind TLS, answering to the ECR host name. Another account's
 * repository asking for the same provider gets a Problem and no token.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LookupFunction } from "../../src/adapters/registry/index.js";
import { json, startFake, type FakeRegistry } from "../adapters/registry/fake-registry.js";
import { startHarness, type Harness } from "../helpers/app-harness.js";
import { exampleFiles, installationPayload } from "../helpers/e2e-fixtures.js";
import { ensureDockerRegistry, startRegistry, type TestRegistry } from "../helpers/registry-server.js";
import { makePki, startTlsFront, type TlsFront } from "../helpers/tls-servers.js";

const unavailable = ensureDockerRegistry();
if (unavailable) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPING the ECR end-to-end test: ${unavailable}`);
}
const suite = unavailable ? describe.skip : describe;

const ECR = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
const PASSWORD = "ecr-e2e-password";

const lookup: LookupFunction = (hostname, options, cb) => {
  if (hostname !== ECR) return cb(Object.assign(new Error("not found"), { code: "ENOTFOUND" }), "", 0);
  if (options.all) return cb(null, [{ address: "127.0.0.1", family: 4 }]);
  cb(null, "127.0.0.1", 4);
};

/** The docs' example with its image in ECR and `provider: aws` instead of `insecure: true`. */
function files(): Record<string, string> {
  const out = exampleFiles(ECR);
  const key = "clusters/production/image-automation/image-repositories.yaml";
  out[key] = out[key]!.replace("insecure: true", "provider: aws");
  return out;
}

suite("the App with an ECR image and the operator's AWS identity", () => {
  let reg: TestRegistry;
  let front: TlsFront;
  let ecr: FakeRegistry;
  let h: Harness;
  let dir: string;
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    reg = await startRegistry({ extraUsers: [["AWS", PASSWORD]] });
    await reg.push("gethomepage/homepage", ["v0.8.13", "v0.9.0", "v1.0.4", "v1.1.1", "latest"]);
    const pki = makePki([ECR]);
    front = await startTlsFront({ pki, backendPort: reg.port });
    ecr = await startFake((_req, res) =>
      json(
        res,
        200,
        { authorizationData: [{ authorizationToken: Buffer.from(`AWS:${PASSWORD}`).toString("base64"), expiresAt: Date.now() / 1000 + 12 * 3600 }] },
        { "content-type": "application/x-amz-json-1.1" },
      ),
    );
    dir = mkdtempSync(join(tmpdir(), "fib-e2e-ecr-"));
    writeFileSync(join(dir, "ca.pem"), pki.ca);
    const env: Record<string, string> = {
      AWS_ENDPOINT_URL_ECR: ecr.origin,
      AWS_ACCESS_KEY_ID: "AKIDE2E",
      AWS_SECRET_ACCESS_KEY: "e2e-secret-key",
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_CONFIG_FILE: join(dir, "none"),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "none"),
    };
    for (const [k, v] of Object.entries(env)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    h = await startHarness(
      { REGISTRY_ALLOWED_HOSTS: ECR, REGISTRY_PROVIDER_ACCOUNTS: "octo:aws", REGISTRY_CA_FILE: join(dir, "ca.pem") },
      { overrides: { registryNetwork: { lookup, portOverride: (host, port) => (host === ECR && port === 443 ? front.port : undefined) } } },
    );
    h.github.addInstallation(7, "octo");
    h.github.seedRepo({ owner: "octo", repo: "homelab", installationId: 7, files: files() });
    h.github.addInstallation(8, "mallory");
    h.github.seedRepo({ owner: "mallory", repo: "lab", installationId: 8, files: files() });
  }, 120_000);

  afterAll(async () => {
    await h?.stop();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await Promise.all([front?.close(), ecr?.close()]);
    await reg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("commits the update for the allowed account; the other gets a Problem and no token", async () => {
    expect(await h.deliver("installation", installationPayload(7, "octo", ["homelab"]), { id: "ecr-1" })).toBe(200);
    expect(await h.deliver("installation", installationPayload(8, "mallory", ["lab"]), { id: "ecr-2" })).toBe(200);
    await h.drain(60_000);

    const deployment = h.github.readFile("octo", "homelab", "main", "apps/homepage/deployment.yaml")!;
    expect(deployment).toContain(`image: ${ECR}/gethomepage/homepage:v1.1.1 # {"$imagepolicy": "flux-system:my-app"}`);
    expect(h.github.listCommits("octo", "homelab", "main").filter((c) => c.author.name === "flux-image-automation")).toHaveLength(1);
    expect(ecr.requests).toHaveLength(1);
    expect(front.requests.some((q) => q.basicUser === "AWS")).toBe(true);

    expect(h.github.listCommits("mallory", "lab", "main").filter((c) => c.author.name === "flux-image-automation")).toHaveLength(0);
    const state = await h.services.state.get({ installationId: 8, owner: "mallory", repo: "lab" });
    const scan = Object.values(state?.scans ?? {})[0];
    expect(scan?.error).toMatchObject({ code: "registry.provider-not-allowed", message: expect.stringContaining("REGISTRY_PROVIDER_ACCOUNTS=mallory:aws") });
    // the ECR password and the AWS secret key never reach the logs
    expect(h.logs.join("\n")).not.toContain(PASSWORD);
    expect(h.logs.join("\n")).not.toContain("e2e-secret-key");
  }, 120_000);
});
