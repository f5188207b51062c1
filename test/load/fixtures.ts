/**
 * Synthetic data for the load run: the registry's images and tags, and the
 * files of each repository (5 ImageRepositories + 5 ImagePolicies over 20
 * shared images, one ImageUpdateAutomation, and a Deployment whose 5 setter
 * markers are out of date, so each repository needs exactly one commit).
 */
export const NAMESPACE = "flux-system";
export const AUTOMATION = "flux-system";
export const BOT_AUTHOR = "flux-image-automation";

export function imageName(i: number): string {
  return `load/app-${String(i).padStart(2, "0")}`;
}

/** `count` semver tags (1.<minor>.<patch>) plus a few non-semver ones, in a shuffled registry order. */
export function tagsFor(imageIndex: number, count: number): string[] {
  const tags: string[] = ["latest", `sha-${imageIndex.toString(16)}abc`];
  for (let n = 0; tags.length < count; n++) tags.push(`1.${Math.floor(n / 20)}.${n % 20}`);
  // deterministic shuffle so "newest" is not simply the last entry
  for (let i = tags.length - 1; i > 0; i--) {
    const j = (i * 7919 + imageIndex * 31) % (i + 1);
    [tags[i], tags[j]] = [tags[j]!, tags[i]!];
  }
  return tags;
}

/** The newest semver tag of tagsFor(i, count). */
export function newestTag(count: number): string {
  const n = count - 3;
  return `1.${Math.floor(n / 20)}.${n % 20}`;
}

/** Which 5 distinct images repository `r` watches. */
export function imagesOfRepo(r: number, perRepo: number, images: number): number[] {
  const out = new Set<number>();
  for (let k = 0; out.size < Math.min(perRepo, images); k++) out.add((r + k * Math.max(1, Math.floor(images / perRepo))) % images);
  return [...out];
}

export function repoFiles(registryHost: string, imageIdx: number[]): Record<string, string> {
  const dir = "clusters/production/image-automation";
  const repos = imageIdx
    .map(
      (i, k) => `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata:
  name: img-${k}
  namespace: ${NAMESPACE}
spec:
  image: ${registryHost}/${imageName(i)}
  interval: 10m
  insecure: true
`,
    )
    .join("---\n");
  const policies = imageIdx
    .map(
      (_i, k) => `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata:
  name: pol-${k}
  namespace: ${NAMESPACE}
spec:
  imageRepositoryRef:
    name: img-${k}
  policy:
    semver:
      range: ">=1.0.0"
`,
    )
    .join("---\n");
  const automation = `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata:
  name: ${AUTOMATION}
  namespace: ${NAMESPACE}
spec:
  interval: 30m
  sourceRef:
    kind: GitRepository
    name: flux-system
  git:
    checkout:
      ref:
        branch: main
    commit:
      author:
        name: ${BOT_AUTHOR}
        email: ${BOT_AUTHOR}@users.noreply.github.com
      messageTemplate: "Automated image update by {{ .AutomationObject }}"
    push:
      branch: main
  update:
    path: ./apps
    strategy: Setters
`;
  const containers = imageIdx
    .map(
      (i, k) => `        - name: c${k}
          image: ${registryHost}/${imageName(i)}:1.0.0 # {"$imagepolicy": "${NAMESPACE}:pol-${k}"}
`,
    )
    .join("");
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: app
spec:
  template:
    spec:
      containers:
${containers}`;
  return {
    [`${dir}/image-repositories.yaml`]: repos,
    [`${dir}/image-policies.yaml`]: policies,
    [`${dir}/image-update-automation.yaml`]: automation,
    "apps/app/deployment.yaml": deployment,
    "README.md": "# load test repository\n",
  };
}
