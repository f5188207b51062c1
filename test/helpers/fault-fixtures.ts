/**
 * Repositories, registries and payloads for the fault tests. The example
 * helpers are copies of test/e2e/app.test.ts's (importing a test file would
 * register its tests in the importing suite).
 */
import { readFileSync } from "node:fs";
import { startFake, json, type FakeRegistry, type Handler } from "../adapters/registry/fake-registry.js";

const EXAMPLE = "test/fixtures/example";

/** The user's docs example, with the image on the in-test registry (plain HTTP). */
export function exampleFiles(registryHost: string): Record<string, string> {
  const read = (p: string) => readFileSync(`${EXAMPLE}/${p}`, "utf8");
  const dir = "clusters/production/image-automation";
  return {
    [`${dir}/kustomization.yaml`]: read(`${dir}/kustomization.yaml`),
    [`${dir}/image-repositories.yaml`]: read(`${dir}/image-repositories.yaml`).replace("ghcr.io/gethomepage/homepage", `${registryHost}/gethomepage/homepage`).replace("interval: 5m", "interval: 5m\n  insecure: true"),
    [`${dir}/image-policies.yaml`]: read(`${dir}/image-policies.yaml`),
    [`${dir}/image-update-automation.yaml`]: read(`${dir}/image-update-automation.yaml`),
    "apps/homepage/deployment.yaml": read("apps/homepage/deployment.yaml").replace("ghcr.io/gethomepage/homepage:v0.9.0", `${registryHost}/gethomepage/homepage:v0.9.0`),
    "README.md": "# homelab\n",
  };
}

export const HOMEPAGE_TAGS = ["latest", "v0.8.13", "v0.9.0", "v0.9.13", "v0.10.9", "v1.1.1", "v1.0.4"];

/** A registry serving `tags` per repository name; `faults` answers chosen names its own way. */
export async function startTagRegistry(tags: Record<string, string[]>, faults: Record<string, Handler> = {}): Promise<FakeRegistry> {
  return startFake((req, res, url) => {
    if (url.pathname === "/v2/") return json(res, 200, {});
    const m = /^\/v2\/(.+)\/tags\/list$/.exec(url.pathname);
    if (m && faults[m[1]!]) return faults[m[1]!]!(req, res, url);
    if (m && tags[m[1]!]) return json(res, 200, { name: m[1], tags: tags[m[1]!] });
    json(res, 404, { errors: [{ code: "NAME_UNKNOWN", message: "repository name not known to registry" }] });
  });
}

export function installationPayload(installationId: number, account: string, repos: string[], action = "created") {
  return {
    action,
    installation: { id: installationId, account: { login: account, type: "User" } },
    repositories: repos.map((r) => ({ name: r, full_name: `${account}/${r}`, private: false })),
    sender: { login: account, type: "User" },
  };
}

export function repositoriesRemovedPayload(installationId: number, account: string, repos: string[]) {
  return {
    action: "removed",
    installation: { id: installationId, account: { login: account, type: "User" } },
    repository_selection: "selected",
    repositories_added: [],
    repositories_removed: repos.map((r) => ({ name: r, full_name: `${account}/${r}`, private: false })),
    sender: { login: account, type: "User" },
  };
}

/** One ImageRepository (plain HTTP), one semver ImagePolicy on it. */
export function imageObjects(name: string, image: string, opts: { timeout?: string; range?: string } = {}): string {
  return [
    "apiVersion: image.toolkit.fluxcd.io/v1",
    "kind: ImageRepository",
    "metadata:",
    `  name: ${name}`,
    "  namespace: flux-system",
    "spec:",
    `  image: ${image}`,
    "  interval: 5m",
    ...(opts.timeout ? [`  timeout: ${opts.timeout}`] : []),
    "  insecure: true",
    "---",
    "apiVersion: image.toolkit.fluxcd.io/v1",
    "kind: ImagePolicy",
    "metadata:",
    `  name: ${name}`,
    "  namespace: flux-system",
    "spec:",
    "  imageRepositoryRef:",
    `    name: ${name}`,
    "  policy:",
    "    semver:",
    `      range: "${opts.range ?? ">=0.0.0"}"`,
    "",
  ].join("\n");
}

/** An ImageUpdateAutomation over `path` on main, committing as flux-image-automation, optionally through a push branch. */
export function automationObject(name: string, path: string, opts: { pushBranch?: string } = {}): string {
  return [
    "apiVersion: image.toolkit.fluxcd.io/v1",
    "kind: ImageUpdateAutomation",
    "metadata:",
    `  name: ${name}`,
    "  namespace: flux-system",
    "spec:",
    "  interval: 30m",
    "  sourceRef:",
    "    kind: GitRepository",
    "    name: flux-system",
    "  git:",
    "    checkout:",
    "      ref:",
    "        branch: main",
    "    commit:",
    "      author:",
    "        name: flux-image-automation",
    "        email: flux-image-automation@users.noreply.github.com",
    `      messageTemplate: "update by ${name}"`,
    ...(opts.pushBranch ? ["    push:", `      branch: ${opts.pushBranch}`] : []),
    "  update:",
    `    path: ${path}`,
    "    strategy: Setters",
    "",
  ].join("\n");
}

/** A Deployment whose image line carries a setter marker for `flux-system:<policy>`. */
export function deploymentFile(name: string, image: string, policy: string): string {
  return [
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    `  name: ${name}`,
    "spec:",
    "  template:",
    "    spec:",
    "      containers:",
    `        - name: ${name}`,
    `          image: ${image} # {"$imagepolicy": "flux-system:${policy}"}`,
    "",
  ].join("\n");
}
