/**
 * End to end: a signed installation webhook for a repository holding the
 * example from the user's docs → worker → scan against an in-test registry
 * → exactly one commit by flux-image-automation with the rendered message;
 * the same webhook again makes no second commit.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { FakeRegistry } from "../adapters/registry/fake-registry.js";
import { createOctokitRepoGateway } from "../../src/adapters/github/octokit-repo-gateway.js";
import { createRedisEtagStore } from "../../src/adapters/github/redis-etag-store.js";
import { exampleFiles, installationPayload, startTagRegistry } from "../helpers/e2e-fixtures.js";
import { startHarness, type Harness } from "../helpers/app-harness.js";

describe("the GitHub App end to end", () => {
  let h: Harness;
  let registry: FakeRegistry;

  beforeAll(async () => {
    registry = await startTagRegistry({ "gethomepage/homepage": ["latest", "v0.8.13", "v0.9.0", "v0.9.13", "v0.10.9", "v1.1.1", "v1.0.4"] });
    h = await startHarness({ REGISTRY_ALLOWED_HOSTS: registry.host });
    h.github.addInstallation(7, "octo");
    h.github.seedRepo({ owner: "octo", repo: "homelab", installationId: 7, files: exampleFiles(registry.host) });
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
    await registry?.close();
  });

  it("commits the update once, as the automation's author with its rendered message", async () => {
    const payload = installationPayload(7, "octo", ["homelab"]);
    expect(await h.deliver("installation", payload, { id: "delivery-1" })).toBe(200);
    await h.drain();
    const commits = h.github.listCommits("octo", "homelab", "main");
    const bot = commits.filter((c) => c.author.name === "flux-image-automation");
    expect(bot).toHaveLength(1);
    expect(bot[0].author.email).toBe("flux-image-automation@users.noreply.github.com");
    expect(bot[0].message).toBe(
      [
        "Automated image update",
        "",
        "Automation name: flux-system/flux-system",
        "",
        "Files:",
        "- homepage/deployment.yaml",
        "Objects:",
        "- Deployment homepage",
        "  Changes:",
        `    - ${registry.host}/gethomepage/homepage:v0.9.0 -> ${registry.host}/gethomepage/homepage:v1.1.1`,
        "",
      ].join("\n"),
    );
    const deployment = h.github.readFile("octo", "homelab", "main", "apps/homepage/deployment.yaml")!;
    expect(deployment).toContain(`image: ${registry.host}/gethomepage/homepage:v1.1.1 # {"$imagepolicy": "flux-system:my-app"}`);
    // every other byte is kept
    const before = exampleFiles(registry.host)["apps/homepage/deployment.yaml"];
    expect(deployment).toBe(before.replace(":v0.9.0 #", ":v1.1.1 #"));

    // the same delivery again (a redelivery) and a new delivery of the same event make no second commit
    expect(await h.deliver("installation", payload, { id: "delivery-1" })).toBe(200);
    expect(await h.deliver("installation", payload, { id: "delivery-2" })).toBe(200);
    await h.drain();
    expect(h.github.listCommits("octo", "homelab", "main").filter((c) => c.author.name === "flux-image-automation")).toHaveLength(1);

    const state = await h.services.state.get({ installationId: 7, owner: "octo", repo: "homelab" });
    expect(state?.policies["flux-system/my-app"]?.latestRef).toEqual({ name: `${registry.host}/gethomepage/homepage`, tag: "v1.1.1" });
    expect(state?.automations["flux-system/flux-system"]).toMatchObject({ lastResult: "up-to-date", lastCommit: { branch: "main" } });
    // tokens never reach the logs
    for (const token of h.github.tokensSeen) expect(h.logs.join("\n")).not.toContain(token);
  }, 60_000);

  it("makes at most 2 GitHub requests for a warm reconcile with nothing to change", async () => {
    const data = { installationId: 7, owner: "octo", repo: "homelab", namespace: "flux-system", name: "flux-system", reason: "test" };
    await h.services.processors.reconcile(data, { attemptsMade: 0 }); // warm the caches of this process
    h.services.gateway.resetCounters();
    const outcome = await h.services.processors.reconcile(data, { attemptsMade: 0 });
    expect(outcome).toMatchObject({ result: "up-to-date" });
    const counts = h.services.gateway.counters().total;
    expect(counts.requests).toBeLessThanOrEqual(2);
    expect(counts.writes).toBe(0);
  });

  it("keeps GitHub's ETags in Redis, so another worker's conditional reads get 304s", async () => {
    const redis = h.redis.client();
    try {
      const keys = await redis.keys(`${h.config.QUEUE_PREFIX}:etag:*`);
      expect(keys.length).toBeGreaterThan(0);
      // a second worker process: its own gateway and memory, the same Redis
      const etagStore = createRedisEtagStore(redis, { prefix: `${h.config.QUEUE_PREFIX}:etag:` });
      const another = createOctokitRepoGateway((id) => h.probot.auth(id) as never, { etagStore });
      expect(await another.getDefaultBranch({ installationId: 7, owner: "octo", repo: "homelab" })).toBe("main");
      expect(another.counters().total).toMatchObject({ requests: 1, notModified: 1 });
    } finally {
      redis.disconnect();
    }
  });

  it("rejects a webhook with a bad signature", async () => {
    expect(await h.deliver("installation", installationPayload(7, "octo", ["homelab"]), { secret: "wrong" })).toBeGreaterThanOrEqual(400);
  });
});
