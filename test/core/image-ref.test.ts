import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { isValidTag, parseImageReference, parseImageRepositoryImage } from "../../src/core/image-ref.js";
import { conformanceDir } from "../helpers/conformance.js";

interface CanonCase {
  image: string;
  expectedCanonicalImageName?: string;
  expectError?: boolean;
  expectedErrorContains?: string;
}
const conformance = JSON.parse(readFileSync(`${conformanceDir()}/image-repository.json`, "utf8")) as {
  canonicalName: CanonCase[];
};

describe("parseImageRepositoryImage: conformance", () => {
  const registry = "127.0.0.1:5000";
  it.each(conformance.canonicalName.map((c) => [c.image, c] as const))("%s", (_img, c) => {
    const image = c.image.replace("<registry>", registry).replace("<port>", "5000");
    const r = parseImageRepositoryImage(image);
    if (c.expectError) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toContain(c.expectedErrorContains);
    } else {
      expect(r).toEqual({ ok: true, name: expect.objectContaining({ canonical: c.expectedCanonicalImageName!.replace("<port>", "5000") }) });
    }
  });
});

describe("parseImageRepositoryImage", () => {
  it.each`
    image                            | registry                   | repository          | canonical
    ${"alpine"}                      | ${"index.docker.io"}       | ${"library/alpine"} | ${"index.docker.io/library/alpine"}
    ${"docker.io/library/alpine"}    | ${"index.docker.io"}       | ${"library/alpine"} | ${"index.docker.io/library/alpine"}
    ${"docker.io/alpine"}            | ${"index.docker.io"}       | ${"library/alpine"} | ${"index.docker.io/library/alpine"}
    ${"index.docker.io/foo/bar"}     | ${"index.docker.io"}       | ${"foo/bar"}        | ${"index.docker.io/foo/bar"}
    ${"ghcr.io/org/app"}             | ${"ghcr.io"}               | ${"org/app"}        | ${"ghcr.io/org/app"}
    ${"ghcr.io/app"}                 | ${"ghcr.io"}               | ${"app"}            | ${"ghcr.io/app"}
    ${"localhost:5000/foo"}          | ${"localhost:5000"}        | ${"foo"}            | ${"localhost:5000/foo"}
    ${"localhost/foo"}               | ${"index.docker.io"}       | ${"localhost/foo"}  | ${"index.docker.io/localhost/foo"}
    ${"europe-docker.pkg.dev/p/r/i"} | ${"europe-docker.pkg.dev"} | ${"p/r/i"}          | ${"europe-docker.pkg.dev/p/r/i"}
    ${"[::1]:5000/x/y"}              | ${"[::1]:5000"}            | ${"x/y"}            | ${"[::1]:5000/x/y"}
  `("$image → $canonical", ({ image, registry, repository, canonical }) => {
    expect(parseImageRepositoryImage(image)).toEqual({ ok: true, name: { registry, repository, canonical } });
  });

  it.each`
    image                                         | error
    ${"https://ghcr.io/org/app"}                  | ${"image 'https://ghcr.io/org/app' should not include URL scheme; remove 'https://'"}
    ${"ghcr.io/org/app:1.0.0"}                    | ${"image 'ghcr.io/org/app:1.0.0' should not include a tag; remove ':1.0.0'"}
    ${"alpine:3"}                                 | ${"image 'alpine:3' should not include a tag; remove ':3'"}
    ${"docker.io/alpine:3"}                       | ${"image 'docker.io/alpine:3' should not include a tag; remove ':3'"}
    ${"ghcr.io/org/app@sha256:" + "a".repeat(64)} | ${"should not include a tag; remove ':" + "a".repeat(64) + "'"}
    ${"ghcr.io/Org/app"}                          | ${"could not parse reference: ghcr.io/Org/app"}
    ${""}                                         | ${"could not parse reference: "}
    ${"a"}                                        | ${"could not parse reference: a"}
    ${"ghcr.io/org/app:bad tag"}                  | ${"could not parse reference"}
    ${"user@ghcr.io/x"}                           | ${"could not parse reference"}
    ${"host:port/x"}                              | ${"could not parse reference"}
  `("rejects $image", ({ image, error }) => {
    const r = parseImageRepositoryImage(image);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(error);
  });
});

describe("parseImageReference", () => {
  const dig = "sha256:" + "0123456789abcdef".repeat(4);
  it("parses name:tag", () => {
    expect(parseImageReference("ghcr.io/org/app:v1.2.3")).toEqual({
      ok: true,
      name: { registry: "ghcr.io", repository: "org/app", canonical: "ghcr.io/org/app" },
      tag: "v1.2.3",
    });
  });
  it("parses name:tag@digest and name@digest", () => {
    const r = parseImageReference(`alpine:3.20@${dig}`);
    expect(r).toMatchObject({ ok: true, tag: "3.20", digest: dig, name: { canonical: "index.docker.io/library/alpine" } });
    expect(parseImageReference(`localhost:5000/a/b@${dig}`)).toMatchObject({ ok: true, digest: dig, name: { registry: "localhost:5000" } });
  });
  it("parses a name without tag", () => {
    const r = parseImageReference("localhost:5000/foo");
    expect(r).toMatchObject({ ok: true, name: { registry: "localhost:5000", repository: "foo" } });
    expect(r.ok && r.tag).toBeFalsy();
  });
  it.each(["app:tag with space", "app:" + "x".repeat(129), "app@sha256:short", "App:1", "ghcr.io/x/y:1\n2"])("rejects %j", (ref) => {
    expect(parseImageReference(ref).ok).toBe(false);
  });
});

describe("isValidTag", () => {
  it.each(["v1", "1.0.0", "_x", "a".repeat(128), "A-b_c.d"])("accepts %s", (t) => expect(isValidTag(t)).toBe(true));
  it.each(["", ".x", "-x", "a".repeat(129), "a/b", "../x", "a\nb", "ünï", "a b", "a:b"])("rejects %j", (t) => expect(isValidTag(t)).toBe(false));
});
