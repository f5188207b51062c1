/**
 * The dashboard end to end: the first sync opens the dashboard issue; a
 * ticked box and a `/flux reconcile image repository homepage` comment each
 * lead to exactly one registry scan, and the dashboard shows its result.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { FakeRegistry } from "../adapters/registry/fake-registry.js";
import { startHarness, type Harness } from "../helpers/app-harness.js";
import { exampleFiles, installationPayload, startTagRegistry } from "../helpers/e2e-fixtures.js";

const REPO = { installationId: 9, owner: "octo", repo: "dash" };

describe("the dashboard end to end", () => {
  let h: Harness;
  let registry: FakeRegistry;
  const tagRequests = () => registry.requests.filter((r) => r.path.includes("/tags/list")).length;
  const dashboard = () => h.github.issues("octo", "dash").find((i) => (i.body ?? "").includes("<!-- flux-image-bot:dashboard -->"));
  const repoPayload = { id: 1, name: "dash", full_name: "octo/dash", owner: { login: "octo", type: "User" }, default_branch: "main" };

  beforeAll(async () => {
    registry = await startTagRegistry({ "gethomepage/homepage": ["v0.9.0", "v1.1.1"] });
    h = await startHarness({ REGISTRY_ALLOWED_HOSTS: registry.host });
    h.github.addInstallation(REPO.installationId, "octo");
    h.github.seedRepo({ ...REPO, files: exampleFiles(registry.host) });
    h.github.setCollaborator("octo", "dash", "alice", "write");
    await h.deliver("installation", installationPayload(REPO.installationId, "octo", ["dash"]));
    await h.drain();
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
    await registry?.close();
  });

  it("opens one dashboard issue showing the scan, the policy and the commit", () => {
    const issues = h.github.issues("octo", "dash");
    expect(issues.filter((i) => (i.body ?? "").includes("<!-- flux-image-bot:dashboard -->"))).toHaveLength(1);
    const body = dashboard()!.body!;
    expect(dashboard()!.title).toBe("Flux Image Automation Dashboard");
    expect(body).toContain("scan-repository=flux-system/homepage");
    expect(body).toContain("v1.1.1");
    expect(body).toContain("sync-repository");
  });

  it("a ticked box makes exactly one scan and the dashboard says so", async () => {
    const issue = dashboard()!;
    const before = tagRequests();
    const from = issue.body!;
    const ticked = from.replace("- [ ] <!-- scan-repository=flux-system/homepage -->", "- [x] <!-- scan-repository=flux-system/homepage -->");
    expect(ticked).not.toBe(from);
    // the user edits the issue on GitHub, then GitHub sends issues.edited
    const res = await fetch(`${h.github.url}/repos/octo/dash/issues/${issue.number}`, {
      method: "PATCH",
      headers: { authorization: "token user-alice", "content-type": "application/json" },
      body: JSON.stringify({ body: ticked }),
    });
    expect(res.status).toBe(200);
    const payload = {
      action: "edited",
      issue: {
        number: issue.number,
        title: issue.title,
        body: ticked,
        state: "open",
        updated_at: new Date().toISOString(),
        user: { login: "flux-image-bot[bot]", type: "Bot" },
      },
      changes: { body: { from } },
      repository: repoPayload,
      sender: { login: "alice", type: "User" },
      installation: { id: REPO.installationId },
    };
    expect(await h.deliver("issues", payload)).toBe(200);
    await h.drain();
    expect(tagRequests() - before).toBe(1);
    const after = dashboard()!.body!;
    expect(after).toContain("- [ ] <!-- scan-repository=flux-system/homepage -->");
    expect(after).not.toContain("- [x] <!-- scan-repository=flux-system/homepage -->");
    expect(after).toMatch(/homepage/);
  }, 30_000);

  it("a chatops comment makes exactly one scan and one reply", async () => {
    const issue = dashboard()!;
    const before = tagRequests();
    const comment = h.github.addComment("octo", "dash", issue.number, "/flux reconcile image repository homepage", { login: "alice", type: "User" });
    const payload = {
      action: "created",
      issue: { number: issue.number, title: issue.title, state: "open", user: { login: "flux-image-bot[bot]", type: "Bot" } },
      comment: { id: comment.id, body: comment.body, user: { login: "alice", type: "User" } },
      repository: repoPayload,
      sender: { login: "alice", type: "User" },
      installation: { id: REPO.installationId },
    };
    expect(await h.deliver("issue_comment", payload)).toBe(200);
    await h.drain();
    expect(tagRequests() - before).toBe(1);
    const replies = h.github.comments("octo", "dash").filter((c) => c.user.login === "flux-image-bot[bot]");
    expect(replies).toHaveLength(1);
    expect(replies[0].body).toMatch(/homepage/);
    expect(h.github.reactions("octo", "dash").length).toBeGreaterThanOrEqual(1);
  }, 30_000);
});
