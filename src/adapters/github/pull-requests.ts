/** Pull requests for the push branch: find the open one, create it (with the bot's labels), refresh its title and body. */
import { type GatewayContext, repoKey, scopeOf } from "./gateway-context.js";
import type { PullRequestInfo, RepoId } from "../../app/ports/index.js";

interface PullData {
  number: number;
  html_url: string;
  title: string;
  body: string | null;
  head: { ref: string };
  base: { ref: string };
}

function toInfo(p: PullData): PullRequestInfo {
  return { number: p.number, url: p.html_url, head: p.head.ref, base: p.base.ref, title: p.title, body: p.body ?? "" };
}

export interface PullRequestLabeling {
  labels: readonly string[];
  addLabels: (repo: RepoId, issueNumber: number, labels: readonly string[]) => Promise<void>;
}

export function createPullRequests(ctx: GatewayContext, labeling: PullRequestLabeling = { labels: [], addLabels: async () => {} }) {
  const { client } = ctx;

  async function findOpenPullRequest(repo: RepoId, head: string, base: string): Promise<PullRequestInfo | null> {
    // GitHub filters by `user:ref`; a bare branch name means a branch of this repository.
    const qualified = head.includes(":") ? head : `${repo.owner}:${head}`;
    const found = await client.readConditional<PullData[], PullRequestInfo | null>(
      scopeOf(repo),
      `${repoKey(repo)}:pulls:${qualified}:${base}`,
      "GET /repos/{owner}/{repo}/pulls",
      { head: qualified, base, state: "open", per_page: 10 },
      (list) => (list.length ? toInfo(list[0]!) : null),
    );
    return found;
  }

  async function createPullRequest(repo: RepoId, pr: { head: string; base: string; title: string; body: string }): Promise<PullRequestInfo> {
    const p = await client.write<PullData>(scopeOf(repo), "POST /repos/{owner}/{repo}/pulls", {
      head: pr.head,
      base: pr.base,
      title: pr.title,
      body: pr.body,
    });
    await labeling.addLabels(repo, p.number, labeling.labels);
    return toInfo(p);
  }

  async function updatePullRequest(repo: RepoId, number: number, pr: { title?: string; body?: string; state?: "closed" }): Promise<PullRequestInfo> {
    const p = await client.write<PullData>(scopeOf(repo), "PATCH /repos/{owner}/{repo}/pulls/{pull_number}", {
      pull_number: number,
      ...(pr.title !== undefined ? { title: pr.title } : {}),
      ...(pr.body !== undefined ? { body: pr.body } : {}),
      ...(pr.state ? { state: pr.state } : {}),
    });
    return toInfo(p);
  }

  return { findOpenPullRequest, createPullRequest, updatePullRequest };
}
