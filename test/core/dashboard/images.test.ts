import { describe, expect, it } from "@jest/globals";
import { imageRows } from "../../../src/core/dashboard/images.js";
import { parseDashboard } from "../../../src/core/dashboard/parse.js";
import { GITHUB_BODY_LIMIT, renderDashboard } from "../../../src/core/dashboard/render.js";
import { NOW } from "../../fixtures/dashboard/repo-state.js";
import { brokenInput, healthyInput } from "../../fixtures/dashboard/image-states.js";

describe("the dashboard at a glance", () => {
  it("a healthy repository opens on one summary line and no problems", () => {
    const body = renderDashboard(healthyInput(1), { now: NOW });
    const lines = body.split("\n");
    expect(lines[2]).toBe("**Nothing needs action** · 0 pending · 1 image up to date");
    expect(body).not.toContain("## Needs action");
    expect(body).toContain("<summary>1 image up to date</summary>");
  });

  it("a broken repository: errors first, once per root cause, linked to the line; warnings aggregated and folded", () => {
    const i = brokenInput();
    i.webUrl = "http://ghe.example.com";
    const body = renderDashboard(i, { now: NOW });
    expect(body.split("\n")[2]).toBe("**2 need action** · 1 pending · 1 held · 1 ignored · 3 images up to date");
    const needs = body.slice(body.indexOf("## Needs action"), body.indexOf("## Images"));
    expect(needs.match(/401 Unauthorized/g)).toHaveLength(1);
    expect(needs).toContain("  - Affects 2: <code>ImageRepository/apps/app-003</code>");
    expect(needs).toContain(
      "[<code>clusters/prod/flux-system/automation.yaml:1</code>](http://ghe.example.com/acme/fleet/blob/0123456789abcdef0123456789abcdef01234567/clusters/prod/flux-system/automation.yaml#L1)",
    );
    expect(needs).not.toContain("deprecated");
    expect(body.indexOf("## Needs action")).toBeLessThan(body.indexOf("## Images"));
    expect(body).toContain("<summary>1 warning</summary>");
    expect(body.match(/is deprecated/g)).toHaveLength(1);
    expect(body).toContain("(lines 3, 10, 18, 26, 34, 42, 50, 58) ×8");
  });

  it("says where each image stands, failing and pending first", () => {
    const rows = imageRows(brokenInput());
    expect(rows.map((r) => [r.name, r.state, r.where.kind])).toEqual([
      ["app-003", "failing", "failing"],
      ["app-004", "failing", "failing"],
      ["app-000", "pending", "pull-request"],
      ["app-001", "held", "held"],
      ["app-002", "ignored", "ignored"],
      ["app-005", "up to date", "none"],
      ["app-006", "up to date", "none"],
      ["app-007", "up to date", "none"],
    ]);
    const body = renderDashboard(brokenInput(), { now: NOW });
    expect(body).toContain("| pending | in pull request [#12](http://ghe.example.com/acme/fleet/pull/12) |");
    expect(body).toContain("- [ ] <!-- hold-update=apps/app-000 --> Hold <code>apps/app-000</code> → <code>v1.7.0</code>");
    expect(body).toContain("- [ ] <!-- release-update=apps/app-001 --> Release <code>apps/app-001</code> → <code>v2.0.0</code>");
    expect(body).toContain(
      "- [ ] <!-- unignore-version=apps/app-002/v1.1.0 --> <code>apps/app-002</code> <code>v1.1.0</code> (pull request #9 closed by bob): tick to un-ignore",
    );
  });

  it("a failed run blocks its pending updates; a chatops suspension offers a resume box", () => {
    const i = brokenInput();
    i.automations["apps/apps"] = {
      ...i.automations["apps/apps"]!,
      lastResult: "failed",
      error: { code: "github.protected-branch", message: "push to main refused" },
    };
    expect(imageRows(i).find((r) => r.name === "app-000")!.where).toEqual({ kind: "blocked", automation: "apps/apps", code: "github.protected-branch" });
    i.automations["apps/apps"]!.suspendedByChatops = { by: "alice", at: "2024-05-01T10:00:00Z" };
    const body = renderDashboard(i, { now: NOW });
    expect(body).toContain("suspended by alice, tick to resume below");
    expect(body).toContain("- [ ] <!-- resume-automation=apps/apps --> Resume <code>apps/apps</code> (suspended by alice)");
  });

  it("groups images by cluster when there is more than one", () => {
    const body = renderDashboard(
      healthyInput(4, (k) => (k % 2 ? "staging" : "production")),
      { now: NOW },
    );
    expect(body).toContain("### Cluster <code>production</code>");
    expect(body).toContain("### Cluster <code>staging</code>");
    expect(
      renderDashboard(
        healthyInput(4, () => "production"),
        { now: NOW },
      ),
    ).not.toContain("### Cluster");
  });

  it("over the size limit drops healthy rows first, never a failing row or a box that acts", () => {
    const i = healthyInput(300);
    for (const k of [10, 150, 299])
      i.scans[`apps/app-${String(k).padStart(3, "0")}`]!.error = { code: "registry.unauthorized", message: `401 from ghcr.io ${"x".repeat(300)}` };
    i.activity = Array.from({ length: 20 }, (_, k) => ({
      at: "2024-05-01T11:00:00Z",
      kind: "commit" as const,
      automation: "apps/apps",
      sha: `${k}`.repeat(40).slice(0, 40),
      summary: "1 file(s) on main",
    }));
    const body = renderDashboard(i, { now: NOW, maxLength: 40_000 });
    expect(body.length).toBeLessThanOrEqual(40_000);
    expect(body).toMatch(/_… and \d+ more not shown/);
    for (const k of ["010", "150", "299"])
      expect(body).toContain(`<code>ghcr.io/example-org/app-${k}</code><br><sub>apps/app-${k}</sub> | <code>v1.0.0</code> | <code>v1.0.0</code> | **failing**`);
    const keys = parseDashboard(body).boxes.map((b) => b.key);
    expect(keys.filter((k) => k.startsWith("scan-repository="))).toHaveLength(300);
    expect(keys).toContain("sync-repository");
    expect(renderDashboard(i, { now: NOW }).length).toBeLessThan(GITHUB_BODY_LIMIT);
  });
});

describe("root causes", () => {
  it("a marker left alone by a failing scan is a place of that scan's error, not another error", () => {
    const i = brokenInput();
    i.problems.push(
      {
        code: "marker.no-result",
        file: "apps/app-003/deployment.yaml",
        line: 21,
        object: "ImagePolicy/apps/app-003",
        message: "The marker names an ImagePolicy that has no selected image yet. Policy error: scan of ghcr.io/example-org/app-003 failed",
        severity: "error",
      },
      {
        code: "marker.no-result",
        file: "apps/app-004/deployment.yaml",
        line: 21,
        object: "ImagePolicy/apps/app-004",
        message: "The marker names an ImagePolicy that has no selected image yet. Policy error: scan of ghcr.io/example-org/app-004 failed",
        severity: "error",
      },
    );
    const body = renderDashboard(i, { now: NOW });
    expect(body.split("\n")[2]).toMatch(/^\*\*2 need action\*\*/);
    expect(body).not.toContain("no selected image");
    expect(body).toContain("Affects 4: <code>ImageRepository/apps/app-003</code>");
    expect(body).toContain("[<code>apps/app-003/deployment.yaml:21</code>]");
  });
});
