/** The CLI on the two-cluster fixture, and the output a user must not misread. */
import { describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { main } from "../../src/cli.js";

const FIXTURE = "test/fixtures/clusters";
const TAGS = `${FIXTURE}/tags.json`;

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { out: (s) => (out += `${s}\n`), err: (s) => (err += `${s}\n`) }, Readable.from([""]));
  return { code, out, err };
}

function copy(src: string): string {
  const dir = mkdtempSync(join(tmpdir(), "fib-clusters-"));
  cpSync(src, dir, { recursive: true });
  return dir;
}

describe("plan and apply on a repository with two clusters", () => {
  it("groups plan by cluster and takes the repository from the origin remote", async () => {
    const dir = copy(FIXTURE);
    try {
      execFileSync("git", ["init", "-q", "-b", "main", dir]);
      execFileSync("git", ["-C", dir, "remote", "add", "origin", "git@github.com:acme/fleet.git"]);
      const r = await run(["plan", dir, "--tags", TAGS]);
      expect(r.code).toBe(0);
      const prod = r.out.indexOf("Cluster clusters/production/flux-system/gotk-sync.yaml");
      const stg = r.out.indexOf("Cluster clusters/staging/flux-system/gotk-sync.yaml");
      expect(prod).toBeGreaterThanOrEqual(0);
      expect(stg).toBeGreaterThan(prod);
      expect(r.out.slice(prod, stg)).toContain("apps/production/kustomization.yaml (Kustomization): 6.5.0 -> 6.6.2  [flux-system:podinfo:tag]");
      expect(r.out.slice(stg)).toContain("apps/staging/kustomization.yaml (Kustomization): 6.5.0 -> 6.7.0-rc.1  [flux-system:stg-podinfo:tag]");
      expect(r.out).not.toContain("7.0.0-dev.1");
      expect(r.out).not.toContain("Kustomization//");
      expect(r.out).not.toContain("repository-unknown");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("--json gives every object its cluster, identity and identitySource", async () => {
    const r = await run(["plan", FIXTURE, "--tags", TAGS, "--repository", "https://github.com/acme/fleet", "--branch", "main", "--json"]);
    const j = JSON.parse(r.out);
    expect(j.clusters.map((c: { name: string }) => c.name)).toEqual([
      "clusters/production/flux-system/gotk-sync.yaml",
      "clusters/staging/flux-system/gotk-sync.yaml",
    ]);
    const stg = j.policies.find((p: { name: string }) => p.name === "stg-podinfo");
    expect(stg).toMatchObject({
      cluster: "clusters/staging/flux-system/gotk-sync.yaml",
      identity: { kind: "ImagePolicy", namespace: "flux-system", name: "stg-podinfo" },
      identitySource: ["namespace in infra/image-automation/base/kustomization.yaml", "namePrefix in infra/image-automation/staging/kustomization.yaml"],
      appliedBy: "Kustomization flux-system/image-automation",
      latest: "ghcr.io/stefanprodan/podinfo:6.7.0-rc.1",
    });
    for (const list of [j.repositories, j.policies, j.automations])
      for (const o of list) expect(Object.keys(o)).toEqual(expect.arrayContaining(["cluster", "identity", "identitySource", "namespaceSource"]));
    expect(j.automations.map((a: { name: string; state: string }) => [a.name, a.state])).toEqual([
      ["production", "changes"],
      ["stg-staging", "changes"],
    ]);
  });

  it("apply writes each cluster's update into its own overlay only", async () => {
    const dir = copy(FIXTURE);
    try {
      const r = await run(["apply", dir, "--tags", TAGS, "--repository", "acme/fleet", "--branch", "main"]);
      expect(r.code).toBe(0);
      expect(readFileSync(join(dir, "apps/production/kustomization.yaml"), "utf8")).toContain('newTag: 6.6.2 # {"$imagepolicy": "flux-system:podinfo:tag"}');
      expect(readFileSync(join(dir, "apps/staging/kustomization.yaml"), "utf8")).toContain(
        'newTag: 6.7.0-rc.1 # {"$imagepolicy": "flux-system:stg-podinfo:tag"}',
      );
      expect(readFileSync(join(dir, "_archive/deployment.yaml"), "utf8")).toContain("podinfo:6.0.0 #");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("output a user cannot misread", () => {
  const files = (template: string, suspend = false): string => {
    const dir = copy("test/fixtures/example");
    const p = join(dir, "clusters/production/image-automation/image-update-automation.yaml");
    let text = readFileSync(p, "utf8");
    text = text.replace(/messageTemplate:[\s\S]*?(\n {4}\w|\n {2}\w)/, (_m, next: string) => `messageTemplate: '${template}'${next}`);
    if (!text.includes("messageTemplate")) text = text.replace("      author:", `      messageTemplate: '${template}'\n      author:`);
    if (suspend) text = text.replace("spec:\n", "spec:\n  suspend: true\n");
    writeFileSync(p, text);
    return dir;
  };

  it("an automation whose template fails says failed, apply writes nothing, --json has no default message", async () => {
    const dir = files("{{ .Nope.Nope }}");
    try {
      const plan = await run(["plan", dir, "--tags", "test/fixtures/example/tags.json"]);
      expect(plan.out).toContain("failed, nothing is written: the commit message template failed");
      expect(plan.out).not.toContain("up to date");
      const json = JSON.parse((await run(["plan", dir, "--tags", "test/fixtures/example/tags.json", "--json"])).out);
      expect(json.automations[0]).toMatchObject({ state: "failed", message: null });
      expect(json.automations[0].messageError).toEqual(expect.any(String));
      const before = readFileSync(join(dir, "apps/homepage/deployment.yaml"), "utf8");
      const apply = await run(["apply", dir, "--tags", "test/fixtures/example/tags.json"]);
      expect(apply.out).not.toMatch(/updated \d+ file/);
      expect(readFileSync(join(dir, "apps/homepage/deployment.yaml"), "utf8")).toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a suspended automation is reported suspended and apply writes nothing", async () => {
    const dir = files("x", true);
    try {
      const apply = await run(["apply", dir, "--tags", "test/fixtures/example/tags.json"]);
      expect(apply.out).toContain("suspended (spec.suspend: true): nothing is written");
      expect(apply.out).not.toMatch(/updated \d+ file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an invalid automation is not 'not found'; tag counts are singular when one; deprecations once per file and version", async () => {
    const dir = copy("test/fixtures/example");
    try {
      const p = join(dir, "clusters/production/image-automation/image-update-automation.yaml");
      writeFileSync(p, readFileSync(p, "utf8").replace(/interval: .*/, "interval: soon"));
      const pol = join(dir, "clusters/production/image-automation/image-policies.yaml");
      const policyText = readFileSync(pol, "utf8").replace("image.toolkit.fluxcd.io/v1\n", "image.toolkit.fluxcd.io/v1beta2\n");
      writeFileSync(pol, `${policyText}---\n${policyText.replace("name: my-app", "name: other")}`);
      writeFileSync(join(dir, "tags.json"), JSON.stringify({ "ghcr.io/gethomepage/homepage": ["v1.0.0"] }));
      const r = await run(["plan", dir, "--tags", join(dir, "tags.json")]);
      expect(r.out).toContain("No valid ImageUpdateAutomation: 1 invalid (see Problems).");
      expect(r.out).toContain("(from 1 tag)");
      expect(r.out.match(/deprecated-version/g)).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
