/** What the bot reads of an image (manifest, config, OCI annotations), as the core uses it. */

/** Keys from the OCI image spec (opencontainers/image-spec annotations.md). */
export const OCI_SOURCE = "org.opencontainers.image.source";
export const OCI_REVISION = "org.opencontainers.image.revision";
export const OCI_VERSION = "org.opencontainers.image.version";
export const OCI_CREATED = "org.opencontainers.image.created";

export interface ImageInfo {
  /** digest of the manifest the tag points at (the index, for multi-platform images) */
  digest: string;
  /** ISO time the image was built: the `created` annotation or label, else the config's `created` */
  created?: string;
  /** where `created` came from */
  createdFrom?: "annotation" | "label" | "config";
  source?: string;
  revision?: string;
  version?: string;
  /** the platform entry read from an index, e.g. `linux/amd64` */
  platform?: string;
}

/** Longest value kept of a label or annotation; the rest is cut. */
export const MAX_LABEL_CHARS = 512;

/** An ISO time from an RFC 3339 string, or undefined (zero times such as 0001-01-01 or 1970-01-01 count as absent). */
export function parseCreated(v: unknown): string | undefined {
  if (typeof v !== "string" || v.length > 64) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v.trim())) return undefined;
  const t = Date.parse(v.trim());
  // Reproducible builds set the epoch (SOURCE_DATE_EPOCH=0): that is no creation time.
  if (!Number.isFinite(t) || t <= 0) return undefined;
  return new Date(t).toISOString();
}

function text(v: unknown): string | undefined {
  if (typeof v !== "string" || !v.trim()) return undefined;
  return v.trim().slice(0, MAX_LABEL_CHARS);
}

/**
 * Joins the manifest's annotations, the config's labels and its `created`:
 * annotations win over labels (the OCI spec makes annotations the place for
 * them; labels are what `docker build --label` and most CI set).
 */
export function imageInfoFrom(
  digest: string,
  annotations: Record<string, unknown>,
  labels: Record<string, unknown>,
  configCreated: unknown,
  platform?: string,
): ImageInfo {
  const pick = (k: string): string | undefined => text(annotations[k]) ?? text(labels[k]);
  const info: ImageInfo = { digest };
  const fromAnnotation = parseCreated(annotations[OCI_CREATED]);
  const fromLabel = parseCreated(labels[OCI_CREATED]);
  const fromConfig = parseCreated(configCreated);
  if (fromAnnotation) [info.created, info.createdFrom] = [fromAnnotation, "annotation"];
  else if (fromLabel) [info.created, info.createdFrom] = [fromLabel, "label"];
  else if (fromConfig) [info.created, info.createdFrom] = [fromConfig, "config"];
  const source = pick(OCI_SOURCE);
  if (source) info.source = source;
  const revision = pick(OCI_REVISION);
  if (revision) info.revision = revision;
  const version = pick(OCI_VERSION);
  if (version) info.version = version;
  if (platform) info.platform = platform;
  return info;
}
