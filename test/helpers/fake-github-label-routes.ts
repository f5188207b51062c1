/** Repository labels and labels on issues and pull requests, as GitHub's REST API answers them. */
import { HttpError } from "./fake-github-json.js";
import { ok, R, route, type Route, type RouteCtx } from "./fake-github-routes.js";

const labelJson = (name: string, color: string) => ({ name, color, description: null, default: false });

function addToIssue(ctx: RouteCtx) {
  const i = ctx.repo.issues.find((x) => x.number === Number(ctx.params[0]));
  if (!i) throw new HttpError(404, "Not Found");
  const { labels } = ctx.body as { labels?: string[] };
  if (!Array.isArray(labels)) throw new HttpError(422, "labels must be an array");
  for (const l of labels) {
    // GitHub makes a label it does not know yet; the bot makes its own first so this fake refuses instead.
    if (!ctx.repo.labels.has(l)) throw new HttpError(422, `Label does not exist in this fake: ${l}`);
    if (!i.labels.includes(l)) i.labels.push(l);
  }
  return ok(i.labels.map((l) => labelJson(l, ctx.repo.labels.get(l)!)));
}

export const labelRoutes: Route[] = [
  route("GET", `${R}/labels/([^/]+)`, (ctx) => {
    const color = ctx.repo.labels.get(ctx.params[0]!);
    if (color === undefined) throw new HttpError(404, "Not Found");
    return ok(labelJson(ctx.params[0]!, color));
  }),
  route("POST", `${R}/labels`, (ctx) => {
    const { name, color } = ctx.body as { name?: string; color?: string };
    if (!name || !color || !/^[0-9a-f]{6}$/i.test(color)) throw new HttpError(422, "Validation Failed");
    if (ctx.repo.labels.has(name)) throw new HttpError(422, "Validation Failed: already_exists");
    ctx.repo.labels.set(name, color);
    return ok(labelJson(name, color), 201);
  }),
  route("POST", `${R}/issues/(\\d+)/labels`, addToIssue),
];
