/**
 * Chatops cannot be used to make the bot write: the author's permission is
 * checked before any reaction or reply, a user without access is answered
 * once per issue per CHATOPS_REFUSAL_INTERVAL_SECONDS (then not at all), and
 * each user's commands are limited to CHATOPS_RATE_LIMIT per
 * CHATOPS_RATE_WINDOW_SECONDS (one note, then silence). The figure guarded is
 * the bot's GitHub writes (reactions + comments) per burst of comments.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startHarness, type Harness } from "../helpers/app-harness.js";
import { installationPayload } from "../helpers/e2e-fixtures.js";

const OWNER = "octo";
const REPO = "chat";
const INST = 31;
const LIMIT = 3;
const REFUSAL_S = 2;

describe("chatops amplification", () => {
  let h: Harness;
  let issue1: number;
  let issue2: number;

  beforeAll(async () => {
    h = await startHarness({
      DASHBOARD_ENABLED: "false",
      CHATOPS_RATE_LIMIT: String(LIMIT),
      CHATOPS_RATE_WINDOW_SECONDS: "600",
      CHATOPS_REFUSAL_INTERVAL_SECONDS: String(REFUSAL_S),
    });
    h.github.addInstallation(INST, OWNER);
    h.github.seedRepo({ owner: OWNER, repo: REPO, installationId: INST, files: { "README.md": "# x\n" } });
    for (const w of ["writer", "writer2"]) h.github.setCollaborator(OWNER, REPO, w, "write");
    issue1 = h.github.addIssue(OWNER, REPO, { title: "one" }).number;
    issue2 = h.github.addIssue(OWNER, REPO, { title: "two" }).number;
    expect(await h.deliver("installation", installationPayload(INST, OWNER, [REPO]))).toBe(200);
    await h.drain();
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
  });

  /** Comments `body` as `login` on `issue` (stored in the fake GitHub, then delivered). */
  const say = async (login: string, issue: number, body: string): Promise<void> => {
    const c = h.github.addComment(OWNER, REPO, issue, body, { login, type: "User" });
    const payload = {
      action: "created",
      installation: { id: INST, account: { login: OWNER, type: "User" } },
      repository: { name: REPO, full_name: `${OWNER}/${REPO}`, owner: { login: OWNER } },
      issue: { number: issue },
      comment: { id: c.id, body, user: { login, type: "User" } },
      sender: { login, type: "User" },
    };
    expect(await h.deliver("issue_comment", payload)).toBe(200);
  };
  const botWrites = () => ({
    replies: h.github.comments(OWNER, REPO).filter((c) => c.user.login.endsWith("[bot]")),
    reactions: [...h.github.reactions(OWNER, REPO)],
  });

  it("answers a user without access once per issue, and never reacts", async () => {
    const before = botWrites();
    for (let i = 0; i < 3; i++) await say("stranger", issue1, "/flux reconcile source git");
    await h.drain();
    await say("stranger", issue2, "/flux reconcile source git");
    await h.drain();
    const after = botWrites();
    const replies = after.replies.slice(before.replies.length);
    // 4 comments, 2 issues: 2 writes (one refusal per issue), no reaction
    expect(replies.map((r) => r.issueNumber)).toEqual([issue1, issue2]);
    for (const r of replies) expect(r.body).toMatch(/Sorry, this command needs write access to the repository, and stranger does not have it\./);
    expect(after.reactions.length - before.reactions.length).toBe(0);
  }, 30_000);

  it("answers again once CHATOPS_REFUSAL_INTERVAL_SECONDS have passed", async () => {
    const n0 = botWrites().replies.length;
    await say("outsider", issue1, "/flux help");
    await h.drain();
    await say("outsider", issue1, "/flux help");
    await h.drain();
    expect(botWrites().replies.length - n0).toBe(1);
    await new Promise((r) => setTimeout(r, REFUSAL_S * 1000 + 300));
    await say("outsider", issue1, "/flux help");
    await h.drain();
    expect(botWrites().replies.length - n0).toBe(2);
  }, 30_000);

  it("limits each user to CHATOPS_RATE_LIMIT commands per window: one note, then silence; others are not affected", async () => {
    const before = botWrites();
    for (let i = 0; i < LIMIT + 4; i++) await say("writer", issue1, "/flux help");
    await h.drain();
    const mid = botWrites();
    const replies = mid.replies.slice(before.replies.length);
    // LIMIT answers and one note; the 3 after the note make no job and no write
    expect(replies).toHaveLength(LIMIT + 1);
    expect(replies.filter((r) => /this one and the next ones are ignored/.test(r.body))).toHaveLength(1);
    expect(mid.reactions.length - before.reactions.length).toBe(LIMIT);
    const jobs = await h.services.queues.queues["run-command"].getJobCounts("completed", "failed");
    expect(jobs.failed).toBe(0);

    await say("writer2", issue1, "/flux help");
    await h.drain();
    const last = botWrites().replies.at(-1)!;
    expect(last.body).toContain("reconcile image repository");
  }, 30_000);
});
