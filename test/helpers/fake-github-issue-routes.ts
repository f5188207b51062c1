/** Pull requests, issues, comments, reactions, permissions, installations and repositories of the fake GitHub. */
import { HttpError, commentJson, issueJson, pullJson, repoJson } from "./fake-github-json.js";
import type { FakeIssue } from "./fake-github-state.js";
import { R, type Route, type RouteCtx, ok, route } from "./fake-github-routes.js";

const REACTIONS = new Set(["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"]);
const LEGACY_PERMISSION: Record<string, string> = { admin: "admin", maintain: "write", write: "write", triage: "read", read: "read", none: "none" };

function findIssue(ctx: RouteCtx, n: string | undefined): FakeIssue {
  const i = ctx.repo.issues.find((x) => x.number === Number(n));
  if (!i) throw new HttpError(404, "Not Found");
  return i;
}

function page<T>(ctx: RouteCtx, list: T[]): T[] {
  const per = Math.min(Number(ctx.query.get("per_page") ?? 30), 100);
  const p = Math.max(Number(ctx.query.get("page") ?? 1), 1);
  return list.slice((p - 1) * per, p * per);
}

function stateFilter(ctx: RouteCtx): (i: FakeIssue) => boolean {
  const s = ctx.query.get("state") ?? "open";
  return (i) => s === "all" || i.state === s;
}

function validation(message: string): HttpError {
  return new HttpError(422, "Validation Failed", { errors: [{ resource: "PullRequest", code: "custom", message }] });
}

function listPulls(ctx: RouteCtx) {
  const head = ctx.query.get("head");
  const base = ctx.query.get("base");
  const list = ctx.repo.issues
    .filter((i) => i.pull && stateFilter(ctx)(i))
    .filter((i) => !head || `${i.pull!.headOwner}:${i.pull!.head}`.toLowerCase() === head.toLowerCase())
    .filter((i) => !base || i.pull!.base === base)
    .sort((a, b) => b.number - a.number);
  return ok(page(ctx, list).map((i) => pullJson(ctx.baseUrl, ctx.repo, i)));
}

function createPull(ctx: RouteCtx) {
  const r = ctx.repo;
  const b = ctx.body as { title?: string; head?: string; base?: string; body?: string };
  if (!b.title || !b.head || !b.base) throw new HttpError(422, "Validation Failed: title, head and base are required");
  const [headOwner, head] = b.head.includes(":") ? (b.head.split(":", 2) as [string, string]) : [r.owner, b.head];
  if (!r.branches.has(head)) throw validation(`head ${b.head} does not exist`);
  if (!r.branches.has(b.base)) throw validation(`base ${b.base} does not exist`);
  if (r.branches.get(head) === r.branches.get(b.base)) throw validation(`No commits between ${b.base} and ${head}`);
  if (r.issues.some((i) => i.pull && i.state === "open" && i.pull.head === head && i.pull.base === b.base)) {
    throw validation(`A pull request already exists for ${headOwner}:${head}.`);
  }
  const issue: FakeIssue = {
    number: r.nextNumber++,
    title: b.title,
    body: b.body ?? "",
    state: "open",
    labels: [],
    user: ctx.actor,
    pull: { head, headOwner, base: b.base },
    createdAt: ctx.now(),
    updatedAt: ctx.now(),
  };
  r.issues.push(issue);
  return ok(pullJson(ctx.baseUrl, r, issue), 201);
}

function patchPull(ctx: RouteCtx) {
  const i = findIssue(ctx, ctx.params[0]);
  if (!i.pull) throw new HttpError(404, "Not Found");
  const b = ctx.body as { title?: string; body?: string; state?: "open" | "closed"; base?: string };
  if (b.title !== undefined) i.title = b.title;
  if (b.body !== undefined) i.body = b.body;
  if (b.state !== undefined) i.state = b.state;
  if (b.base !== undefined) i.pull.base = b.base;
  i.updatedAt = ctx.now();
  return ok(pullJson(ctx.baseUrl, ctx.repo, i));
}

function listIssues(ctx: RouteCtx) {
  const creator = ctx.query.get("creator");
  const labels = (ctx.query.get("labels") ?? "").split(",").filter(Boolean);
  const list = ctx.repo.issues
    .filter(stateFilter(ctx))
    .filter((i) => !creator || i.user.login.toLowerCase() === creator.toLowerCase())
    .filter((i) => labels.every((l) => i.labels.includes(l)))
    .sort((a, b) => b.number - a.number);
  return ok(page(ctx, list).map((i) => issueJson(ctx.baseUrl, ctx.repo, i)));
}

function createIssue(ctx: RouteCtx) {
  const r = ctx.repo;
  const b = ctx.body as { title?: string; body?: string; labels?: string[] };
  if (!b.title) throw new HttpError(422, "Validation Failed: title is required");
  const issue: FakeIssue = {
    number: r.nextNumber++,
    title: b.title,
    body: b.body ?? "",
    state: "open",
    labels: b.labels ?? [],
    user: ctx.actor,
    createdAt: ctx.now(),
    updatedAt: ctx.now(),
  };
  r.issues.push(issue);
  return ok(issueJson(ctx.baseUrl, r, issue), 201);
}

function patchIssue(ctx: RouteCtx) {
  const i = findIssue(ctx, ctx.params[0]);
  const b = ctx.body as { title?: string; body?: string; state?: "open" | "closed"; labels?: string[] };
  if (b.title !== undefined) i.title = b.title;
  if (b.body !== undefined) i.body = b.body;
  if (b.state !== undefined) i.state = b.state;
  if (b.labels !== undefined) i.labels = b.labels;
  i.updatedAt = ctx.now();
  return ok(issueJson(ctx.baseUrl, ctx.repo, i));
}

function createComment(ctx: RouteCtx) {
  const i = findIssue(ctx, ctx.params[0]);
  const body = (ctx.body as { body?: string }).body;
  if (typeof body !== "string") throw new HttpError(422, "Validation Failed: body is required");
  const c = { id: ctx.state.newId(), issueNumber: i.number, body, user: ctx.actor };
  ctx.repo.comments.push(c);
  return ok(commentJson(ctx.baseUrl, ctx.repo, c), 201);
}

function patchComment(ctx: RouteCtx) {
  const c = ctx.repo.comments.find((x) => x.id === Number(ctx.params[0]));
  if (!c) throw new HttpError(404, "Not Found");
  c.body = String((ctx.body as { body?: string }).body ?? c.body);
  return ok(commentJson(ctx.baseUrl, ctx.repo, c));
}

function react(ctx: RouteCtx, target: { issueNumber?: number; commentId?: number }) {
  const content = (ctx.body as { content?: string }).content ?? "";
  if (!REACTIONS.has(content)) throw new HttpError(422, "Validation Failed: content is not a valid reaction");
  const same = ctx.repo.reactions.find(
    (x) => x.content === content && x.user.login === ctx.actor.login && x.issueNumber === target.issueNumber && x.commentId === target.commentId,
  );
  if (same) return ok({ id: same.id, content, user: same.user });
  const reaction = { id: ctx.state.newId(), content, user: ctx.actor, ...target };
  ctx.repo.reactions.push(reaction);
  return ok({ id: reaction.id, content, user: reaction.user }, 201);
}

function permission(ctx: RouteCtx) {
  const login = ctx.params[0]!;
  const role = login.toLowerCase() === ctx.repo.owner.toLowerCase() ? "admin" : (ctx.repo.collaborators.get(login.toLowerCase()) ?? "none");
  return ok({ permission: LEGACY_PERMISSION[role] ?? "none", role_name: role, user: { login, type: "User" } });
}

function installationRepos(ctx: RouteCtx) {
  if (ctx.tokenInstallation === undefined) throw new HttpError(401, "Bad credentials");
  const all = [...ctx.state.repos.values()].filter((r) => r.installationId === ctx.tokenInstallation);
  return ok({ total_count: all.length, repository_selection: "selected", repositories: page(ctx, all).map((r) => repoJson(ctx.baseUrl, r)) });
}

function installationJson(ctx: RouteCtx, id: number) {
  const inst = ctx.state.installations.get(id);
  if (!inst) throw new HttpError(404, "Not Found");
  return { id, app_id: 1, app_slug: ctx.opts.appSlug, target_type: "Organization", account: { login: inst.account, type: "Organization" } };
}

function accessToken(ctx: RouteCtx) {
  const id = Number(ctx.params[0]);
  installationJson(ctx, id);
  const token = `ghs_fake${id}x${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  ctx.state.tokens.set(token, id);
  return ok(
    {
      token,
      expires_at: new Date(Date.now() + 3600_000).toISOString(),
      permissions: { contents: "write", pull_requests: "write", issues: "write", metadata: "read" },
      repository_selection: "selected",
    },
    201,
  );
}

export const issueRoutes: Route[] = [
  route("GET", `${R}/pulls`, listPulls),
  route("POST", `${R}/pulls`, createPull),
  route("GET", `${R}/pulls/(\\d+)`, (ctx) => {
    const i = findIssue(ctx, ctx.params[0]);
    if (!i.pull) throw new HttpError(404, "Not Found");
    return ok(pullJson(ctx.baseUrl, ctx.repo, i));
  }),
  route("PATCH", `${R}/pulls/(\\d+)`, patchPull),
  route("PATCH", `${R}/issues/comments/(\\d+)`, patchComment),
  route("POST", `${R}/issues/comments/(\\d+)/reactions`, (ctx) => {
    const c = ctx.repo.comments.find((x) => x.id === Number(ctx.params[0]));
    if (!c) throw new HttpError(404, "Not Found");
    return react(ctx, { commentId: c.id });
  }),
  route("GET", `${R}/issues`, listIssues),
  route("POST", `${R}/issues`, createIssue),
  route("GET", `${R}/issues/(\\d+)`, (ctx) => ok(issueJson(ctx.baseUrl, ctx.repo, findIssue(ctx, ctx.params[0])))),
  route("PATCH", `${R}/issues/(\\d+)`, patchIssue),
  route("GET", `${R}/issues/(\\d+)/comments`, (ctx) => {
    const i = findIssue(ctx, ctx.params[0]);
    return ok(
      page(
        ctx,
        ctx.repo.comments.filter((c) => c.issueNumber === i.number),
      ).map((c) => commentJson(ctx.baseUrl, ctx.repo, c)),
    );
  }),
  route("POST", `${R}/issues/(\\d+)/comments`, createComment),
  route("POST", `${R}/issues/(\\d+)/reactions`, (ctx) => react(ctx, { issueNumber: findIssue(ctx, ctx.params[0]).number })),
  route("GET", `${R}/collaborators/([^/]+)/permission`, permission),
  route("GET", `${R}/installation`, (ctx) => ok(installationJson(ctx, ctx.repo.installationId))),
  route("GET", R, (ctx) => ok(repoJson(ctx.baseUrl, ctx.repo))),
  route("GET", "^/installation/repositories", installationRepos),
  route("POST", "^/app/installations/(\\d+)/access_tokens", accessToken),
  route("GET", "^/app/installations/(\\d+)", (ctx) => ok(installationJson(ctx, Number(ctx.params[0])))),
  route("GET", "^/app", (ctx) => ok({ id: 1, slug: ctx.opts.appSlug, name: ctx.opts.appSlug })),
];
