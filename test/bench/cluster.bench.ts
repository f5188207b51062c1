/**
 * The cluster model on a large "home-ops" style repository: a bootstrapped
 * root, a cluster Kustomization applying kubernetes/apps, and one Flux
 * Kustomization per app (targetNamespace, commonMetadata, postBuild) over a
 * kustomize folder of several manifests; image objects for a tenth of the apps.
 * Prints the time of parseRepository (all builds) and what it found.
 *
 *   npx tsx test/bench/cluster.bench.ts
 */
import { parseRepository } from "../../src/core/manifests/parse.js";
import type { RepoFile } from "../../src/core/types.js";

const APPS = 300;
const MANIFESTS_PER_APP = 6;

function repo(): RepoFile[] {
  const files: RepoFile[] = [
    {
      path: "clusters/main/flux-system/gotk-sync.yaml",
      content:
        "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: flux-system, namespace: flux-system}\nspec: {url: https://github.com/acme/home-ops, ref: {branch: main}}\n---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: flux-system, namespace: flux-system}\nspec: {path: ./kubernetes/flux, sourceRef: {kind: GitRepository, name: flux-system}}\n",
    },
    { path: "clusters/main/flux-system/kustomization.yaml", content: "resources: [gotk-sync.yaml]\n" },
    {
      path: "kubernetes/flux/cluster.yaml",
      content:
        "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: cluster-apps, namespace: flux-system}\nspec: {path: ./kubernetes/apps, sourceRef: {kind: GitRepository, name: flux-system}}\n",
    },
  ];
  // as in home-ops: the apps folder lists each app's ks.yaml, whose own path builds the app
  files.push({
    path: "kubernetes/apps/kustomization.yaml",
    content: `resources:\n${Array.from({ length: APPS }, (_, i) => `  - app${i}/ks.yaml\n`).join("")}`,
  });
  for (let i = 0; i < APPS; i++) {
    const dir = `kubernetes/apps/app${i}`;
    files.push({
      path: `${dir}/ks.yaml`,
      content: `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: app${i}, namespace: flux-system}\nspec:\n  path: ./${dir}/app\n  targetNamespace: ns${i % 20}\n  commonMetadata: {labels: {app.kubernetes.io/name: app${i}}}\n  postBuild: {substitute: {APP: app${i}}}\n  sourceRef: {kind: GitRepository, name: flux-system}\n`,
    });
    const resources = Array.from({ length: MANIFESTS_PER_APP }, (_, j) => `m${j}.yaml`);
    files.push({ path: `${dir}/app/kustomization.yaml`, content: `resources: [${resources.join(", ")}]\n` });
    for (let j = 0; j < MANIFESTS_PER_APP; j++) {
      const image = i % 10 === 0 && j === 0;
      files.push({
        path: `${dir}/app/m${j}.yaml`,
        content: image
          ? `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata: {name: "\${APP}"}\nspec: {image: ghcr.io/acme/app${i}, interval: 1h}\n---\napiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata: {name: "\${APP}"}\nspec: {imageRepositoryRef: {name: "\${APP}"}, policy: {semver: {range: ">=1.0.0"}}}\n`
          : `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: "\${APP}-m${j}"}\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          image: ghcr.io/acme/app${i}:1.0.0 # {"$imagepolicy": "ns${i % 20}:app${i}:tag"}\n${"          env: [{name: X, value: y}]\n".repeat(5)}`,
      });
    }
  }
  return files;
}

export async function run(): Promise<void> {
  const files = repo();
  const bytes = files.reduce((n, f) => n + f.content.length, 0);
  const times: number[] = [];
  let found = { clusters: 0, repositories: 0, policies: 0, problems: 0 };
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    const m = parseRepository(files, { repository: { owner: "acme", repo: "home-ops" }, branch: "main" });
    times.push(performance.now() - t);
    found = { clusters: m.clusters?.length ?? 0, repositories: m.repositories.length, policies: m.policies.length, problems: m.problems.length };
  }
  times.sort((a, b) => a - b);
  console.log(`cluster.bench: ${files.length} files, ${(bytes / 1024).toFixed(0)} KB, ${APPS} Flux Kustomizations`);
  console.log(`cluster.bench: found ${JSON.stringify(found)}`);
  console.log(`cluster.bench: parseRepository median ${times[1]!.toFixed(0)} ms (min ${times[0]!.toFixed(0)}, max ${times[2]!.toFixed(0)})`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
