import { afterAll, describe, expect, it } from "@jest/globals";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  credentialIdentity,
  dockerConfigFromObject,
  loadDockerConfig,
  loadServerCredentials,
  serverCredentialsFromObject,
} from "../../../src/adapters/registry/index.js";

const b64 = (s: string): string => Buffer.from(s).toString("base64");
const dir = mkdtempSync(join(tmpdir(), "fib-creds-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("docker config", () => {
  const config = {
    auths: {
      "https://index.docker.io/v1/": { auth: b64("hubuser:hubpass") },
      "ghcr.io": { username: "gh", password: "ghp_x" },
      "https://quay.io/v2/": { auth: b64("quser:q:with:colons") },
      "http://localhost:5000": { auth: b64("local:pw") },
      "registry.example.com": { identitytoken: "refresh-1", auth: b64("<token>:") },
      "empty.example.com": {},
    },
  };
  const creds = dockerConfigFromObject(config);

  it.each([
    ["alpine", { username: "hubuser", password: "hubpass" }],
    ["docker.io/library/alpine", { username: "hubuser", password: "hubpass" }],
    ["index.docker.io/foo/bar", { username: "hubuser", password: "hubpass" }],
    ["ghcr.io/org/app", { username: "gh", password: "ghp_x" }],
    ["quay.io/org/app", { username: "quser", password: "q:with:colons" }],
    ["localhost:5000/foo", { username: "local", password: "pw" }],
    ["registry.example.com/a/b", { username: "<token>", password: "", identityToken: "refresh-1" }],
  ])("%s", (image, expected) => expect(creds.forImage(image)).toEqual(expected));

  it("no entry, empty entry or invalid image → anonymous", () => {
    expect(creds.forImage("gcr.io/p/app")).toBeUndefined();
    expect(creds.forImage("empty.example.com/a")).toBeUndefined();
    expect(creds.forImage("https://ghcr.io/x")).toBeUndefined();
  });

  it("Docker Hub matches docker.io and registry-1 keys too; the exact key wins", () => {
    expect(dockerConfigFromObject({ auths: { "docker.io": { auth: b64("a:b") } } }).forImage("alpine")).toEqual({ username: "a", password: "b" });
    expect(dockerConfigFromObject({ auths: { "https://registry-1.docker.io/v2/": { auth: b64("c:d") } } }).forImage("x/y")).toEqual({
      username: "c",
      password: "d",
    });
    const both = dockerConfigFromObject({ auths: { "docker.io": { auth: b64("a:b") }, "https://index.docker.io/v1/": { auth: b64("e:f") } } });
    expect(both.forImage("alpine")).toEqual({ username: "e", password: "f" });
  });

  it("reads $DOCKER_CONFIG/config.json, else ~/.docker/config.json; a missing file is anonymous", () => {
    const dc = join(dir, "dc");
    mkdirSync(dc);
    writeFileSync(join(dc, "config.json"), JSON.stringify({ auths: { "ghcr.io": { auth: b64("u:p") } } }));
    expect(loadDockerConfig({ DOCKER_CONFIG: dc }).forImage("ghcr.io/a/b")).toEqual({ username: "u", password: "p" });
    const home = join(dir, "home");
    mkdirSync(join(home, ".docker"), { recursive: true });
    writeFileSync(join(home, ".docker", "config.json"), JSON.stringify({ auths: { "ghcr.io": { auth: b64("h:q") } } }));
    expect(loadDockerConfig({ HOME: home }).forImage("ghcr.io/a/b")).toEqual({ username: "h", password: "q" });
    expect(loadDockerConfig({ DOCKER_CONFIG: join(dir, "nope") }).forImage("ghcr.io/a/b")).toBeUndefined();
  });

  it("invalid JSON fails without echoing the content", () => {
    const bad = join(dir, "bad");
    mkdirSync(bad);
    writeFileSync(join(bad, "config.json"), '{"auths": {"x": {"auth": "SECRET-VALUE"');
    let err: unknown;
    try {
      loadDockerConfig({ DOCKER_CONFIG: bad });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: "config.credentials" });
    expect(String((err as Error).message)).not.toContain("SECRET-VALUE");
  });
});

describe("server credentials file", () => {
  const data = {
    accounts: {
      "1001": {
        login: "Acme-Corp",
        allowedHosts: ["registry.acme.internal:5000"],
        secrets: { "ghcr-pull": { auths: { "ghcr.io": { auth: b64("acme:acme-secret") } } } },
      },
      other: { id: 1002, secrets: { "ghcr-pull": { auths: { "ghcr.io": { auth: b64("other:other-secret") } } } } },
      // the older layout with its key changed to the id: secrets beside the reserved fields
      "1004": { "ghcr-pull": { auths: { "ghcr.io": { auth: b64("moved:moved-secret") } } } },
      // the older format: keyed by login alone, secrets directly under it
      legacy: { "ghcr-pull": { auths: { "ghcr.io": { auth: b64("legacy:legacy-secret") } } } },
    },
  };
  const creds = serverCredentialsFromObject(data);

  it("looks a secretRef up under the installation's account, by id", () => {
    expect(creds.forImage("1001", "ghcr-pull", "ghcr.io/acme/app")).toEqual({ username: "acme", password: "acme-secret" });
    expect(creds.forImage("1002", "ghcr-pull", "ghcr.io/acme/app")).toEqual({ username: "other", password: "other-secret" });
    expect(creds.forImage("1003", "ghcr-pull", "ghcr.io/acme/app")).toBeUndefined();
    expect(creds.forImage("1004", "ghcr-pull", "ghcr.io/acme/app")).toEqual({ username: "moved", password: "moved-secret" });
    expect(creds.forImage("1001", "missing", "ghcr.io/acme/app")).toBeUndefined();
    expect(creds.forImage("1001", "ghcr-pull", "quay.io/acme/app")).toBeUndefined();
    expect(creds.forImage("1001", "__proto__", "ghcr.io/acme/app")).toBeUndefined();
    expect(creds.forImage("__proto__", "ghcr-pull", "ghcr.io/acme/app")).toBeUndefined();
  });

  it("takes a login only as the alias of an entry with an id; a login-only entry is reported, not used", () => {
    expect(creds.forImage("acme-corp", "ghcr-pull", "ghcr.io/acme/app")).toMatchObject({ username: "acme" });
    expect(creds.forImage("other", "ghcr-pull", "ghcr.io/acme/app")).toMatchObject({ username: "other" });
    expect(creds.forImage("legacy", "ghcr-pull", "ghcr.io/acme/app")).toBeUndefined();
    expect(creds.warnings).toEqual([expect.stringMatching(/^accounts\.legacy: keyed by login without the account id; not used/)]);
  });

  it("gives each account its own allowed hosts, and names every host for the metric labels", () => {
    expect(creds.allowedHosts("1001")).toEqual(["registry.acme.internal:5000"]);
    expect(creds.allowedHosts("1002")).toEqual([]);
    expect(creds.allowedHosts("9999")).toEqual([]);
    expect(creds.hosts.sort()).toEqual(["ghcr.io", "registry.acme.internal:5000"]);
  });

  it("loads from a file; a missing file has no credentials", () => {
    const p = join(dir, "server.json");
    writeFileSync(p, JSON.stringify(data));
    expect(loadServerCredentials(p).forImage("1001", "ghcr-pull", "ghcr.io/x/y")).toMatchObject({ username: "acme" });
    expect(loadServerCredentials(join(dir, "missing.json")).forImage("1001", "ghcr-pull", "ghcr.io/x/y")).toBeUndefined();
  });
});

describe("credentialIdentity", () => {
  it("anon without credentials; stable, distinct and secret-free otherwise", () => {
    expect(credentialIdentity()).toBe("anon");
    expect(credentialIdentity({})).toBe("anon");
    const a = credentialIdentity({ username: "u", password: "secret-1" });
    expect(a).toMatch(/^cred-[0-9a-f]{32}$/);
    expect(a).toBe(credentialIdentity({ username: "u", password: "secret-1" }));
    expect(a).not.toBe(credentialIdentity({ username: "u", password: "secret-2" }));
    expect(a).not.toContain("secret");
    expect(credentialIdentity({ identityToken: "t" })).not.toBe(credentialIdentity({ registryToken: "t" }));
  });
});
