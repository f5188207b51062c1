/** Docker Hub, GHCR, Quay, Google and ECR specifics, with nock (network disabled). */
import { afterEach, describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import nock from "nock";
import { useNock } from "../../helpers/nock-scope.js";
import { createRegistryClient } from "../../../src/adapters/registry/index.js";

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../fixtures/registry/${name}`, import.meta.url), "utf8"));

useNock();
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

const client = () => createRegistryClient({ mode: "server", sleep: async () => undefined });

describe("Docker Hub", () => {
  it.each(["alpine", "docker.io/alpine", "index.docker.io/library/alpine", "docker.io/library/alpine"])(
    "%s → registry-1.docker.io library/alpine with a token",
    async (image) => {
      nock("https://registry-1.docker.io")
        .get("/v2/library/alpine/tags/list?n=1000")
        .reply(401, fixture("error-unauthorized.json") as nock.Body, {
          "www-authenticate": 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"',
        })
        .get("/v2/library/alpine/tags/list?n=1000")
        .matchHeader("authorization", "Bearer hub-token-abc")
        .reply(200, fixture("alpine-tags-page1.json") as nock.Body, { link: '</v2/library/alpine/tags/list?last=3.19&n=1000>; rel="next"' })
        .get("/v2/library/alpine/tags/list?last=3.19&n=1000")
        .matchHeader("authorization", "Bearer hub-token-abc")
        .reply(200, fixture("alpine-tags-page2.json") as nock.Body);
      nock("https://auth.docker.io")
        .get("/token")
        .query({ service: "registry.docker.io", scope: "repository:library/alpine:pull" })
        .reply(200, fixture("dockerhub-token.json") as nock.Body);
      const r = await client().listTags(image);
      expect(r).toMatchObject({ tags: ["2.6", "2.7", "3.1", "3.18", "3.19", "3.20", "edge", "latest"], pages: 2, requests: 4 });
    },
  );
});

describe("GHCR", () => {
  it("anonymous token for a public image, Basic to the token endpoint with a PAT", async () => {
    nock("https://ghcr.io")
      .get("/v2/org/app/tags/list?n=1000")
      .reply(401, {}, { "www-authenticate": 'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:org/app:pull"' })
      .get("/token")
      .query({ service: "ghcr.io", scope: "repository:org/app:pull" })
      .matchHeader("authorization", `Basic ${Buffer.from("bot:ghp_secret").toString("base64")}`)
      .reply(200, { token: "ghcr-tok" })
      .get("/v2/org/app/tags/list?n=1000")
      .matchHeader("authorization", "Bearer ghcr-tok")
      .reply(200, { name: "org/app", tags: ["v1.0.0", "sha256-abc.sig"] });
    const r = await client().listTags("ghcr.io/org/app", { credentials: { username: "bot", password: "ghp_secret" } });
    expect(r.tags).toEqual(["v1.0.0", "sha256-abc.sig"]);
  });

  it("a missing package → registry.not-found", async () => {
    nock("https://ghcr.io")
      .get("/v2/org/missing/tags/list?n=1000")
      .reply(404, fixture("error-name-unknown.json") as nock.Body);
    await expect(client().listTags("ghcr.io/org/missing")).rejects.toMatchObject({ code: "registry.not-found" });
  });
});

describe("other registries", () => {
  it.each([
    ["quay.io/org/app", "https://quay.io", "/v2/org/app/tags/list?n=1000"],
    ["gcr.io/project/app", "https://gcr.io", "/v2/project/app/tags/list?n=1000"],
    ["europe-docker.pkg.dev/p/repo/app", "https://europe-docker.pkg.dev", "/v2/p/repo/app/tags/list?n=1000"],
    ["123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app", "https://123456789012.dkr.ecr.eu-west-1.amazonaws.com", "/v2/team/app/tags/list?n=1000"],
  ])("%s", async (image, origin, path) => {
    nock(origin)
      .get(path)
      .reply(200, { tags: ["1.0.0"] });
    await expect(client().listTags(image)).resolves.toMatchObject({ tags: ["1.0.0"] });
  });

  it("ECR with Basic auth", async () => {
    const origin = "https://123456789012.dkr.ecr.eu-west-1.amazonaws.com";
    nock(origin)
      .get("/v2/team/app/tags/list?n=1000")
      .reply(401, {}, { "www-authenticate": 'Basic realm="https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/",service="ecr.amazonaws.com"' })
      .get("/v2/team/app/tags/list?n=1000")
      .matchHeader("authorization", `Basic ${Buffer.from("AWS:ecr-pass").toString("base64")}`)
      .reply(200, { tags: ["a"] });
    await expect(
      client().listTags("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app", { credentials: { username: "AWS", password: "ecr-pass" } }),
    ).resolves.toMatchObject({
      tags: ["a"],
    });
  });

  it("a registry token from the docker config is sent as Bearer directly", async () => {
    nock("https://registry.example.com")
      .get("/v2/x/y/tags/list?n=1000")
      .reply(401, {}, { "www-authenticate": 'Bearer realm="https://registry.example.com/token"' })
      .get("/v2/x/y/tags/list?n=1000")
      .matchHeader("authorization", "Bearer direct-token")
      .reply(200, { tags: ["a"] });
    await expect(client().listTags("registry.example.com/x/y", { credentials: { registryToken: "direct-token" } })).resolves.toMatchObject({ tags: ["a"] });
  });
});
