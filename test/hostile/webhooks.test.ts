/**
 * Hostile webhooks through the whole app: a bad signature, a replayed
 * delivery, an unknown event, chatops from a reader and from a bot, and
 * comments crafted to inject markdown/HTML into the bot's reply (checked on
 * the comment body the fake GitHub stored).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startHarness, type Harness } from "../helpers/app-harness.js";
import { installationPayload } from "../helpers/e2e-fixtures.js";

const OWNER = "octo";
const REPO = "chat";
const INST = 21;

describe("hostile webhooks", () => {
  let h: Harness;
  let issue: number;
  let commentId = 1000;

  const jobCount = async (): Promise<number> => {
    let n = 0;
    for (const q of Object.values(h.services.queues.queues)) {
      const c = await q.getJobCounts("waiting", "active", "completed", "failed", "delayed", "prioritized", "waiting-children");
      n += Object.values(c).reduce((a, b) => a + b, 0);
    }
    return n;
  };
  const comment = (body: string, user: { login: string; type: string }) => ({
    action: "created",
    installation: { id: INST, account: { login: OWNER, type: "User" } },
    repository: { name: REPO, full_name: `${OWNER}/${REPO}`, owner: { login: OWNER } },
    issue: { number: issue },
    comment: { id: ++commentId, body, user },
    sender: user,
  });
  const replies = () => h.github.comments(OWNER, REPO).filter((c) => c.user.login.endsWith("[bot]"));

  beforeAll(async () => {
    // this file sends dozens of commands as one user; test/hostile/chatops.test.ts covers the per-user limit
    h = await startHarness({ DASHBOARD_ENABLED: "false", CHATOPS_RATE_LIMIT: "1000" });
    h.github.addInstallation(INST, OWNER);
    h.github.seedRepo({ owner: OWNER, repo: REPO, installationId: INST, files: { "README.md": "# x\n" } });
    h.github.setCollaborator(OWNER, REPO, "writer", "write");
    h.github.setCollaborator(OWNER, REPO, "reader", "read");
    issue = h.github.addIssue(OWNER, REPO, { title: "chat" }).number;
    expect(await h.deliver("installation", installationPayload(INST, OWNER, [REPO]))).toBe(200);
    await h.drain();
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
  });

  it("a bad signature is rejected and enqueues nothing", async () => {
    const before = await jobCount();
    expect(
      await h.deliver("issue_comment", comment("/flux reconcile source git", { login: "writer", type: "User" }), { secret: "not-the-secret" }),
    ).toBeGreaterThanOrEqual(400);
    await h.drain();
    expect(await jobCount()).toBe(before);
    expect(replies()).toHaveLength(0);
  });

  it("an unknown event is acknowledged and ignored", async () => {
    const before = await jobCount();
    expect(await h.deliver("made_up_event", { action: "exploded", installation: { id: INST } })).toBe(200);
    await h.drain();
    expect(await jobCount()).toBe(before);
  });

  it("a replayed delivery makes one job and one reply", async () => {
    const payload = comment("/flux help", { login: "writer", type: "User" });
    const n0 = replies().length;
    expect(await h.deliver("issue_comment", payload, { id: "replayed-1" })).toBe(200);
    expect(await h.deliver("issue_comment", payload, { id: "replayed-1" })).toBe(200);
    await h.drain();
    expect(replies().length - n0).toBe(1);
    const counts = await h.services.queues.queues["run-command"].getJobCounts("completed", "failed", "waiting", "active");
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(1);
  });

  it("chatops from a reader is refused politely and enqueues nothing but the reply", async () => {
    const before = await jobCount();
    const n0 = replies().length;
    expect(await h.deliver("issue_comment", comment("/flux reconcile source git", { login: "reader", type: "User" }))).toBe(200);
    await h.drain();
    const mine = replies().slice(n0);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.body).toMatch(/Sorry, this command needs write access to the repository, and reader does not have it\./);
    expect((await jobCount()) - before).toBe(1); // the run-command job itself
  });

  it("chatops from a bot is ignored", async () => {
    const before = await jobCount();
    const n0 = replies().length;
    expect(await h.deliver("issue_comment", comment("/flux reconcile source git", { login: "evil[bot]", type: "Bot" }))).toBe(200);
    expect(await h.deliver("issue_comment", comment("/flux reconcile source git", { login: "sneaky", type: "Bot" }))).toBe(200);
    await h.drain();
    expect(replies().length).toBe(n0);
    expect(await jobCount()).toBe(before);
  });

  const INJECT = [
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "](javascript:alert(document.cookie))",
    "`code` ``` fence",
    "@admin @octo/team",
    "#123 GH-1 octo/chat#1",
    "**bold** _it_ ~~s~~ | table |",
    "<script>alert(1)</script>",
    "<!-- hidden -->",
    "\u202eevil\u2066",
    "x".repeat(10_000),
  ];

  it.each(INJECT.map((s) => [s.slice(0, 40), s]))(
    "a reply escapes %j",
    async (_label, evil) => {
      const n0 = replies().length;
      for (const [who, body] of [
        ["writer", `/flux reconcile image repository ${evil}`],
        ["writer", `/flux suspend image update ${evil} -n ${evil}`],
        ["writer", `/flux ${evil}`],
        [evil.length < 39 ? evil.replace(/[^A-Za-z0-9-]/g, "") || "nobody" : "nobody", `/flux reconcile source git ${evil}`],
      ] as const) {
        expect(await h.deliver("issue_comment", comment(body, { login: who, type: "User" }))).toBe(200);
      }
      await h.drain();
      const mine = replies().slice(n0);
      expect(mine.length).toBeGreaterThanOrEqual(3);
      for (const r of mine) {
        const b = r.body;
        expect(b).not.toMatch(/<(?!\/?code>)[a-z!/]/i); // no tag but our own <code>
        expect(b).not.toMatch(/\]\(javascript:/i);
        expect(b).not.toMatch(/(^|[^&])@[a-z]/i); // no raw mention
        expect(b).not.toMatch(/(^|[^&])#\d/); // no raw issue reference
        expect(b).not.toContain("`");
        expect(b).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
        expect(b.length).toBeLessThan(8000);
      }
    },
    30_000,
  );
});
