/**
 * The sync handlers with Probot (signed deliveries through probot.receive):
 * they filter the event and enqueue, never call GitHub themselves.
 */
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { registerHandlers } from "../../../src/adapters/probot/handlers.js";
import { MemoryStateStore } from "../../../src/adapters/state/memory-state-store.js";
import { parseRepository } from "../../../src/core/manifests/parse.js";
import { FakeQueue } from "../../fixtures/dashboard/fakes.js";
import { useNock } from "../../helpers/nock-scope.js";

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});
const payload = (name: string) => JSON.parse(readFileSync(`test/fixtures/webhooks/${name}.json`, "utf8"));
const FLEET = { installationId: 42, owner: "acme", repo: "fleet" };

describe("sync webhook handlers", () => {
  useNock();
  let probot: Probot;
  let queue: FakeQueue;
  let state: MemoryStateStore;
  let removed: string[];
  let outcomes: string[];
  let seen: Set<string>;

  beforeEach(async () => {
    queue = new FakeQueue();
    state = new MemoryStateStore();
    removed = [];
    outcomes = [];
    seen = new Set();
    probot = new Probot({
      appId: 1,
      privateKey,
      secret: "test",
      logLevel: "fatal",
      Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }),
    });
    await probot.load((app) =>
      registerHandlers(app, {
        queue,
        state,
        removeRepository: async (r) => void removed.push(`${r.owner}/${r.repo}`),
        seenDelivery: async (id) => {
          const had = seen.has(id);
          seen.add(id);
          return had;
        },
        onDelivery: (event, outcome) => void outcomes.push(`${event}:${outcome}`),
      }),
    );
  });
  afterEach(() => {
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("syncs every repository of a new installation, with the account that scopes credentials", async () => {
    const p = payload("installation-created");
    await probot.receive({ id: "i1", name: "installation", payload: p });
    expect(queue.jobs.map((j) => [j.name, j.data.owner, j.data.repo, j.data.account])).toEqual(
      p.repositories.map((r: { name: string; full_name: string }) => ["sync-repo", r.full_name.split("/")[0], r.name, "acme"]),
    );
    // a redelivery of the same delivery id is skipped
    await probot.receive({ id: "i1", name: "installation", payload: p });
    expect(queue.jobs).toHaveLength(p.repositories.length);
    expect(outcomes).toContain("installation.created:duplicate");
  });

  it("syncs repositories added to an installation", async () => {
    const p = payload("installation-repositories-added");
    await probot.receive({ id: "a1", name: "installation_repositories", payload: p });
    expect(queue.names()).toEqual(p.repositories_added.map(() => "sync-repo"));
  });

  it("drops schedules and state of removed repositories and deleted installations", async () => {
    await state.update(FLEET, (s) => ({ ...s, defaultBranch: "main" }));
    const added = payload("installation-repositories-added");
    await probot.receive({
      id: "r1",
      name: "installation_repositories",
      payload: { ...added, action: "removed", repositories_added: [], repositories_removed: [{ name: "fleet", full_name: "acme/fleet" }] },
    });
    expect(removed).toEqual(["acme/fleet"]);
    expect(await state.get(FLEET)).toBeNull();
    await state.update(FLEET, (s) => ({ ...s, defaultBranch: "main" }));
    const created = payload("installation-created");
    await probot.receive({ id: "d1", name: "installation", payload: { ...created, action: "deleted", repositories: undefined } });
    expect(removed).toEqual(["acme/fleet", "acme/fleet"]);
    expect(await state.get(FLEET)).toBeNull();
    expect(queue.jobs).toEqual([]);
  });

  describe("push", () => {
    const push = (over: Record<string, unknown> = {}) => ({ ...payload("push"), ...over });

    it("re-syncs when YAML changed on the default branch", async () => {
      await probot.receive({ id: "p1", name: "push", payload: push() });
      expect(queue.jobs.map((j) => [j.name, j.data.owner, j.data.repo, j.data.reason])).toEqual([["sync-repo", "acme", "fleet", "push to main"]]);
    });

    it("skips pushes that change no YAML, tags, deleted branches and other branches", async () => {
      const p = push();
      const readmeOnly = { ...p, commits: [{ ...p.commits[0], added: [], removed: [], modified: ["README.md"] }] };
      await probot.receive({ id: "p2", name: "push", payload: readmeOnly });
      await probot.receive({ id: "p3", name: "push", payload: { ...p, ref: "refs/tags/v1.0.0" } });
      await probot.receive({ id: "p4", name: "push", payload: { ...p, deleted: true } });
      await probot.receive({ id: "p5", name: "push", payload: { ...p, ref: "refs/heads/feature" } });
      expect(queue.jobs).toEqual([]);
      expect(outcomes.every((o) => o === "push:skipped")).toBe(true);
    });

    it("follows the branches automations check out", async () => {
      const files = [
        {
          path: "auto.yaml",
          content:
            "apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageUpdateAutomation\nmetadata:\n  name: a\n  namespace: flux-system\nspec:\n  interval: 5m\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  git:\n    checkout:\n      ref:\n        branch: production\n    commit:\n      author:\n        email: bot@example.com\n",
        },
      ];
      await state.update(FLEET, (s) => {
        s.defaultBranch = "main";
        s.model = parseRepository(files);
      });
      await probot.receive({ id: "p6", name: "push", payload: push({ ref: "refs/heads/production" }) });
      await probot.receive({ id: "p7", name: "push", payload: push({ ref: "refs/heads/staging" }) });
      expect(queue.jobs.map((j) => j.data.reason)).toEqual(["push to production"]);
    });

    it("re-syncs a large or forced push even when the listed files show no YAML", async () => {
      const p = push();
      await probot.receive({ id: "p8", name: "push", payload: { ...p, forced: true, commits: [{ ...p.commits[0], modified: ["README.md"] }] } });
      expect(queue.names()).toEqual(["sync-repo"]);
    });
  });
});
