import { describe, expect, it } from "@jest/globals";
import { parseRepository } from "../../../src/core/manifests/parse.js";
import { evaluatePolicies, planAutomation, type ScanOutcome } from "../../../src/core/plan.js";
import {
  adoptionDecision,
  ageText,
  applyMinimumAge,
  approvalsNeeded,
  automationGates,
  changesKey,
  compareLink,
  githubRepoOf,
  imageInfoFrom,
  MAX_AGE_CANDIDATES,
  policyGates,
  releaseDashboardSection,
  releaseNotesBlock,
  releaseSection,
  sourceUrl,
  withReleaseDashboardSection,
  updateType,
  type ImageInfo,
} from "../../../src/core/release/index.js";
import type { ImagePolicy, ImageUpdateAutomation } from "../../../src/core/types.js";
import { parseKey } from "../../../src/core/dashboard/keys.js";

const NOW = new Date("2026-12-07T12:00:00Z");
const daysAgo = (d: number): string => new Date(NOW.getTime() - d * 86_400_000).toISOString();

const policyYaml = (annotations: string, range = ">=1.0.0") => `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata:
  name: app
  namespace: apps
${annotations ? `  annotations:\n${annotations}` : ""}spec:
  imageRepositoryRef:
    name: app
  policy:
    semver:
      range: "${range}"
`;
const repoYaml = `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata:
  name: app
  namespace: apps
spec:
  image: ghcr.io/org/app
  interval: 5m
`;
const autoYaml = (annotations: string) => `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata:
  name: auto
  namespace: apps
${annotations ? `  annotations:\n${annotations}` : ""}spec:
  interval: 5m
  sourceRef:
    kind: GitRepository
    name: flux-system
  git:
    commit:
      author:
        email: bot@example.com
`;
const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: apps
spec:
  template:
    spec:
      containers:
        - name: app
          image: ghcr.io/org/app:1.0.0 # {"$imagepolicy": "apps:app"}
`;

function model(policyAnnotations: string, autoAnnotations = "") {
  const files = [
    { path: "flux.yaml", content: [repoYaml, policyYaml(policyAnnotations), autoYaml(autoAnnotations)].join("---\n") },
    { path: "app.yaml", content: deployment },
  ];
  return { files, model: parseRepository(files) };
}

describe("annotations", () => {
  it("are off unless set", () => {
    const m = model("").model;
    expect(policyGates(m.policies[0] as ImagePolicy)).toEqual({ gates: {}, problems: [] });
    expect(automationGates(m.automations[0] as ImageUpdateAutomation)).toEqual({ gates: {}, problems: [] });
  });
  it("read durations, approval, cron and time zone", () => {
    const m = model(
      "    flux-image-bot/minimum-release-age: 72h\n    flux-image-bot/approve: major\n",
      '    flux-image-bot/schedule: "* 22-23 * * 1-5"\n    flux-image-bot/timezone: Europe/Berlin\n    flux-image-bot/debounce: 10m\n',
    ).model;
    expect(policyGates(m.policies[0]!).gates).toEqual({ minimumAgeMs: 72 * 3_600_000, approve: "major" });
    expect(automationGates(m.automations[0]!).gates).toEqual({ schedule: "* 22-23 * * 1-5", timezone: "Europe/Berlin", debounceMs: 600_000 });
  });
  it("refuse invalid values with the accepted forms", () => {
    const m = model(
      "    flux-image-bot/minimum-release-age: 3 days\n    flux-image-bot/approve: minor\n",
      '    flux-image-bot/schedule: "every night"\n    flux-image-bot/timezone: Mars/Olympus\n    flux-image-bot/debounce: "-5m"\n',
    ).model;
    const p = policyGates(m.policies[0]!).problems;
    expect(p.map((x) => x.message)).toEqual([expect.stringContaining('"72h"'), expect.stringContaining('"major"')]);
    expect(p[0]).toMatchObject({ code: "annotation.invalid", file: "flux.yaml", object: "ImagePolicy/apps/app" });
    const a = automationGates(m.automations[0]!).problems;
    expect(a.map((x) => x.message)).toEqual([
      expect.stringContaining("IANA time zone"),
      expect.stringContaining("five fields"),
      expect.stringContaining("Go duration"),
    ]);
    expect(a.every((x) => x.object === "ImageUpdateAutomation/apps/auto")).toBe(true);
  });
  it("refuse six-field (seconds) cron expressions", () => {
    const m = model("", '    flux-image-bot/schedule: "0 * 22 * * *"\n').model;
    expect(automationGates(m.automations[0]!).problems[0]!.message).toContain("five fields");
  });
});

describe("minimum release age", () => {
  const info =
    (created: Record<string, string | undefined>) =>
    (tag: string): ImageInfo | undefined =>
      tag in created ? { digest: `sha256:${tag}`, created: created[tag] } : undefined;
  it("adopts the best candidate that is old enough, in the policy's order", () => {
    const r = applyMinimumAge(["1.8.0", "1.7.1", "1.7.0"], info({ "1.8.0": daysAgo(1), "1.7.1": daysAgo(4), "1.7.0": daysAgo(10) }), 72 * 3_600_000, NOW);
    expect(r.tag).toBe("1.7.1");
    expect(r.waiting).toEqual({ tag: "1.8.0", created: daysAgo(1), age: "too-young", waitsUntil: new Date(NOW.getTime() + 2 * 86_400_000).toISOString() });
    expect(r.candidates.map((c) => c.age)).toEqual(["too-young", "old-enough"]);
  });
  it("counts a candidate without a creation time as old enough and marks it", () => {
    const r = applyMinimumAge(["2.0.0", "1.0.0"], info({ "2.0.0": undefined }), 72 * 3_600_000, NOW);
    expect(r.tag).toBe("2.0.0");
    expect(r.candidates).toEqual([{ tag: "2.0.0", age: "unknown-age" }]);
  });
  it("inspects at most ten candidates", () => {
    const tags = Array.from({ length: 30 }, (_, i) => `1.0.${30 - i}`);
    const asked: string[] = [];
    const r = applyMinimumAge(tags, (t) => (asked.push(t), { digest: "sha256:x", created: daysAgo(0) }), 3_600_000 * 72, NOW);
    expect(asked).toHaveLength(MAX_AGE_CANDIDATES);
    expect(r.tag).toBeUndefined();
  });
  it("is a step after selection in evaluatePolicies, only when annotated", () => {
    const scans = new Map<string, ScanOutcome>([["apps/app", { ok: true, tags: ["1.0.0", "1.1.0", "1.2.0"] }]]);
    const created: Record<string, string> = { "1.2.0": daysAgo(1), "1.1.0": daysAgo(5), "1.0.0": daysAgo(50) };
    const release = { now: NOW, info: (_i: string, t: string) => ({ digest: "sha256:x", created: created[t] }) };
    expect(evaluatePolicies(model("").model, scans, undefined, release).results[0]!.latestRef?.tag).toBe("1.2.0");
    const gated = evaluatePolicies(model("    flux-image-bot/minimum-release-age: 72h\n").model, scans, undefined, release).results[0]!;
    expect(gated.latestRef?.tag).toBe("1.1.0");
    expect(gated.age?.waiting?.tag).toBe("1.2.0");
  });
  it("holds the policy without a problem when every candidate is too young", () => {
    const { model: m, files } = model("    flux-image-bot/minimum-release-age: 720h\n");
    const scans = new Map<string, ScanOutcome>([["apps/app", { ok: true, tags: ["1.1.0"] }]]);
    const { results } = evaluatePolicies(m, scans, undefined, { now: NOW, info: () => ({ digest: "sha256:x", created: daysAgo(1) }) });
    expect(results[0]!.held?.reason).toBe("age");
    const plan = planAutomation(m, m.automations[0]!, results, files, { defaultBranch: "main" });
    expect(plan.changed).toEqual([]);
    expect(plan.problems).toEqual([]);
  });
});

describe("texts", () => {
  it("ageText", () => {
    expect(ageText(daysAgo(3), NOW)).toBe("published 3 days ago");
    expect(ageText(new Date(NOW.getTime() - 3_600_000).toISOString(), NOW)).toBe("published 1 hour ago");
    expect(ageText(undefined, NOW)).toBe("publication time unknown");
  });
  it("updateType", () => {
    expect(updateType("1.6.0", "1.7.0")).toBe("minor");
    expect(updateType("ghcr.io/org/app:v1.6.0", "ghcr.io/org/app:v2.0.0")).toBe("major");
    expect(updateType("localhost:5000/app:1.0.0", "localhost:5000/app:1.0.1")).toBe("patch");
    expect(updateType("1.0.0", "1.1.0-rc.1")).toBe("prerelease");
    expect(updateType("app:1.0@sha256:aa", "app:1.0@sha256:bb")).toBe("digest");
    expect(updateType("sha256:aa", "sha256:bb")).toBe("digest");
    expect(updateType("main-abc", "main-def")).toBe("other");
  });
  it("GitHub sources and links", () => {
    expect(githubRepoOf("https://github.com/fluxcd/flux2")).toEqual({ owner: "fluxcd", repo: "flux2" });
    expect(githubRepoOf("git@github.com:fluxcd/flux2.git")).toEqual({ owner: "fluxcd", repo: "flux2" });
    expect(githubRepoOf("https://github.com.evil.example/a/b")).toBeUndefined();
    expect(githubRepoOf("https://gitlab.com/a/b")).toBeUndefined();
    expect(compareLink("https://github.com/o/r", "abc1234", "def5678")).toBe("https://github.com/o/r/compare/abc1234...def5678");
    expect(compareLink("https://github.com/o/r", "main", "def5678")).toBeUndefined();
    expect(sourceUrl("https://gitlab.com/a/b")).toBe("https://gitlab.com/a/b");
    expect(sourceUrl("javascript:alert(1)")).toBeUndefined();
  });
  it("release notes are collapsed, neutralised and cut", () => {
    const body = [
      "## Changes",
      "- thanks @octocat for #12 <script>alert(1)</script>",
      "[x](https://evil.example) ![img](https://t.example/p.png)",
      ...Array.from({ length: 500 }, (_, i) => `line ${i} ${"x".repeat(50)}`),
    ].join("\n");
    const block = releaseNotesBlock({ tag: "v1.7.0", name: "Seven @here", body, url: "https://github.com/o/r/releases/tag/v1.7.0" });
    expect(block.startsWith("<details>\n<summary>Release notes of <code>v1.7.0</code>: Seven &#64;here</summary>")).toBe(true);
    expect(block.endsWith("</details>")).toBe(true);
    const notes = block.slice(0, block.indexOf("_Cut to"));
    expect(notes).not.toMatch(/@\w|<script|\]\(|#12/);
    expect(block).toContain("&#64;octocat");
    expect(block.length).toBeLessThan(4_800);
    expect(block).toContain("[the release page](https://github.com/o/r/releases/tag/v1.7.0)");
  });
  it("imageInfoFrom prefers annotations, then labels, then the config's created; drops zero times", () => {
    const i = imageInfoFrom(
      "sha256:d",
      { "org.opencontainers.image.version": "1.2.3" },
      { "org.opencontainers.image.source": "https://github.com/o/r", "org.opencontainers.image.created": "1970-01-01T00:00:00Z" },
      "2026-12-01T10:00:00.123456789Z",
    );
    expect(i).toEqual({ digest: "sha256:d", version: "1.2.3", source: "https://github.com/o/r", created: "2026-12-01T10:00:00.123Z", createdFrom: "config" });
    expect(imageInfoFrom("sha256:d", {}, { "org.opencontainers.image.source": "x".repeat(10_000) }, 42).source).toHaveLength(512);
  });
});

describe("adoption", () => {
  const changes = [{ file: "app.yaml", object: "Deployment/apps/app", oldValue: "1.0.0", newValue: "2.0.0", setter: "apps:app:tag" }];
  it("is immediate without gates, and with force", () => {
    expect(adoptionDecision({}, { now: NOW, changesKey: "k" })).toEqual({ adopt: true });
    expect(adoptionDecision({ schedule: "0 3 * * *" }, { now: NOW, changesKey: "k", force: true })).toEqual({ adopt: true });
  });
  it("waits outside the schedule's window, in its time zone", () => {
    const out = adoptionDecision({ schedule: "* 22-23 * * *", timezone: "Europe/Berlin" }, { now: NOW, changesKey: "k" });
    expect(out).toMatchObject({ adopt: false, reason: "schedule", until: "2026-12-07T21:00:00.000Z" });
    expect(adoptionDecision({ schedule: "* 22-23 * * *", timezone: "Europe/Berlin" }, { now: new Date("2026-12-07T21:30:00Z"), changesKey: "k" })).toEqual({
      adopt: true,
    });
  });
  it("debounces: a change of the pending set restarts the wait", () => {
    const first = adoptionDecision({ debounceMs: 600_000 }, { now: NOW, changesKey: changesKey(changes) });
    expect(first).toMatchObject({ adopt: false, reason: "debounce", until: "2026-12-07T12:10:00.000Z" });
    const wait = (first as { wait: { changesKey: string; since: string } }).wait;
    const later = new Date(NOW.getTime() + 11 * 60_000);
    expect(adoptionDecision({ debounceMs: 600_000 }, { now: later, changesKey: changesKey(changes), previous: wait })).toEqual({ adopt: true });
    expect(adoptionDecision({ debounceMs: 600_000 }, { now: later, changesKey: "other", previous: wait })).toMatchObject({
      adopt: false,
      until: "2026-12-07T12:21:00.000Z",
    });
  });
  it("approval: major only, or all; an approved tag passes", () => {
    const gates = (mode: "major" | "all") => () => ({ approve: mode });
    expect(
      approvalsNeeded(
        changes,
        gates("major"),
        () => "2.0.0",
        () => false,
      ),
    ).toEqual([{ policy: "apps/app", oldValue: "1.0.0", newValue: "2.0.0", tag: "2.0.0", type: "major" }]);
    expect(
      approvalsNeeded(
        changes,
        gates("major"),
        () => "2.0.0",
        (_p, t) => t === "2.0.0",
      ),
    ).toEqual([]);
    const minor = [{ ...changes[0]!, newValue: "1.1.0" }];
    expect(
      approvalsNeeded(
        minor,
        gates("major"),
        () => "1.1.0",
        () => false,
      ),
    ).toEqual([]);
    expect(
      approvalsNeeded(
        minor,
        gates("all"),
        () => "1.1.0",
        () => false,
      ),
    ).toHaveLength(1);
    expect(
      approvalsNeeded(
        changes,
        () => undefined,
        () => "2.0.0",
        () => false,
      ),
    ).toEqual([]);
  });
});

describe("sections", () => {
  const hostile = { digest: "sha256:x", created: daysAgo(3), source: "https://evil.example/a)<img src=x>@here", revision: "zzz" };
  it("the pull request section shows type, age and only safe links", () => {
    const s = releaseSection(
      [
        {
          change: { file: "a.yaml", object: "Deployment/apps/app", oldValue: "app:1.0.0", newValue: "app:1.1.0@sha256:ab", setter: "apps:app" },
          newInfo: hostile,
          oldInfo: null,
          notes: null,
        },
      ],
      NOW,
    );
    expect(s).toContain("**minor**, published 3 days ago");
    expect(s).not.toMatch(/<img|@here|evil/);
    const gh = releaseSection(
      [
        {
          change: { file: "a.yaml", object: "o", oldValue: "1.0.0", newValue: "1.0.1", setter: "apps:app:tag" },
          newInfo: { digest: "d", source: "https://github.com/o/r" },
          oldInfo: undefined,
        },
      ],
      NOW,
    );
    expect(gh).toContain("**patch**, publication time unknown");
    expect(gh).toContain("[o/r](https://github.com/o/r)");
  });
  it("the dashboard section lists waits with their boxes, inserted before the footer", () => {
    const input = {
      policies: { "apps/app": { latestRef: { name: "img", tag: "1.1.0" }, waiting: { tag: "1.2.0", until: "2026-12-09T12:00:00.000Z", reason: "r" } } },
      scans: {},
      automations: {
        "apps/auto": {
          pending: [{ file: "a.yaml", object: "o", oldValue: "1.0.0", newValue: "2.0.0" }],
          release: {
            approvals: [{ policy: "apps/app", oldValue: "1.0.0", newValue: "2.0.0", tag: "2.0.0", type: "major" as const }],
            wait: { changesKey: "k", since: daysAgo(0), reason: "schedule", text: 'awaiting schedule "* 3 * * *"' },
          },
        },
      },
    };
    const s = releaseDashboardSection(input, NOW);
    expect(s).toContain("- [ ] <!-- approve-update=apps/app/2.0.0 --> Awaiting approval");
    expect(s).toContain("- [ ] <!-- run-now=apps/auto --> Awaiting schedule");
    expect(s).toContain("<code>1.2.0</code> waits until 2026-12-09T12:00:00.000Z (minimum release age)");
    expect(s).toContain("(**major**)");
    expect(parseKey("approve-update=apps/app/2.0.0")).toEqual({ kind: "approve-update", namespace: "apps", name: "app", tag: "2.0.0" });
    expect(parseKey("run-now=apps/auto")).toEqual({ kind: "run-now", namespace: "apps", name: "auto" });
    const body = "<!-- flux-image-bot:dashboard -->\n\n## Problems\n\n---\n\n- [ ] <!-- sync-repository --> Tick\n";
    const out = withReleaseDashboardSection(body, s);
    expect(out.indexOf("## Release information")).toBeLessThan(out.indexOf("\n---\n"));
    expect(out.endsWith("- [ ] <!-- sync-repository --> Tick\n")).toBe(true);
    expect(releaseDashboardSection({ policies: {}, scans: {}, automations: {} }, NOW)).toBe("");
  });
});
