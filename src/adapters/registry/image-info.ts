/**
 * What a tag's image says about itself: its manifest (for an index, the
 * `linux/amd64` entry, else the first), the manifest annotations and the
 * config blob's labels and `created` (OCI image-spec manifest.md, config.md,
 * annotations.md). Every body is bounded and its digest checked.
 */
import { createHash } from "node:crypto";
import { isValidTag } from "../../core/image-ref.js";
import { imageInfoFrom, type ImageInfo } from "../../core/release/info.js";
import type { Endpoint } from "./endpoint.js";
import { apiUrl } from "./endpoint.js";
import { RegistryInvalidImageError, RegistryInvalidResponseError } from "./errors.js";
import { MANIFEST_ACCEPT } from "./manifests.js";
import type { RegistrySession } from "./session.js";

/** The OCI distribution spec lets registries refuse manifests over 4 MiB. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** Image configs are small (kilobytes); a long build history stays well under this. */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const PREFERRED_PLATFORM = "linux/amd64";

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});

function parse(body: Buffer, what: string, ep: Endpoint): Json {
  try {
    return obj(JSON.parse(body.toString("utf8")));
  } catch {
    throw new RegistryInvalidResponseError(`the ${what} of ${ep.name.canonical} is not JSON`, { subject: ep.name.canonical });
  }
}

const sha256 = (b: Buffer): string => `sha256:${createHash("sha256").update(b).digest("hex")}`;

async function getVerified(session: RegistrySession, ep: Endpoint, suffix: string, digest: string, accept: string, max: number, what: string): Promise<Buffer> {
  const res = await session.send(apiUrl(ep, suffix), { method: "GET", accept, maxBodyBytes: max });
  if (sha256(res.body) !== digest)
    throw new RegistryInvalidResponseError(`the ${what} of ${ep.name.canonical} does not match its digest ${digest}`, { subject: ep.name.canonical });
  return res.body;
}

/** The index entry to read: linux/amd64, else the first. */
function pickEntry(index: Json): { digest: string; platform?: string } | undefined {
  const entries = (Array.isArray(index.manifests) ? index.manifests : [])
    .map(obj)
    .filter((m) => typeof m.digest === "string" && DIGEST.test(m.digest as string));
  const platformOf = (m: Json): string | undefined => {
    const p = obj(m.platform);
    return typeof p.os === "string" && typeof p.architecture === "string" ? `${p.os}/${p.architecture}` : undefined;
  };
  const chosen = entries.find((m) => platformOf(m) === PREFERRED_PLATFORM) ?? entries[0];
  return chosen ? { digest: chosen.digest as string, platform: platformOf(chosen) } : undefined;
}

/** Reads what `image:tag` says about itself. Three to four requests: manifest, (platform manifest,) config. */
export async function fetchImageInfo(session: RegistrySession, ep: Endpoint, tag: string, cache?: Map<string, ImageInfo>): Promise<ImageInfo> {
  if (!isValidTag(tag)) throw new RegistryInvalidImageError(`'${tag.slice(0, 140)}' is not a valid tag`, { subject: ep.name.canonical });
  const top = await session.send(apiUrl(ep, `manifests/${tag}`), { method: "GET", accept: MANIFEST_ACCEPT, maxBodyBytes: MAX_MANIFEST_BYTES });
  const header = String(top.headers["docker-content-digest"] ?? "").trim();
  const digest = DIGEST.test(header) ? header : sha256(top.body);
  // Content addressed: the same digest always says the same.
  const cached = cache?.get(digest);
  if (cached) return cached;
  let manifest = parse(top.body, `manifest of tag ${tag}`, ep);
  let annotations = obj(manifest.annotations);
  let platform: string | undefined;
  if (Array.isArray(manifest.manifests)) {
    const entry = pickEntry(manifest);
    if (!entry) throw new RegistryInvalidResponseError(`the index of ${ep.name.canonical}:${tag} lists no manifest`, { subject: ep.name.canonical });
    platform = entry.platform;
    manifest = parse(
      await getVerified(session, ep, `manifests/${entry.digest}`, entry.digest, MANIFEST_ACCEPT, MAX_MANIFEST_BYTES, "platform manifest"),
      "platform manifest",
      ep,
    );
    annotations = { ...obj(manifest.annotations), ...annotations };
  }
  const configDigest = obj(manifest.config).digest;
  let labels: Json = {};
  let created: unknown;
  if (typeof configDigest === "string" && DIGEST.test(configDigest)) {
    const config = parse(
      await getVerified(
        session,
        ep,
        `blobs/${configDigest}`,
        configDigest,
        "application/vnd.oci.image.config.v1+json, application/vnd.docker.container.image.v1+json, application/json",
        MAX_CONFIG_BYTES,
        "config",
      ),
      "config",
      ep,
    );
    labels = obj(obj(config.config).Labels);
    created = config.created;
  }
  const info = imageInfoFrom(digest, annotations, labels, created, platform);
  cache?.set(digest, info);
  return info;
}
