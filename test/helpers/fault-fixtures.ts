/** Repositories, registries and payloads for the fault tests, on top of the e2e fixtures. */
export const HOMEPAGE_TAGS = ["latest", "v0.8.13", "v0.9.0", "v0.9.13", "v0.10.9", "v1.1.1", "v1.0.4"];

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
