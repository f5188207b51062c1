/** Shared fixtures of the end-to-end tests: the example repository, a tag registry, webhook payloads. */
import { readFileSync } from "node:fs";
import { startFake, json, type FakeRegistry, type Handler } from "../adapters/registry/fake-registry.js";

const EXAMPLE = "test/fixtures/example";

export function exampleFiles(registryHost: string): Record<string, string> {
  const read = (p: string) => readFileSync(`${EXAMPLE}/${p}`, "utf8");
  const dir = "clusters/production/image-automation";
  return {
    [`${dir}/kustomization.yaml`]: read(`${dir}/kustomization.yaml`),
    [`${dir}/image-repositories.yaml`]: read(`${dir}/image-repositories.yaml`)
      .replace("ghcr.io/gethomepage/homepage", `${registryHost}/gethomepage/homepage`)
      .replace("interval: 5m", "interval: 5m\n  insecure: true"),
    [`${dir}/image-policies.yaml`]: read(`${dir}/image-policies.yaml`),
    [`${dir}/image-update-automation.yaml`]: read(`${dir}/image-update-automation.yaml`),
    "apps/homepage/deployment.yaml": read("apps/homepage/deployment.yaml").replace(
      "ghcr.io/gethomepage/homepage:v0.9.0",
      `${registryHost}/gethomepage/homepage:v0.9.0`,
    ),
    "README.md": "# homelab\n",
  };
}

/** A registry serving `tags` per repository name; `faults` answers chosen names its own way. */
export async function startTagRegistry(tags: Record<string, string[]>, faults: Record<string, Handler> = {}): Promise<FakeRegistry> {
  return startFake((req, res, url) => {
    if (url.pathname === "/v2/") return json(res, 200, {});
    const m = /^\/v2\/(.+)\/tags\/list$/.exec(url.pathname);
    if (m && faults[m[1]]) return faults[m[1]](req, res, url);
    if (m && tags[m[1]]) return json(res, 200, { name: m[1], tags: tags[m[1]] });
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
