import { describe, expect, it } from "@jest/globals";
import { PULL_REQUEST_BODY_LIMIT, pullRequestBody, pullRequestTitle } from "../../src/app/pull-request-text.js";
import { imageUpdates, updateTitle, updateType } from "../../src/core/updates.js";
import { manyChanges, planWith } from "../helpers/plan-fixtures.js";

const homepage = {
  file: "apps/homepage/deployment.yaml",
  name: "homepage",
  oldValue: "ghcr.io/gethomepage/homepage:v0.9.0",
  newValue: "ghcr.io/gethomepage/homepage:v1.7.0",
  setter: "flux-system:my-app",
};
const podinfo = { file: "apps/podinfo/deployment.yaml", name: "podinfo", oldValue: "6.6.1", newValue: "6.6.2", setter: "flux-system:podinfo:tag" };
const nginx = { file: "apps/web/deployment.yaml", name: "web", oldValue: "nginx:1.25.0", newValue: "nginx:1.26.0-rc.1", setter: "flux-system:nginx" };

describe("update types", () => {
  it.each([
    ["v0.9.0", "v1.7.0", "major"],
    ["1.2.3", "1.3.0", "minor"],
    ["1.2.3", "1.2.4", "patch"],
    ["v1.2", "v1.2.1", "patch"],
    ["1.2.3", "1.3.0-rc.1", "prerelease"],
    ["main-abc-1", "main-def-2", "other"],
  ])("%s → %s is %s", (from, to, type) => {
    expect(updateType({ tag: from }, { tag: to })).toBe(type);
  });

  it("a moved digest on the same tag is a digest update", () => {
    expect(updateType({ tag: "1.0", digest: "sha256:aa" }, { tag: "1.0", digest: "sha256:bb" })).toBe("digest");
  });
});

describe("pull-request title", () => {
  it("names one image and its new tag", () => {
    expect(pullRequestTitle(planWith([homepage]))).toBe("Update homepage to v1.7.0");
  });

  it("counts several images and names the first two", () => {
    const images = new Map([["flux-system/podinfo", "ghcr.io/stefanprodan/podinfo"]]);
    expect(pullRequestTitle(planWith([homepage, podinfo, nginx]), { images })).toBe("Update 3 images (homepage v1.7.0, podinfo 6.6.2, …)");
    expect(pullRequestTitle(planWith([homepage, podinfo]), { images })).toBe("Update 2 images (homepage v1.7.0, podinfo 6.6.2)");
  });

  it("one image written by a tag and a digest marker is one update", () => {
    const u = imageUpdates(
      [
        { file: "a.yaml", object: "Deployment/x/y", oldValue: "1.0", newValue: "1.1", setter: "ns:p:tag" },
        { file: "a.yaml", object: "Deployment/x/y", oldValue: "sha256:" + "a".repeat(64), newValue: "sha256:" + "b".repeat(64), setter: "ns:p:digest" },
      ],
      new Map([["ns/p", "docker.io/library/redis"]]),
    );
    expect(u).toHaveLength(1);
    expect(updateTitle(u)).toBe(`Update redis to 1.1@sha256:${"b".repeat(12)}`);
  });
});

describe("pull-request body", () => {
  it("leads with Image | Change | Type and keeps the details folded", () => {
    const body = pullRequestBody(planWith([homepage, nginx]));
    const lines = body.split("\n");
    expect(lines[0]).toBe("| Image | Change | Type |");
    expect(lines[2]).toBe("| <code>ghcr.io/gethomepage/homepage</code> | <code>v0.9.0</code> → <code>v1.7.0</code> | major |");
    expect(lines[3]).toContain("prerelease");
    expect(body).toMatch(/<details><summary>Files, objects and policies \(2 changes\)<\/summary>/);
    expect(body).toContain("close it without merging to ignore these versions");
    expect(body).toMatch(/^- \[ \] <!-- rebase-pull-request --> /m);
  });

  it("shows the commit message byte for byte in a fence it cannot close", () => {
    const message = "Update\n\n```\n@org/team <img src=x>\n````\n";
    const body = pullRequestBody(planWith([homepage], { message }));
    expect(body).toContain(`\`\`\`\`\`\n${message}\n\`\`\`\`\``);
  });

  it("escapes branch names and paths: no live mention, no HTML", () => {
    const plan = planWith([{ ...homepage, file: "apps/<img src=x onerror=alert(1)>.yaml" }], { pushBranch: "bot`@org/team`", checkoutBranch: "main" });
    const body = pullRequestBody(plan);
    const outside = body.replace(/`{3,}[\s\S]*?`{3,}/g, "");
    expect(outside).not.toContain("@org");
    expect(outside).not.toContain("<img");
    expect(outside).toContain("bot&#96;&#64;org/team&#96;");
    expect(outside).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("stays under GitHub's limit with 300 images and says what was cut", () => {
    const body = pullRequestBody(planWith(manyChanges(300)));
    expect(body.length).toBeLessThanOrEqual(PULL_REQUEST_BODY_LIMIT);
    expect(body).toMatch(/_\d+ of 300 changes not shown: the body would pass GitHub's limit of 65536 characters\._/);
    expect(body).toContain("app-299");
    expect(body).toContain("<!-- flux-image-bot:pull-request -->");
  });

  it("cuts table rows too when a smaller cap asks for it", () => {
    const body = pullRequestBody(planWith(manyChanges(300)), { maxLength: 20_000 });
    expect(body.length).toBeLessThanOrEqual(20_000);
    expect(body).toMatch(/_\d+ of 300 images not shown/);
  });
});
