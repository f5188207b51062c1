import { describe, expect, it } from "@jest/globals";
import { allProblems } from "../../../src/app/state.js";
import { esc } from "../../../src/core/dashboard/escape.js";
import type { DashboardInput } from "../../../src/core/dashboard/input.js";
import { DASHBOARD_MARKER, formatKey, newlyTicked, parseKey, readBoxes } from "../../../src/core/dashboard/keys.js";
import { parseDashboard, tickedActions } from "../../../src/core/dashboard/parse.js";
import { GITHUB_BODY_LIMIT, renderDashboard } from "../../../src/core/dashboard/render.js";
import { fleetState, hugeState, NOW } from "../../fixtures/dashboard/repo-state.js";
import type { RepoState } from "../../../src/app/ports/index.js";

function input(s: RepoState): DashboardInput {
  return { ...s, problems: allProblems(s), recentActions: s.dashboard?.recentActions };
}

describe("renderDashboard", () => {
  it("renders a real-looking repository", () => {
    expect(renderDashboard(input(fleetState()), { now: NOW })).toMatchSnapshot();
  });

  it("renders a repository not read yet, and one without image objects", () => {
    const s = fleetState();
    const bare: DashboardInput = { repo: s.repo, scans: {}, policies: {}, automations: {}, problems: [], activity: [] };
    expect(renderDashboard(bare, { now: NOW })).toMatchSnapshot();
    const empty = { ...bare, model: { ...s.model!, repositories: [], policies: [], automations: [] } };
    expect(renderDashboard(empty, { now: NOW })).toContain("No ImageRepository");
  });

  it("leaves empty sections out", () => {
    const s = fleetState();
    s.problems = {};
    delete s.scans["apps/private-api"]!.error;
    delete s.policies["apps/homepage"];
    s.automations = {};
    s.activity = [];
    s.dashboard = { issueNumber: 1 };
    const body = renderDashboard(input(s), { now: NOW });
    for (const title of ["## Needs action", "## Recent activity", "warning</summary>"]) expect(body).not.toContain(title);
    for (const title of ["## Images", "## Scan or run now"]) expect(body).toContain(title);
  });

  it("escapes user text so it cannot inject markdown or HTML, nor break a table", () => {
    const s = fleetState();
    const evil = "x|y`z<img src=x onerror=alert(1)>\n## Heading [a](javascript:alert(1)) @admin **b**";
    s.model!.repositories[0]!.spec.image = evil;
    s.policies["flux-system/podinfo"]!.latestRef!.tag = evil;
    s.problems = { sync: [{ code: "c", file: evil, message: evil }] };
    const body = renderDashboard(input(s), { now: NOW });
    expect(body).not.toContain("<img");
    expect(body).not.toContain("x|y");
    expect(body).not.toContain("`z");
    expect(body).not.toContain("\n## Heading");
    expect(body).not.toContain("@admin");
    expect(body).not.toContain("[a](");
    // every table row still has exactly six pipes (five columns)
    for (const line of body.split("\n").filter((l) => l.startsWith("| "))) expect(line.split("|").length).toBe(7);
    expect(esc("a\r\nb")).toBe("a b");
  });
});

describe("parse and round-trip", () => {
  it("render → parse → render is stable, unticked and ticked", () => {
    const i = input(fleetState());
    const body = renderDashboard(i, { now: NOW });
    const parsed = parseDashboard(body);
    expect(parsed.isDashboard).toBe(true);
    expect(parsed.ticked.size).toBe(0);
    expect(parsed.boxes.map((b) => b.key)).toEqual([
      "hold-update=flux-system/podinfo",
      "resume-automation=apps/apps-weekly",
      "scan-repository=apps/homepage",
      "scan-repository=apps/private-api",
      "scan-repository=flux-system/podinfo",
      "reconcile-automation=apps/apps-weekly",
      "reconcile-automation=flux-system/flux-system",
      "sync-repository",
    ]);
    expect(renderDashboard(i, { now: NOW, ticked: parsed.ticked })).toBe(body);

    const ticked = body
      .replace("- [ ] <!-- scan-repository=apps/homepage -->", "- [x] <!-- scan-repository=apps/homepage -->")
      .replace("- [ ] <!-- sync-repository -->", "- [X] <!-- sync-repository -->");
    const again = parseDashboard(ticked);
    expect([...again.ticked]).toEqual(["scan-repository=apps/homepage", "sync-repository"]);
    expect(renderDashboard(i, { now: NOW, ticked: again.ticked })).toBe(ticked.replace("[X]", "[x]"));
    expect(tickedActions(ticked).map((t) => t.action)).toEqual([{ kind: "scan-repository", namespace: "apps", name: "homepage" }, { kind: "sync-repository" }]);
  });

  it("is not fooled by bodies without the marker", () => {
    expect(parseDashboard("- [x] <!-- sync-repository --> x")).toEqual({ isDashboard: false, boxes: [], ticked: new Set() });
    expect(parseDashboard(null).isDashboard).toBe(false);
    expect(parseDashboard(`${DASHBOARD_MARKER}\n- [x] <!-- sync-repository --> x`).ticked).toEqual(new Set(["sync-repository"]));
  });
});

describe("checkbox keys and diffing", () => {
  it.each<{ action: Parameters<typeof formatKey>[0]; key: string }>`
    action                                                                   | key
    ${{ kind: "sync-repository" }}                                           | ${"sync-repository"}
    ${{ kind: "scan-repository", namespace: "flux-system", name: "web.v2" }} | ${"scan-repository=flux-system/web.v2"}
    ${{ kind: "reconcile-automation", namespace: "a b", name: "x-->y" }}     | ${"reconcile-automation=a%20b/x--%3Ey"}
  `("$key round-trips", ({ action, key }) => {
    expect(formatKey(action)).toBe(key);
    expect(parseKey(key)).toEqual(action);
  });

  it("rejects unknown keys", () => {
    expect(parseKey("delete-everything")).toBeNull();
    expect(parseKey("scan-repository=onlyname")).toBeNull();
    expect(parseKey("scan-repository=%E0/x")).toBeNull();
  });

  it("finds boxes that went from unticked to ticked", () => {
    const before = "- [ ] <!-- a --> A\n- [x] <!-- b --> B\n- [ ] <!-- c --> C\n";
    const after = "- [x] <!-- a --> A\n- [x] <!-- b --> B\n- [ ] <!-- c --> C\n- [x] <!-- d --> new\n";
    expect(newlyTicked(before, after)).toEqual(["a"]);
    expect(newlyTicked(after, before)).toEqual([]);
    expect(readBoxes("* [X] <!-- a --> A\n- [x] <!-- a --> again")).toEqual([{ key: "a", checked: true }]);
  });
});

describe("length limit", () => {
  it("keeps 500 policies with long problems under 65,536 characters with <details> and a note", () => {
    const s = hugeState(500);
    const body = renderDashboard(input(s), { now: NOW });
    expect(body.length).toBeLessThan(GITHUB_BODY_LIMIT);
    expect(body).toMatch(/_(… and \d+ more|The rest is) not shown: the issue body would pass GitHub's limit of 65536 characters\._/);
    expect(body).toContain("<!-- sync-repository -->");
    for (const t of ["## Needs action", "## Images", "<!-- hold-update=apps/service-000 -->"]) expect(body).toContain(t);
    // balanced collapsible blocks
    expect(body.split("<details>").length).toBe(body.split("</details>").length);
    expect(renderDashboard(input(s), { now: NOW, ticked: parseDashboard(body).ticked })).toBe(body);
  });

  it("falls back to a hard cut with a note for a tiny limit", () => {
    const body = renderDashboard(input(hugeState(50)), { now: NOW, maxLength: 3000 });
    expect(body.length).toBeLessThanOrEqual(3000);
    expect(body).toContain("<!-- sync-repository -->");
    expect(body).toContain("not shown");
  });
});
