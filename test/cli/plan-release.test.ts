/**
 * `plan --json` against a real registry (Debian's docker-registry) holding
 * images with labels and creation times: age, source, update type and why
 * a candidate waits. Skipped only when the registry cannot be installed.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { main } from "../../src/cli.js";
import { ociPusher } from "../helpers/oci-push.js";
import { ensureDockerRegistry, startRegistry, type TestRegistry } from "../helpers/registry-server.js";

const unavailable = ensureDockerRegistry();
if (unavailable) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPING plan --json release tests: ${unavailable}`);
}
const suite = unavailable ? describe.skip : describe;
const EXAMPLE = "test/fixtures/example";
const DEPLOY = "apps/homepage/deployment.yaml";
const POLICIES = "clusters/production/image-automation/image-policies.yaml";
const daysAgo = (d: number): string => new Date(Date.now() - d * 86_400_000).toISOString();

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { out: (s) => (out += `${s}\n`), err: (s) => (err += `${s}\n`) }, Readable.from([""]));
  return { code, out, err };
}

suite("plan --json shows release information", () => {
  let reg: TestRegistry;
  let cfg: string;
  let dir: string;
  const saved = process.env.DOCKER_CONFIG;
  beforeAll(async () => {
    reg = await startRegistry();
    const push = ociPusher(reg);
    await push.image("team/app", "1.0.0", { created: daysAgo(40), labels: { "org.opencontainers.image.source": "https://github.com/team/app" } });
    await push.image("team/app", "1.1.0", {
      created: daysAgo(5),
      labels: { "org.opencontainers.image.source": "https://github.com/team/app", "org.opencontainers.image.revision": "abcdef1234567" },
    });
    await push.image("team/app", "2.0.0", { created: daysAgo(1), labels: { "org.opencontainers.image.source": "https://github.com/team/app" } });
    cfg = mkdtempSync(join(tmpdir(), "fib-docker-"));
    writeFileSync(
      join(cfg, "config.json"),
      JSON.stringify({ auths: { [reg.host]: { auth: Buffer.from(`${reg.username}:${reg.password}`).toString("base64") } } }),
    );
    process.env.DOCKER_CONFIG = cfg;
    dir = mkdtempSync(join(tmpdir(), "fib-plan-release-"));
    cpSync(EXAMPLE, dir, { recursive: true });
    const repoFile = join(dir, "clusters/production/image-automation/image-repositories.yaml");
    writeFileSync(
      repoFile,
      readFileSync(repoFile, "utf8").replace("ghcr.io/gethomepage/homepage", `${reg.host}/team/app`).replace("interval: 5m", "interval: 5m\n  insecure: true"),
    );
    writeFileSync(join(dir, DEPLOY), readFileSync(join(dir, DEPLOY), "utf8").replace("ghcr.io/gethomepage/homepage:v0.9.0", `${reg.host}/team/app:1.0.0`));
  }, 90_000);
  afterAll(async () => {
    if (saved === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = saved;
    rmSync(cfg, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
    await reg?.stop();
  });

  it("without the annotation: the newest, with its age, source and a major update", async () => {
    writeFileSync(join(dir, POLICIES), readFileSync(join(EXAMPLE, POLICIES), "utf8").replace('">=0.9.0"', '">=1.0.0"'));
    const r = await run(["plan", dir, "--json"]);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.out);
    expect(plan.policies[0].release).toMatchObject({ tag: "2.0.0", age: "published 1 day ago", source: "https://github.com/team/app" });
    expect(Math.abs(Date.parse(plan.policies[0].release.created) - Date.parse(daysAgo(1)))).toBeLessThan(120_000);
    expect(plan.policies[0].release.waiting).toBeUndefined();
    expect(plan.automations[0].awaitingApproval).toEqual([]);
    expect(plan.automations[0].changes[0]).toMatchObject({ oldValue: `${reg.host}/team/app:1.0.0`, newValue: `${reg.host}/team/app:2.0.0`, type: "major" });
  });

  it("with minimum-release-age 72h: 1.1.0 is adopted and 2.0.0 waits, with the reason", async () => {
    const policy = readFileSync(join(EXAMPLE, POLICIES), "utf8")
      .replace('">=0.9.0"', '">=1.0.0"')
      .replace("  name: my-app\n", "  name: my-app\n  annotations:\n    flux-image-bot/minimum-release-age: 72h\n");
    writeFileSync(join(dir, POLICIES), policy);
    const r = await run(["plan", dir, "--json"]);
    const plan = JSON.parse(r.out);
    const release = plan.policies[0].release;
    expect(release).toMatchObject({ tag: "1.1.0", age: "published 5 days ago", source: "https://github.com/team/app", revision: "abcdef1234567" });
    expect(release.waiting).toMatchObject({ tag: "2.0.0", reason: expect.stringMatching(/^2\.0\.0 waits until \d{4}-\d\d-\d\dT.* \(minimum release age\)$/) });
    expect(release.candidates.map((c: { tag: string; age: string }) => [c.tag, c.age])).toEqual([
      ["2.0.0", "too-young"],
      ["1.1.0", "old-enough"],
    ]);
    expect(plan.automations[0].changes[0]).toMatchObject({ newValue: `${reg.host}/team/app:1.1.0`, type: "minor" });
    expect(plan.problems.filter((p: { code: string }) => p.code !== "cluster.fallback")).toEqual([]);
    const text = await run(["plan", dir]);
    expect(text.out).toMatch(/2\.0\.0 waits until/);
  });

  it("an invalid annotation is a Problem naming the accepted forms", async () => {
    const policy = readFileSync(join(EXAMPLE, POLICIES), "utf8").replace(
      "  name: my-app\n",
      "  name: my-app\n  annotations:\n    flux-image-bot/minimum-release-age: three days\n",
    );
    writeFileSync(join(dir, POLICIES), policy);
    const plan = JSON.parse((await run(["plan", dir, "--json"])).out);
    expect(plan.problems.filter((p: { code: string }) => p.code !== "cluster.fallback")).toEqual([
      expect.objectContaining({ code: "annotation.invalid", object: "ImagePolicy/flux-system/my-app", message: expect.stringContaining('"72h"') }),
    ]);
  });

  it("with approve: major, the major update is listed as awaiting approval", async () => {
    const policy = readFileSync(join(EXAMPLE, POLICIES), "utf8")
      .replace('">=0.9.0"', '">=1.0.0"')
      .replace("  name: my-app\n", "  name: my-app\n  annotations:\n    flux-image-bot/approve: major\n");
    writeFileSync(join(dir, POLICIES), policy);
    const plan = JSON.parse((await run(["plan", dir, "--json"])).out);
    expect(plan.automations[0].awaitingApproval).toEqual([
      { policy: "flux-system/my-app", oldValue: `${reg.host}/team/app:1.0.0`, newValue: `${reg.host}/team/app:2.0.0`, tag: "2.0.0", type: "major" },
    ]);
  });
});
