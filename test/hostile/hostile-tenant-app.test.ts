/**
 * Issue 12, end to end: one installation, two repositories, the real app
 * (signed webhooks, queues, workers, the server's registry client and
 * template renderer). The hostile repository brings a commit-message
 * template that generates RSA keys in a loop, a registry that floods the
 * token cache (a new realm and a 12 KB token on each of 100 pages), a 1 MB
 * marked file of 250,000 sequence items and 12 MB of junk YAML. The normal
 * repository's commit still lands within a generous bound; every attack
 * becomes a Problem on the hostile repository, which gets no commit.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { allProblems } from "../../src/app/state.js";
import { startFake, type FakeRegistry } from "../adapters/registry/fake-registry.js";
import { exampleFiles, installationPayload, startTagRegistry } from "../helpers/e2e-fixtures.js";
import { startHarness, type Harness } from "../helpers/app-harness.js";
import { flood, TOKEN_CHARS } from "./token-flood.js";

const MB = 1024 * 1024;
const BOMB_TEMPLATE = '{{range until 1000000}}{{$x := genPrivateKey "rsa"}}{{end}}';

function hostileFiles(registryHost: string): Record<string, string> {
  const flux = (kind: string, name: string, spec: string) =>
    `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n${spec}`;
  const files: Record<string, string> = {
    "flux/repository.yaml": flux("ImageRepository", "flood", `  image: ${registryHost}/org/app\n  interval: 5m\n  insecure: true\n`),
    "flux/policy.yaml": flux("ImagePolicy", "bomb", "  imageRepositoryRef:\n    name: flood\n  policy:\n    semver:\n      range: '>=0.0.0'\n"),
    "flux/automation.yaml": flux(
      "ImageUpdateAutomation",
      "bomb",
      `  interval: 30m\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  git:\n    checkout:\n      ref:\n        branch: main\n    commit:\n      author:\n        name: bomber\n        email: bomber@example.com\n      messageTemplate: '${BOMB_TEMPLATE}'\n  update:\n    path: ./apps\n    strategy: Setters\n`,
    ),
    "apps/app.yaml": `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ${registryHost}/org/app:v1.0.0 # {"$imagepolicy": "flux-system:bomb"}\n`,
    "apps/marked-bomb.yaml": `kind: ConfigMap\nmetadata:\n  name: bomb\nimage: x:v1 # {"$imagepolicy": "flux-system:bomb"}\nl:\n` + "- a\n".repeat(250_000),
  };
  for (let i = 0; i < 12; i++) files[`zz-junk/${String(i).padStart(2, "0")}.yaml`] = `junk: ${"x".repeat(MB - 100)}\n`;
  return files;
}

describe("a hostile tenant beside a normal one, through the app", () => {
  let h: Harness;
  let good: FakeRegistry;
  let flooder: FakeRegistry;
  const normal = { installationId: 21, owner: "acme", repo: "normal" };
  const hostile = { installationId: 21, owner: "acme", repo: "hostile" };
  let rssPeak = 0;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 50);

  beforeAll(async () => {
    good = await startTagRegistry({ "gethomepage/homepage": ["v0.9.0", "v1.1.1"] });
    flooder = await startFake();
    flooder.setHandler(
      flood(
        () => flooder.origin,
        () => "repository:org/app:pull",
        TOKEN_CHARS,
      ),
    );
    h = await startHarness({
      REGISTRY_ALLOWED_HOSTS: `${good.host},${flooder.host}`,
      REGISTRY_TOKEN_CACHE_BYTES: String(256 * 1024),
      REPOSITORY_MAX_BYTES: String(8 * MB),
      TEMPLATE_TIMEOUT_MS: "2000",
    });
    h.github.addInstallation(21, "acme");
    h.github.seedRepo({ ...normal, files: exampleFiles(good.host) });
    h.github.seedRepo({ ...hostile, files: hostileFiles(flooder.host) });
  }, 60_000);

  afterAll(async () => {
    clearInterval(sampler);
    await h?.stop();
    await Promise.all([good?.close(), flooder?.close()]);
  });

  it("lands the normal tenant's commit on time and turns every attack into a Problem", async () => {
    const rss0 = process.memoryUsage().rss;
    const started = Date.now();
    expect(await h.deliver("installation", installationPayload(21, "acme", ["hostile", "normal"]))).toBe(200);
    const botCommits = (r: { owner: string; repo: string }, author: string) =>
      h.github.listCommits(r.owner, r.repo, "main").filter((c) => c.author.name === author);
    let landedMs: number | undefined;
    while (Date.now() - started < 90_000) {
      if (botCommits(normal, "flux-image-automation").length > 0) {
        landedMs = Date.now() - started;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    // generous for a loaded 2-core machine; the hostile template alone would have run for days
    expect(landedMs).toBeLessThan(60_000);
    await h.drain(120_000);
    const settledMs = Date.now() - started;

    expect(h.github.readFile("acme", "normal", "main", "apps/homepage/deployment.yaml")).toContain(`${good.host}/gethomepage/homepage:v1.1.1`);
    expect(botCommits(hostile, "bomber")).toEqual([]);

    const state = (await h.services.state.get(hostile))!;
    const codes = allProblems(state).map((p) => p.code);
    expect(codes).toEqual(expect.arrayContaining(["template.budget-exceeded", "repository.too-large", "repository.file-too-complex"]));
    const budget = allProblems(state).find((p) => p.code === "template.budget-exceeded")!;
    expect(budget).toMatchObject({ object: "ImageUpdateAutomation/flux-system/bomb", file: "flux/automation.yaml" });
    // the flood scanned (100 pages, each with its own realm and token) within the token cache's budget
    expect(state.scans["flux-system/flood"]).toMatchObject({ tagCount: 100 });
    const cache = h.services.registry.cacheStats!();
    expect(cache.tokenBytes).toBeLessThanOrEqual(256 * 1024);

    const normalState = (await h.services.state.get(normal))!;
    expect(allProblems(normalState).filter((p) => p.severity !== "warning")).toEqual([]);
    process.stdout.write(
      `hostile tenant run: normal commit after ${landedMs} ms, all settled after ${settledMs} ms; token cache ${cache.tokens} tokens / ${cache.tokenBytes} B; ` +
        `process RSS ${Math.round(rss0 / MB)} MB at start, peak ${Math.round(rssPeak / MB)} MB\n`,
    );
  }, 240_000);
});
