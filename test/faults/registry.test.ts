/**
 * Registry faults through the whole app: one repository watches a healthy
 * image and several broken ones. Each broken scan ends with a typed error in
 * the state (scans[...].error and problems["scan:..."]), nothing crashes, and
 * the healthy image is still scanned and its automation still commits once.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { ServerResponse } from "node:http";
import { json, type FakeRegistry } from "../adapters/registry/fake-registry.js";
import { botCommits, startFaultHarness, type FaultHarness } from "../helpers/fault-harness.js";
import { installationPayload, startTagRegistry } from "../helpers/e2e-fixtures.js";
import { automationObject, deploymentFile, imageObjects } from "../helpers/fault-fixtures.js";

const OWNER = "octo";
const REPO = "registry-faults";
const INSTALLATION = 300;

/** name → [how the registry answers, the error code the scan must record] */
const FAULTS: Record<string, [(res: ServerResponse, url: URL) => void, string]> = {
  unauthorized: [(res) => json(res, 401, { errors: [{ code: "UNAUTHORIZED", message: "authentication required" }] }), "registry.auth"],
  missing: [(res) => json(res, 404, { errors: [{ code: "NAME_UNKNOWN", message: "repository name not known to registry" }] }), "registry.not-found"],
  limited: [(res) => json(res, 429, { errors: [{ code: "TOOMANYREQUESTS", message: "slow down" }] }, { "retry-after": "1" }), "registry.rate-limited"],
  broken: [(res) => json(res, 503, { errors: [{ code: "UNAVAILABLE", message: "down for maintenance" }] }), "registry.unavailable"],
  hung: [() => undefined, "registry.timeout"],
  truncated: [
    (res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "400" });
      res.write('{"name":"fault/truncated","tags":["v1.0.');
      setTimeout(() => res.destroy(), 20);
    },
    "registry.",
  ],
  notjson: [
    (res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html><body>Welcome to nginx!</body></html>");
    },
    "registry.invalid-response",
  ],
};

describe("registry faults through the app", () => {
  let h: FaultHarness;
  let registry: FakeRegistry;
  let endlessPages = 0;

  beforeAll(async () => {
    const faults = Object.fromEntries(
      Object.entries(FAULTS).map(([name, [answer]]) => [`fault/${name}`, (_req: unknown, res: ServerResponse, url: URL) => answer(res, url)]),
    );
    // a Link chain that never ends: every page points at one more page
    faults["fault/endless"] = (_req, res, url) => {
      endlessPages++;
      const page = Number(url.searchParams.get("page") ?? "0");
      json(res, 200, { name: "fault/endless", tags: [`v1.0.${page}`] }, { link: `</v2/fault/endless/tags/list?n=1&page=${page + 1}>; rel="next"` });
    };
    registry = await startTagRegistry({ "good/app": ["v1.0.0", "v1.2.0", "v2.0.0"] }, faults);
    h = await startFaultHarness({ env: { REGISTRY_ALLOWED_HOSTS: registry.host, REGISTRY_MAX_PAGES: "3" } });
    const files: Record<string, string> = {
      "flux/good.yaml": imageObjects("good", `${registry.host}/good/app`),
      "flux/automation.yaml": automationObject("apps", "./apps"),
      "apps/good.yaml": deploymentFile("good", `${registry.host}/good/app:v1.0.0`, "good"),
    };
    for (const name of [...Object.keys(FAULTS), "endless"]) {
      files[`flux/${name}.yaml`] = imageObjects(name, `${registry.host}/fault/${name}`, { timeout: "1s" });
      files[`apps/${name}.yaml`] = deploymentFile(name, `${registry.host}/fault/${name}:v0.0.1`, name);
    }
    h.github.addInstallation(INSTALLATION, OWNER);
    h.github.seedRepo({ owner: OWNER, repo: REPO, installationId: INSTALLATION, files });
  }, 30_000);

  afterAll(async () => {
    await h?.stop();
    await registry?.close();
  });

  it("records a typed error per broken image, keeps scanning the others, and the healthy image's update is committed once", async () => {
    expect(await h.deliver("installation", installationPayload(INSTALLATION, OWNER, [REPO]))).toBe(200);
    await h.settle(30_000);
    const state = (await h.services.state.get({ installationId: INSTALLATION, owner: OWNER, repo: REPO }))!;
    for (const [name, [, code]] of Object.entries(FAULTS)) {
      const scan = state.scans[`flux-system/${name}`];
      expect({ name, code: scan?.error?.code }).toEqual({
        name,
        code: code.endsWith(".") ? expect.stringMatching(/^registry\.(unavailable|invalid-response)$/) : code,
      });
      expect(scan?.error?.message).toMatch(/^registry\./);
      expect(state.problems[`scan:flux-system/${name}`]).toEqual([expect.objectContaining({ code: scan!.error!.code, file: `flux/${name}.yaml` })]);
      expect(state.policies[`flux-system/${name}`]?.latestRef).toBeUndefined();
    }
    // the endless chain stops at REGISTRY_MAX_PAGES and says the list was cut
    expect(endlessPages).toBeGreaterThanOrEqual(3);
    expect(state.scans["flux-system/endless"]).toMatchObject({ tagCount: 3 });
    expect(state.problems["scan:flux-system/endless"]).toEqual([expect.objectContaining({ code: "registry.truncated", severity: "warning" })]);

    // the healthy image: scanned, and its automation committed exactly once
    expect(state.scans["flux-system/good"]).toMatchObject({ tagCount: 3 });
    expect(state.scans["flux-system/good"]?.error).toBeUndefined();
    expect(state.policies["flux-system/good"]?.latestRef).toEqual({ name: `${registry.host}/good/app`, tag: "v2.0.0" });
    const bot = botCommits(h.github, OWNER, REPO);
    expect(bot).toHaveLength(1);
    expect(h.github.readFile(OWNER, REPO, "main", "apps/good.yaml")).toContain(`good/app:v2.0.0 #`);
    expect(h.github.readFile(OWNER, REPO, "main", "apps/hung.yaml")).toContain(`fault/hung:v0.0.1 #`);
    // no job failed or crashed: scans end "failed" as a result, not as an exception
    expect((await h.failedJobs()).map((j) => j.failedReason)).toEqual([]);
    expect(h.jobs.filter((j) => j.outcome !== "completed")).toEqual([]);
  }, 40_000);
});
