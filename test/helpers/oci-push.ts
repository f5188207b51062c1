/**
 * Pushes hand-built OCI images to a test registry over the distribution API:
 * a config blob carrying labels and `created`, an optional layer, a manifest
 * with annotations, and multi-platform indexes.
 */
import { createHash } from "node:crypto";
import type { TestRegistry } from "./registry-server.js";

const sha256 = (b: Buffer | string): string => `sha256:${createHash("sha256").update(b).digest("hex")}`;

export interface OciImage {
  labels?: Record<string, string>;
  created?: string;
  annotations?: Record<string, string>;
  architecture?: string;
}

export interface Pusher {
  /** Pushes an image manifest under `ref` (a tag or nothing); returns its descriptor. */
  image(repo: string, tag: string | undefined, img: OciImage): Promise<{ digest: string; size: number }>;
  /** Pushes an index of platform images under `tag`. */
  index(repo: string, tag: string, platforms: Array<OciImage & { os?: string; architecture: string }>, annotations?: Record<string, string>): Promise<string>;
}

export function ociPusher(reg: TestRegistry): Pusher {
  const base = `http://${reg.host}`;
  const auth = `Basic ${Buffer.from(`${reg.username}:${reg.password}`).toString("base64")}`;
  async function blob(repo: string, data: Buffer): Promise<string> {
    const digest = sha256(data);
    const start = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: "POST", headers: { authorization: auth } });
    if (start.status !== 202) throw new Error(`blob upload start: ${start.status}`);
    const loc = new URL(start.headers.get("location")!, base);
    loc.searchParams.set("digest", digest);
    const put = await fetch(loc, { method: "PUT", headers: { authorization: auth, "content-type": "application/octet-stream" }, body: data });
    if (put.status !== 201) throw new Error(`blob upload: ${put.status}`);
    return digest;
  }
  async function manifest(repo: string, ref: string, mediaType: string, body: string): Promise<string> {
    const r = await fetch(`${base}/v2/${repo}/manifests/${ref}`, { method: "PUT", headers: { authorization: auth, "content-type": mediaType }, body });
    if (r.status !== 201) throw new Error(`manifest put ${ref}: ${r.status} ${await r.text()}`);
    return sha256(body);
  }
  const self: Pusher = {
    async image(repo, tag, img) {
      const layer = Buffer.from(`layer ${repo} ${Math.random()}`);
      const layerDigest = await blob(repo, layer);
      const config = Buffer.from(
        JSON.stringify({
          ...(img.created ? { created: img.created } : {}),
          architecture: img.architecture ?? "amd64",
          os: "linux",
          config: img.labels ? { Labels: img.labels } : {},
          rootfs: { type: "layers", diff_ids: [layerDigest] },
        }),
      );
      const configDigest = await blob(repo, config);
      const body = JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: { mediaType: "application/vnd.oci.image.config.v1+json", size: config.length, digest: configDigest },
        layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", size: layer.length, digest: layerDigest }],
        ...(img.annotations ? { annotations: img.annotations } : {}),
      });
      const digest = await manifest(repo, tag ?? sha256(body), "application/vnd.oci.image.manifest.v1+json", body);
      return { digest, size: Buffer.byteLength(body) };
    },
    async index(repo, tag, platforms, annotations) {
      const manifests = [];
      for (const p of platforms) {
        const d = await self.image(repo, undefined, p);
        manifests.push({
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          digest: d.digest,
          size: d.size,
          platform: { os: p.os ?? "linux", architecture: p.architecture },
        });
      }
      const body = JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.index.v1+json",
        manifests,
        ...(annotations ? { annotations } : {}),
      });
      return manifest(repo, tag, "application/vnd.oci.image.index.v1+json", body);
    },
  };
  return self;
}
