/**
 * Manifest digest lookup for digest reflection and the `:digest` marker:
 * `HEAD /v2/<name>/manifests/<tag>` and its `Docker-Content-Digest`, falling
 * back to `GET` and the SHA-256 of the body when the header is missing.
 */
import { createHash } from "node:crypto";
import { isValidTag } from "../../core/image-ref.js";
import type { Endpoint } from "./endpoint.js";
import { apiUrl } from "./endpoint.js";
import { RegistryInvalidImageError, RegistryInvalidResponseError } from "./errors.js";
import type { RegistrySession } from "./session.js";

export const MANIFEST_ACCEPT = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

/** The OCI distribution spec lets registries refuse manifests over 4 MiB. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const DIGEST = /^sha256:[a-f0-9]{64}$|^sha512:[a-f0-9]{128}$/;

function headerDigest(v: string | string[] | undefined): string | undefined {
  const d = (Array.isArray(v) ? v[0] : v)?.trim();
  return d && DIGEST.test(d) ? d : undefined;
}

export async function fetchDigest(session: RegistrySession, ep: Endpoint, tag: string): Promise<string> {
  if (!isValidTag(tag)) {
    throw new RegistryInvalidImageError(`'${tag.slice(0, 140)}' is not a valid tag; cannot look up its digest`, { subject: ep.name.canonical });
  }
  const url = apiUrl(ep, `manifests/${tag}`);
  const head = await session.send(url, { method: "HEAD", accept: MANIFEST_ACCEPT, maxBodyBytes: MAX_MANIFEST_BYTES });
  const fromHead = headerDigest(head.headers["docker-content-digest"]);
  if (fromHead) return fromHead;
  const get = await session.send(url, { method: "GET", accept: MANIFEST_ACCEPT, maxBodyBytes: MAX_MANIFEST_BYTES });
  if (get.body.length === 0) {
    throw new RegistryInvalidResponseError(`the manifest of ${ep.name.canonical}:${tag} is empty`, { subject: ep.name.canonical });
  }
  return `sha256:${createHash("sha256").update(get.body).digest("hex")}`;
}
