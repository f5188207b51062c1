/**
 * The dashboard and a pull request as GitHub shows them: GFM with GitHub's
 * markdown CSS in headless Chromium at comment width (800 px). Screenshots of
 * a healthy, a broken and a 300-image dashboard and of a pull request are
 * written to .tmp/rendering/ (RENDERING_SCREENSHOTS=<dir> copies them).
 */
import { describe, expect, it } from "@jest/globals";
import { copyFileSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { pullRequestBody, pullRequestTitle, PULL_REQUEST_BODY_LIMIT } from "../../../src/app/pull-request-text.js";
import { GITHUB_BODY_LIMIT, renderDashboard } from "../../../src/core/dashboard/render.js";
import { dumpDom, ensureChromium, screenshot } from "../../helpers/chromium.js";
import { gfmPage, readMetrics, type PageMetrics } from "../../helpers/gfm-page.js";
import { manyChanges, planWith } from "../../helpers/plan-fixtures.js";
import { brokenInput, healthyInput } from "../../fixtures/dashboard/image-states.js";
import { NOW } from "../../fixtures/dashboard/repo-state.js";

const DIR = resolve(".tmp/rendering");
const WIDTH = 800;
/** what a reader sees without scrolling */
const FIRST_SCREEN = 900;

const chromium = ensureChromium();
const browserIt = "bin" in chromium ? it : it.skip;
if ("skip" in chromium) console.warn(`rendering checks skipped: ${chromium.skip}`);

async function render(name: string, markdown: string): Promise<PageMetrics> {
  const bin = (chromium as { bin: string }).bin;
  const url = gfmPage(DIR, name, markdown, WIDTH);
  const measured = readMetrics(await dumpDom(bin, `${url}?measure`, { windowSize: [WIDTH, 1400], budgetMs: 2000 }));
  const file = join(DIR, `${name}.png`);
  await screenshot(bin, url, file, { windowSize: [WIDTH, 1400], budgetMs: 2000 });
  expect(readFileSync(file).subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  expect(statSync(file).size).toBeGreaterThan(10_000);
  if (process.env.RENDERING_SCREENSHOTS) copyFileSync(file, join(process.env.RENDERING_SCREENSHOTS, `${name}.png`));
  return measured;
}

function fitsWidth(m: PageMetrics): void {
  expect(m.pageOverflow).toBeLessThanOrEqual(0);
  expect(m.tableOverflow.filter((o) => o > 1)).toEqual([]);
}

describe("rendered as GitHub renders it, at 800 px", () => {
  browserIt(
    "a healthy dashboard opens on its summary line",
    async () => {
      const m = await render("dashboard-healthy", renderDashboard(healthyInput(1), { now: NOW }));
      expect(m.first.text).toBe("Nothing needs action · 0 pending · 1 image up to date");
      expect(m.first.top).toBeLessThan(100);
      expect(m.errors).toEqual([]);
      fitsWidth(m);
    },
    60_000,
  );

  browserIt(
    "a broken dashboard shows its errors on the first screen, never collapsed",
    async () => {
      const m = await render("dashboard-broken", renderDashboard(brokenInput(), { now: NOW }));
      expect(m.first.text).toBe("2 need action · 1 pending · 1 held · 1 ignored · 3 images up to date");
      expect(m.errors).toHaveLength(2);
      for (const e of m.errors) expect([e.text.slice(0, 40), e.hidden, e.top < FIRST_SCREEN]).toEqual([e.text.slice(0, 40), false, true]);
      expect(m.headings.find((h) => h.text === "Images")!.top).toBeLessThan(FIRST_SCREEN);
      expect(m.maxRowHeight).toBeLessThan(120);
      expect(m.checkboxes).toBeGreaterThanOrEqual(5);
      fitsWidth(m);
    },
    60_000,
  );

  browserIt(
    "a 300-image dashboard stays under the size cap, keeps failing rows and every box, and fits",
    async () => {
      const i = healthyInput(300);
      for (const k of [7, 150, 299])
        i.scans[`apps/app-${String(k).padStart(3, "0")}`]!.error = { code: "registry.unauthorized", message: "401 Unauthorized from ghcr.io: add credentials" };
      const md = renderDashboard(i, { now: NOW });
      expect(md.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
      const m = await render("dashboard-300", md);
      expect(m.first.text).toBe("1 needs action · 0 pending · 297 images up to date");
      expect(m.errors).toHaveLength(1);
      expect(m.errors[0]!.hidden).toBe(false);
      // 300 scan boxes, one run box, one re-read box
      expect(m.checkboxes).toBe(302);
      fitsWidth(m);
    },
    60_000,
  );

  browserIt(
    "a pull request is judged from its title and first table",
    async () => {
      const plan = planWith([
        {
          file: "apps/homepage/deployment.yaml",
          name: "homepage",
          oldValue: "ghcr.io/gethomepage/homepage:v0.9.0",
          newValue: "ghcr.io/gethomepage/homepage:v1.7.0",
          setter: "flux-system:homepage",
        },
        ...manyChanges(40),
      ]);
      expect(pullRequestTitle(plan)).toBe("Update 41 images (homepage v1.7.0, app-0 v2.0.0, …)");
      const md = pullRequestBody(plan);
      expect(md.length).toBeLessThanOrEqual(PULL_REQUEST_BODY_LIMIT);
      const m = await render("pull-request", `# ${pullRequestTitle(plan)}\n\n${md}`);
      expect(m.headings.length + m.first.text.length).toBeGreaterThan(0);
      expect(m.maxRowHeight).toBeLessThan(80);
      fitsWidth(m);
    },
    60_000,
  );
});
