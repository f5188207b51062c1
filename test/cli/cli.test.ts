import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { main } from "../../src/cli.js";

const EXAMPLE = "test/fixtures/example";
const DEPLOY = "apps/homepage/deployment.yaml";

async function run(args: string[], stdin = ""): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { out: (s) => (out += `${s}\n`), err: (s) => (err += `${s}\n`) }, Readable.from([stdin]));
  return { code, out, err };
}

describe("flux-image-bot plan", () => {
  it("prints the update, the rendered message and no problems for the example", async () => {
    const r = await run(["plan", EXAMPLE, "--tags", `${EXAMPLE}/tags.json`]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("ImagePolicy flux-system/my-app: ghcr.io/gethomepage/homepage:v1.1.1");
    expect(r.out).toContain(
      `${DEPLOY} (Deployment/homepage/homepage): ghcr.io/gethomepage/homepage:v0.9.0 -> ghcr.io/gethomepage/homepage:v1.1.1  [flux-system:my-app]`,
    );
    expect(r.out).toContain("| Automation name: flux-system/flux-system");
    expect(r.out).not.toContain("Problems");
  });

  it("prints JSON with --json", async () => {
    const r = await run(["plan", EXAMPLE, "--tags", `${EXAMPLE}/tags.json`, "--json"]);
    const j = JSON.parse(r.out);
    expect(j.policies).toEqual([expect.objectContaining({ namespace: "flux-system", name: "my-app", latest: "ghcr.io/gethomepage/homepage:v1.1.1" })]);
    expect(j.automations[0]).toMatchObject({ namespace: "flux-system", name: "flux-system", checkoutBranch: "main", pushBranch: "main", files: [DEPLOY] });
    expect(j.automations[0].changes).toEqual([
      {
        file: DEPLOY,
        object: "Deployment/homepage/homepage",
        oldValue: "ghcr.io/gethomepage/homepage:v0.9.0",
        newValue: "ghcr.io/gethomepage/homepage:v1.1.1",
        setter: "flux-system:my-app",
        type: "major",
      },
    ]);
    expect(j.automations[0].message).toMatch(/^Automated image update\n/);
    expect(j.problems).toEqual([]);
  });

  it("takes --set for a policy, whether or not the tree holds it", async () => {
    const r = await run([
      "plan",
      EXAMPLE,
      "--tags",
      `${EXAMPLE}/tags.json`,
      "--json",
      "--set",
      "flux-system:my-app=ghcr.io/gethomepage/homepage:v2.0.0@sha256:" + "a".repeat(64),
      "--set",
      "other:thing=x/y:1",
    ]);
    const j = JSON.parse(r.out);
    expect(j.automations[0].changes[0].newValue).toBe(`ghcr.io/gethomepage/homepage:v2.0.0@sha256:${"a".repeat(64)}`);
    expect(j.policies.map((p: { name: string }) => p.name).sort()).toEqual(["my-app", "thing"]);
  });

  it("reports a marker naming an unknown policy and a missing tags entry as problems", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fib-cli-"));
    try {
      cpSync(EXAMPLE, dir, { recursive: true });
      writeFileSync(join(dir, "apps/extra.yaml"), 'image: a/b:1 # {"$imagepolicy": "flux-system:nope"}\n');
      writeFileSync(join(dir, "tags.json"), "{}");
      const r = await run(["plan", dir, "--tags", join(dir, "tags.json"), "--json"]);
      expect(r.code).toBe(0);
      const codes = JSON.parse(r.out).problems.map((p: { code: string }) => p.code);
      expect(codes).toEqual(expect.arrayContaining(["marker.unknown-policy", "registry.no-tags"]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("explains usage errors with exit code 2", async () => {
    expect((await run(["plan", "/does/not/exist", "--tags", "x"])).code).toBe(2);
    expect((await run(["plan", "--nope"])).code).toBe(2);
    expect((await run(["frobnicate"])).err).toContain('unknown command "frobnicate"');
    expect((await run(["plan", EXAMPLE, "--set", "bad"])).err).toContain("NS:NAME=IMAGE:TAG");
    for (const cmd of ["plan", "apply", "policy"]) {
      const h = await run([cmd, "--help"]);
      expect(h.code).toBe(0);
      expect(h.out).toContain("Usage");
    }
  });
});

describe("flux-image-bot apply", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "fib-apply-"));
    cpSync(EXAMPLE, dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("writes only the changed bytes and commits as the automation's author", async () => {
    const git = (...a: string[]) =>
      execFileSync("git", ["-C", dir, ...a], {
        encoding: "utf8",
        env: { ...process.env, GIT_AUTHOR_NAME: "me", GIT_AUTHOR_EMAIL: "me@x", GIT_COMMITTER_NAME: "me", GIT_COMMITTER_EMAIL: "me@x" },
      });
    git("init", "-q", "-b", "main");
    git("add", ".");
    git("commit", "-qm", "initial");
    const before = readFileSync(join(dir, DEPLOY), "utf8");
    const r = await run(["apply", dir, "--tags", join(dir, "tags.json"), "--commit"]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, DEPLOY), "utf8")).toBe(before.replace(":v0.9.0 #", ":v1.1.1 #"));
    expect(git("log", "-1", "--format=%an <%ae>|%cn")).toBe("flux-image-automation <flux-image-automation@users.noreply.github.com>|flux-image-automation\n");
    expect(git("log", "-1", "--format=%B")).toMatch(/^Automated image update\n\nAutomation name: flux-system\/flux-system\n/);
    expect(git("status", "--porcelain")).toBe("");
    // a second run has nothing to do
    const again = await run(["apply", dir, "--tags", join(dir, "tags.json"), "--commit", "--json"]);
    expect(JSON.parse(again.out).commits).toEqual([]);
  });

  it("refuses --commit outside a git checkout", async () => {
    const r = await run(["apply", dir, "--tags", join(dir, "tags.json"), "--commit"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("not a git checkout");
  });
});

describe("flux-image-bot policy --batch", () => {
  it("answers one line per input line, in order, echoing ids", async () => {
    const lines = [
      { id: 1, tags: ["1.0.0", "1.2.0", "2.0.0-rc.1"], policy: { semver: { range: ">=1.0.0" } } },
      { id: "b", tags: ["1", "10", "9"], policy: { numerical: { order: "asc" } } },
      { id: 3, tags: ["a", "B"], policy: { alphabetical: { order: "desc" } } },
      { id: 4, tags: ["main-abc-100", "dev-xyz-101"], policy: { numerical: {} }, filterTags: { pattern: "-(?P<n>\\d+)$", extract: "$n" } },
      { id: 5, tags: ["1.0.0"], policy: { semver: { range: "1.0.0p" } } },
      { id: 6, tags: ["v1.sig", "v1"], policy: { alphabetical: {} }, exclusionList: [] },
    ];
    const input = lines.map((l) => JSON.stringify(l)).join("\n") + "\nnot json\n";
    const r = await run(["policy", "--batch"], input);
    const out = r.out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(out.slice(0, 4)).toEqual([
      { id: 1, latest: "1.2.0" },
      { id: "b", latest: "10" },
      { id: 3, latest: "B" },
      { id: 4, latest: "dev-xyz-101" },
    ]);
    expect(out[4]).toMatchObject({ id: 5, error: expect.any(String) });
    expect(out[5]).toEqual({ id: 6, latest: "v1" });
    expect(out[6].error).toMatch(/JSON/);
  });
});

describe("the built CLI", () => {
  it("runs as a program when built", () => {
    // `npm test` builds first (pretest); running jest alone needs `npm run build` before.
    expect(existsSync("lib/cli.js") ? "built" : "lib/cli.js is missing: run npm run build").toBe("built");
    const out = execFileSync("node", ["lib/cli.js", "plan", EXAMPLE, "--tags", `${EXAMPLE}/tags.json`], { encoding: "utf8" });
    expect(out).toContain("ghcr.io/gethomepage/homepage:v1.1.1");
  });
});

describe("live scanning from the CLI", () => {
  it("lists tags with Docker config credentials and picks the policy's tag", async () => {
    const { startFake, json } = await import("../adapters/registry/fake-registry.js");
    const auth = `Basic ${Buffer.from("ci:s3cret").toString("base64")}`;
    const fake = await startFake((req, res, url) => {
      if (req.headers.authorization !== auth) return json(res, 401, { errors: [{ code: "UNAUTHORIZED" }] }, { "www-authenticate": 'Basic realm="test"' });
      if (url.pathname === "/v2/") return json(res, 200, {});
      if (url.pathname === "/v2/team/app/tags/list") return json(res, 200, { name: "team/app", tags: ["1.0.0", "1.2.0", "2.0.0-rc.1", "latest", "x.sig"] });
      if (url.pathname.startsWith("/v2/team/app/manifests/")) {
        res.writeHead(200, { "docker-content-digest": `sha256:${"b".repeat(64)}`, "content-type": "application/vnd.oci.image.manifest.v1+json" });
        return res.end();
      }
      json(res, 404, {});
    });
    const cfg = mkdtempSync(join(tmpdir(), "fib-docker-"));
    writeFileSync(join(cfg, "config.json"), JSON.stringify({ auths: { [fake.host]: { auth: Buffer.from("ci:s3cret").toString("base64") } } }));
    const saved = process.env.DOCKER_CONFIG;
    process.env.DOCKER_CONFIG = cfg;
    try {
      const r = await run(["policy", "--image", `${fake.host}/team/app`, "--semver", ">=1.0.0", "--insecure", "--json", "--digest"]);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.out)).toMatchObject({ tagCount: 4, latest: "1.2.0", digest: `sha256:${"b".repeat(64)}`, candidates: ["1.0.0"] });
      const text = await run(["policy", "--image", `${fake.host}/team/app`, "--alphabetical", "asc", "--insecure"]);
      expect(text.out).toContain("latest: latest");

      // plan without --tags scans live too
      const dir = mkdtempSync(join(tmpdir(), "fib-live-"));
      cpSync(EXAMPLE, dir, { recursive: true });
      const repoFile = join(dir, "clusters/production/image-automation/image-repositories.yaml");
      writeFileSync(
        repoFile,
        readFileSync(repoFile, "utf8")
          .replace("ghcr.io/gethomepage/homepage", `${fake.host}/team/app`)
          .replace("interval: 5m", "interval: 5m\n  insecure: true"),
      );
      const dep = join(dir, DEPLOY);
      writeFileSync(dep, readFileSync(dep, "utf8").replace("ghcr.io/gethomepage/homepage:v0.9.0", `${fake.host}/team/app:1.0.0`));
      const plan = await run(["plan", dir, "--json"]);
      expect(JSON.parse(plan.out).automations[0].changes[0]).toMatchObject({
        oldValue: `${fake.host}/team/app:1.0.0`,
        newValue: `${fake.host}/team/app:1.2.0`,
      });
      rmSync(dir, { recursive: true, force: true });
      // the password never shows up in the output
      expect(r.out + r.err + plan.out + plan.err).not.toContain("s3cret");
    } finally {
      if (saved === undefined) delete process.env.DOCKER_CONFIG;
      else process.env.DOCKER_CONFIG = saved;
      rmSync(cfg, { recursive: true, force: true });
      await fake.close();
    }
  });

  it("says what to fix when the registry refuses", async () => {
    const { startFake, json } = await import("../adapters/registry/fake-registry.js");
    const fake = await startFake((_req, res) => json(res, 401, { errors: [{ code: "UNAUTHORIZED" }] }, { "www-authenticate": 'Basic realm="test"' }));
    try {
      const r = await run(["policy", "--image", `${fake.host}/team/app`, "--semver", ">=1.0.0", "--insecure"]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/registry\.auth/);
    } finally {
      await fake.close();
    }
  });
});

describe("cloud providers in the CLI", () => {
  it("policy --provider takes a token from the caller's cloud credentials, only for that provider's hosts", async () => {
    const wrong = await run(["policy", "--image", "ghcr.io/org/app", "--provider", "aws", "--semver", ">=1.0.0"]);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain("spec.provider aws does not serve the registry ghcr.io");
    const bad = await run(["policy", "--image", "ghcr.io/org/app", "--provider", "oracle", "--semver", ">=1.0.0"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--provider must be generic, aws, gcp or azure");
  });

  it("plan reports spec.provider on a host the provider does not serve as a problem, without asking for a token", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fib-provider-"));
    try {
      cpSync(EXAMPLE, dir, { recursive: true });
      const repoFile = join(dir, "clusters/production/image-automation/image-repositories.yaml");
      writeFileSync(repoFile, readFileSync(repoFile, "utf8").replace("interval: 5m", "interval: 5m\n  provider: azure"));
      const plan = await run(["plan", dir, "--json"]);
      expect(plan.code).toBe(0);
      expect(JSON.stringify(JSON.parse(plan.out).problems)).toContain("spec.provider azure does not serve the registry ghcr.io");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("digest reflection from the CLI", () => {
  it("writes the digest of the selected tag for a policy that reflects digests", async () => {
    const { startFake, json } = await import("../adapters/registry/fake-registry.js");
    const digest = `sha256:${"c".repeat(64)}`;
    const fake = await startFake((_req, res, url) => {
      if (url.pathname === "/v2/") return json(res, 200, {});
      if (url.pathname === "/v2/team/app/tags/list") return json(res, 200, { name: "team/app", tags: ["1.0.0", "1.2.0"] });
      if (url.pathname === "/v2/team/app/manifests/1.2.0") {
        res.writeHead(200, { "docker-content-digest": digest, "content-type": "application/vnd.oci.image.manifest.v1+json" });
        return res.end();
      }
      json(res, 404, {});
    });
    const dir = mkdtempSync(join(tmpdir(), "fib-digest-"));
    try {
      writeFileSync(
        join(dir, "images.yaml"),
        [
          "apiVersion: image.toolkit.fluxcd.io/v1",
          "kind: ImageRepository",
          "metadata: {name: app, namespace: ns}",
          `spec: {image: ${fake.host}/team/app, interval: 5m, insecure: true}`,
          "---",
          "apiVersion: image.toolkit.fluxcd.io/v1",
          "kind: ImagePolicy",
          "metadata: {name: app, namespace: ns}",
          "spec:",
          "  imageRepositoryRef: {name: app}",
          "  digestReflectionPolicy: IfNotPresent",
          "  policy: {semver: {range: '>=1.0.0'}}",
          "---",
          "apiVersion: image.toolkit.fluxcd.io/v1",
          "kind: ImageUpdateAutomation",
          "metadata: {name: auto, namespace: ns}",
          "spec:",
          "  interval: 5m",
          "  sourceRef: {kind: GitRepository, name: repo}",
          "  git: {commit: {author: {email: bot@example.com}}}",
          "",
        ].join("\n"),
      );
      writeFileSync(join(dir, "values.yaml"), `image:\n  tag: 1.0.0 # {"$imagepolicy": "ns:app:tag"}\n  digest: "" # {"$imagepolicy": "ns:app:digest"}\n`);
      const r = await run(["apply", dir]);
      expect(r.code).toBe(0);
      expect(readFileSync(join(dir, "values.yaml"), "utf8")).toBe(
        `image:\n  tag: 1.2.0 # {"$imagepolicy": "ns:app:tag"}\n  digest: "${digest}" # {"$imagepolicy": "ns:app:digest"}\n`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await fake.close();
    }
  });
});
