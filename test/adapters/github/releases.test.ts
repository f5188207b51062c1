/**
 * Release notes for a GitHub image source through the App's Octokit
 * (RepoGateway.getRelease), and the pull request's Release information
 * section built from them: neutralised, cut, cached.
 */
import { describe, expect, it } from "@jest/globals";
import nock from "nock";
import { createOctokitRepoGateway } from "../../../src/adapters/github/octokit-repo-gateway.js";
import { pullRequestReleaseSection } from "../../../src/app/release-text.js";
import { infoKey } from "../../../src/app/release-info.js";
import { ImageScanner } from "../../../src/app/image-scanner.js";
import { parseRepository } from "../../../src/core/manifests/parse.js";
import { evaluatePolicies, planAutomation, type ScanOutcome } from "../../../src/core/plan.js";
import type { ImageInfo } from "../../../src/core/release/info.js";
import { useNock } from "../../helpers/nock-scope.js";
import { octokitFor } from "./helpers.js";

const API = "https://api.github.com";
const REPO = { installationId: 5, owner: "octo", repo: "infra" };
const NOW = new Date("2026-12-07T12:00:00Z");
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

const files = [
  {
    path: "flux.yaml",
    content: `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata: {name: app, namespace: apps}
spec: {image: ghcr.io/team/app, interval: 5m}
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata: {name: app, namespace: apps}
spec:
  imageRepositoryRef: {name: app}
  policy: {semver: {range: ">=1.0.0"}}
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata: {name: auto, namespace: apps}
spec:
  interval: 5m
  sourceRef: {kind: GitRepository, name: flux-system}
  git:
    commit:
      author: {email: bot@example.com}
`,
  },
  { path: "app.yaml", content: 'image: ghcr.io/team/app:1.6.0 # {"$imagepolicy": "apps:app"}\n' },
];

describe("GitHub release notes in pull requests", () => {
  useNock();

  it("reads the release (with the v prefix the image tag lacks), neutralises and caches it", async () => {
    const hostile = ["## What's changed", "* Fix by @mallory in #77 <img src=x onerror=alert(1)>", "[phish](https://evil.example)", "x".repeat(10_000)].join(
      "\n",
    );
    const scope = nock(API)
      .get("/repos/team/app/releases/tags/1.7.0")
      .reply(404, { message: "Not Found" })
      .get("/repos/team/app/releases/tags/v1.7.0")
      .reply(200, { tag_name: "v1.7.0", name: "v1.7.0", body: hostile, html_url: "https://github.com/team/app/releases/tag/v1.7.0" });
    const gateway = createOctokitRepoGateway(async () => octokitFor(API, "ghs_installation"), { writeIntervalMs: 0 });
    const images: Record<string, ImageInfo> = {
      "1.6.0": { digest: "sha256:old", created: "2026-11-01T00:00:00Z", source: "https://github.com/team/app", revision: "1111111" },
      "1.7.0": { digest: "sha256:new", created: "2026-12-04T12:00:00Z", source: "https://github.com/team/app", revision: "2222222" },
    };
    const scanner = new ImageScanner({
      client: {
        listTags: async () => ({ tags: [], droppedInvalid: 0, truncated: false }),
        getDigest: async () => "",
        getImageInfo: async (_i, tag) => images[tag]!,
      },
      cache: { get: async () => null, getOrScan: async (_k, _t, scan) => ({ record: await scan(), fresh: true }) },
      minIntervalMs: 60_000,
      cacheKey: (c, i) => `${c}|${i}`,
      identity: () => "anon",
    });
    const model = parseRepository(files);
    const scans = new Map<string, ScanOutcome>([["apps/app", { ok: true, tags: ["1.6.0", "1.7.0"] }]]);
    const { results } = evaluatePolicies(model, scans);
    const plan = planAutomation(model, model.automations[0]!, results, files, { defaultBranch: "main" });
    const infos = new Map([[infoKey("ghcr.io/team/app", "1.7.0"), images["1.7.0"]!]]);
    const deps = { gateway, scanner, logger: quiet };

    const section = await pullRequestReleaseSection(deps, REPO, "octo", plan, results, infos, NOW);
    expect(section).toContain("<code>ghcr.io/team/app:1.6.0</code> → <code>ghcr.io/team/app:1.7.0</code>: **minor**, published 3 days ago");
    expect(section).toContain("[release](https://github.com/team/app/releases/tag/v1.7.0) · [compare](https://github.com/team/app/compare/1111111...2222222)");
    expect(section).toContain("<summary>Release notes of <code>v1.7.0</code></summary>");
    expect(section).toContain("&#64;mallory in &#35;77 &lt;img");
    const notes = section.slice(section.indexOf("<details>"), section.indexOf("_Cut to"));
    expect(notes).not.toMatch(/@mallory|#77|<img|\]\(https:\/\/evil/);
    expect(section.length).toBeLessThan(6_000);
    expect(scope.isDone()).toBe(true);

    // cached: a second pull request update asks GitHub nothing
    expect(await pullRequestReleaseSection(deps, REPO, "octo", plan, results, infos, NOW)).toBe(section);
  });

  it("no release for the tag is null; a GitHub error is a typed error (the section leaves the notes out); dot names are never asked for", async () => {
    nock(API).get("/repos/team/app/releases/tags/2.0.0").reply(404, {}).get("/repos/team/app/releases/tags/v2.0.0").reply(404, {});
    const gateway = createOctokitRepoGateway(async () => octokitFor(API, "ghs_installation"), { writeIntervalMs: 0 });
    expect(await gateway.getRelease!(REPO, { owner: "team", repo: "app" }, "2.0.0")).toBeNull();
    nock(API).get("/repos/team/app/releases/tags/3.0.0").reply(500, {});
    await expect(gateway.getRelease!(REPO, { owner: "team", repo: "app" }, "3.0.0")).rejects.toMatchObject({ code: expect.stringMatching(/^github\./) });
    // names that are not GitHub names are never asked for
    expect(await gateway.getRelease!(REPO, { owner: "..", repo: "app" }, "1.0.0")).toBeNull();
    expect(nock.pendingMocks()).toEqual([]);
  });
});
