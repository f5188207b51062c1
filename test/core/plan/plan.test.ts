import { describe, expect, it } from "@jest/globals";
import { parseRepository } from "../../../src/core/manifests/parse.js";
import { evaluatePolicies, planAutomation, type ScanOutcome } from "../../../src/core/plan.js";

const automation = (ns: string, extra = "") => `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata:
  name: auto
  namespace: ${ns}
spec:
  interval: 5m
  sourceRef:
    kind: GitRepository
    name: flux-system
  git:
    commit:
      author:
        email: bot@example.com
        name: bot
${extra}`;
const repo = (ns: string) => `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata:
  name: app
  namespace: ${ns}
spec:
  image: ghcr.io/org/app
  interval: 5m
`;
const policy = (ns: string, name: string, range: string, labels = "") => `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata:
  name: ${name}
  namespace: ${ns}
${labels}spec:
  imageRepositoryRef:
    name: app
  policy:
    semver:
      range: "${range}"
`;

const scans = (tags: string[]) =>
  new Map<string, ScanOutcome>([
    ["a/app", { ok: true, tags }],
    ["b/app", { ok: true, tags }],
  ]);

describe("planAutomation", () => {
  it("uses only the automation's namespace and its policySelector, and reports the rest", () => {
    const files = [
      {
        path: "objects.yaml",
        content: [
          repo("a"),
          repo("b"),
          policy("a", "p1", ">=1.0.0", "  labels:\n    team: x\n"),
          policy("a", "p2", "<1.0.0"),
          policy("b", "p3", ">=1.0.0"),
          automation("a", "  policySelector:\n    matchLabels:\n      team: x\n"),
        ].join("---\n"),
      },
      {
        path: "deploy.yaml",
        content:
          'a: ghcr.io/org/app:0.1.0 # {"$imagepolicy": "a:p1"}\nb: ghcr.io/org/app:0.1.0 # {"$imagepolicy": "a:p2"}\nc: 0.1.0 # {"$imagepolicy": "b:p3:tag"}\n',
      },
    ];
    const model = parseRepository(files);
    expect(model.problems).toEqual([]);
    const { results } = evaluatePolicies(model, scans(["0.5.0", "1.2.0"]));
    const plan = planAutomation(model, model.automations[0], results, files, { defaultBranch: "main" });
    expect(plan.changed.map((f) => f.content)).toEqual([
      'a: ghcr.io/org/app:1.2.0 # {"$imagepolicy": "a:p1"}\nb: ghcr.io/org/app:0.1.0 # {"$imagepolicy": "a:p2"}\nc: 0.1.0 # {"$imagepolicy": "b:p3:tag"}\n',
    ]);
    expect(plan.problems.map((p) => p.code).sort()).toEqual(["marker.not-selected", "marker.other-namespace"]);
    expect(plan.message).toBe("Update from image update automation");
    expect(plan.checkoutBranch).toBe("main");
  });

  it("drops the other-namespace warning when that namespace has its own automation", () => {
    const files = [
      {
        path: "objects.yaml",
        content: [repo("a"), repo("b"), policy("a", "p1", ">=1.0.0"), policy("b", "p3", ">=1.0.0"), automation("a"), automation("b")].join("---\n"),
      },
      { path: "deploy.yaml", content: 'a: ghcr.io/org/app:0.1.0 # {"$imagepolicy": "a:p1"}\nc: 0.1.0 # {"$imagepolicy": "b:p3:tag"}\n' },
    ];
    const model = parseRepository(files);
    const { results } = evaluatePolicies(model, scans(["1.2.0"]));
    const plans = model.automations.map((a) => planAutomation(model, a, results, files, { defaultBranch: "main" }));
    expect(plans.flatMap((p) => p.problems)).toEqual([]);
    expect(plans.map((p) => p.changed.length)).toEqual([1, 1]);
  });

  it("opens a pull request branch when spec.git.push.branch differs, and refuses an invalid image ref", () => {
    const files = [
      {
        path: "o.yaml",
        content: [
          repo("a"),
          policy("a", "p1", ">=1.0.0"),
          automation(
            "a",
            "  git:\n    checkout:\n      ref:\n        branch: develop\n    push:\n      branch: bot/images\n    commit:\n      author:\n        email: bot@example.com\n",
          ),
        ]
          .join("---\n")
          .replace(/ {2}git:\n {4}commit:\n {6}author:\n {8}email: bot@example.com\n {8}name: bot\n {2}git:/, "  git:"),
      },
    ];
    const model = parseRepository(files);
    expect(model.problems).toEqual([]);
    const plan = planAutomation(model, model.automations[0], [], files, { defaultBranch: "main" });
    expect([plan.checkoutBranch, plan.pushBranch]).toEqual(["develop", "bot/images"]);
    const bad = planAutomation(
      model,
      model.automations[0],
      [{ namespace: "a", name: "p1", latestRef: { name: "ghcr.io/org/app", tag: "bad tag\n" }, source: "override" }],
      [...files, { path: "d.yaml", content: 'x: y # {"$imagepolicy": "a:p1"}\n' }],
      { defaultBranch: "main" },
    );
    expect(bad.changed).toEqual([]);
    expect(bad.problems.map((p) => p.code)).toContain("automation.invalid-image-ref");
  });

  it("explains why a policy has no result", () => {
    const files = [
      {
        path: "o.yaml",
        content: [
          repo("a"),
          policy("a", "p1", ">=9.0.0"),
          policy("a", "p2", ">=1.0.0").replace("name: app", "name: missing"),
          policy("b", "p3", ">=1.0.0"),
        ].join("---\n"),
      },
    ];
    const model = parseRepository(files);
    const { results, problems } = evaluatePolicies(model, new Map([["a/app", { ok: true, tags: ["1.0.0"] }]]));
    expect(results.map((r) => [r.name, r.error?.code])).toEqual([
      ["p1", "policy.no-match"],
      ["p2", "policy.repository-not-found"],
      ["p3", "policy.repository-not-found"],
    ]);
    expect(problems.find((p) => p.code === "policy.no-match")?.message).toMatch(/no tag selected from 1 tags of ghcr.io\/org\/app/);
  });
});
