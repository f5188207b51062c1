/** Issues, comments, reactions and permissions for the dashboard issue and chatops commands. */
import { GitHubNotFoundError } from "./errors.js";
import { type GatewayContext, repoKey, scopeOf } from "./gateway-context.js";
import type { CommentInfo, InstallationRepo, IssueGateway, IssueInfo, ReactionContent, RepoPermission, RepoId } from "../../app/ports/index.js";

interface IssueData {
  number: number;
  html_url: string;
  title: string;
  body?: string | null;
  state: string;
  labels: Array<string | { name?: string }>;
  user: { login: string; type: string } | null;
  pull_request?: unknown;
}
interface CommentData {
  id: number;
  html_url: string;
  body?: string | null;
  user: { login: string } | null;
}
interface RepoData {
  name: string;
  owner: { login: string };
  default_branch: string;
  private: boolean;
}

const PAGE = 100;
/** Stop paging after this many pages; a bot never needs more than a few of its own issues. */
const MAX_PAGES = 10;
const PERMISSIONS: readonly RepoPermission[] = ["admin", "maintain", "write", "triage", "read", "none"];

function toIssue(i: IssueData): IssueInfo {
  return {
    number: i.number,
    url: i.html_url,
    title: i.title,
    body: i.body ?? "",
    state: i.state === "closed" ? "closed" : "open",
    labels: i.labels.map((l) => (typeof l === "string" ? l : (l.name ?? ""))).filter(Boolean),
    author: i.user?.login ?? "",
    authorType: i.user?.type ?? "User",
  };
}

function toComment(c: CommentData): CommentInfo {
  return { id: c.id, url: c.html_url, body: c.body ?? "", author: c.user?.login ?? "" };
}

export function createIssueGateway(ctx: GatewayContext): Omit<IssueGateway, "addLabels"> {
  const { client } = ctx;

  return {
    async getIssue(repo, number) {
      // Conditional: the dashboard issue is read on every sync, and an unchanged issue answers 304 (free).
      return client.readConditional<IssueData, IssueInfo>(
        scopeOf(repo),
        `${repoKey(repo)}:issue:${number}`,
        "GET /repos/{owner}/{repo}/issues/{issue_number}",
        { issue_number: number },
        (i) => {
          if (i.pull_request)
            throw new GitHubNotFoundError(`${repo.owner}/${repo.repo}: #${number} is a pull request, not an issue`, { subject: `${repo.owner}/${repo.repo}` });
          return toIssue(i);
        },
      );
    },

    async listIssues(repo, query) {
      const out: IssueInfo[] = [];
      for (let page = 1; page <= MAX_PAGES; page++) {
        const params: Record<string, unknown> = { creator: query.creator, state: query.state ?? "open", per_page: PAGE, page };
        if (query.labels?.length) params.labels = query.labels.join(",");
        const list = await client.read<IssueData[]>(scopeOf(repo), "GET /repos/{owner}/{repo}/issues", params);
        // The issues API lists pull requests too; they carry a `pull_request` key.
        for (const i of list) if (!i.pull_request) out.push(toIssue(i));
        if (list.length < PAGE) break;
      }
      return out;
    },

    async createIssue(repo, issue) {
      const i = await client.write<IssueData>(scopeOf(repo), "POST /repos/{owner}/{repo}/issues", {
        title: issue.title,
        body: issue.body,
        ...(issue.labels ? { labels: issue.labels } : {}),
      });
      return toIssue(i);
    },

    async updateIssue(repo, number, patch) {
      const i = await client.write<IssueData>(scopeOf(repo), "PATCH /repos/{owner}/{repo}/issues/{issue_number}", { issue_number: number, ...patch });
      return toIssue(i);
    },

    async createComment(repo, issueNumber, body) {
      const c = await client.write<CommentData>(scopeOf(repo), "POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
        issue_number: issueNumber,
        body,
      });
      return toComment(c);
    },

    async updateComment(repo, commentId, body) {
      const c = await client.write<CommentData>(scopeOf(repo), "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", { comment_id: commentId, body });
      return toComment(c);
    },

    async addReaction(repo: RepoId, target, content: ReactionContent) {
      if ("commentId" in target) {
        await client.write(scopeOf(repo), "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", { comment_id: target.commentId, content });
      } else {
        await client.write(scopeOf(repo), "POST /repos/{owner}/{repo}/issues/{issue_number}/reactions", { issue_number: target.issueNumber, content });
      }
    },

    async getCollaboratorPermission(repo, username) {
      try {
        const d = await client.read<{ permission?: string; role_name?: string }>(
          scopeOf(repo),
          "GET /repos/{owner}/{repo}/collaborators/{username}/permission",
          { username },
        );
        // role_name knows maintain/triage; `permission` only has the legacy admin/write/read/none.
        const role = PERMISSIONS.find((p) => p === d.role_name) ?? PERMISSIONS.find((p) => p === d.permission);
        return role ?? "none";
      } catch (err) {
        if (err instanceof GitHubNotFoundError) return "none";
        throw err;
      }
    },

    async listInstallationRepos(installationId) {
      const out: InstallationRepo[] = [];
      for (let page = 1; page <= MAX_PAGES * 10; page++) {
        const d = await client.read<{ total_count: number; repositories: RepoData[] }>({ installationId }, "GET /installation/repositories", {
          per_page: PAGE,
          page,
        });
        for (const r of d.repositories) out.push({ owner: r.owner.login, repo: r.name, defaultBranch: r.default_branch, private: r.private });
        if (d.repositories.length < PAGE || out.length >= d.total_count) break;
      }
      return out;
    },
  };
}
