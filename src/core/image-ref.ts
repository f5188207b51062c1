/**
 * Image references, parsed the way Flux's image-reflector-controller does it
 * (`internal/registry/helper.go` `ParseImageReference`), which sits on top of
 * go-containerregistry `pkg/name` in its default ("weak") validation mode.
 *
 * Rules reproduced here:
 * - the first path segment is a registry only if it contains `.` or `:`;
 * - the default registry is `index.docker.io`, and `docker.io` is rewritten to it;
 * - on Docker Hub a one-segment repository gets `library/`;
 * - repository: `a-z0-9_-./`, 2..255 characters; tag: `A-Za-z0-9_-.`, 1..128;
 *   digest: 71 characters of `sh:0-9a-f`;
 * - registry: must survive Go's `url.Parse("//" + r).Host == r`.
 *
 * Pure: no I/O.
 */

export interface ImageName {
  /** Registry as go-containerregistry reports it: `index.docker.io` for Docker Hub. */
  registry: string;
  /** Repository path, with `library/` added on Docker Hub for one-segment names. */
  repository: string;
  /** `registry/repository`, Flux's `status.canonicalImageName`. */
  canonical: string;
}

export const DEFAULT_REGISTRY = "index.docker.io";

const REPOSITORY_CHARS = /^[a-z0-9_\-./]*$/;
const TAG_CHARS = /^[A-Za-z0-9_\-.]*$/;
const DIGEST_CHARS = /^[sh:0-9a-f]*$/;
const OCI_TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/** True when `tag` is a valid OCI distribution tag (`[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`). */
export function isValidTag(tag: string): boolean {
  return OCI_TAG.test(tag);
}

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function checkElement(kind: string, element: string, allowed: RegExp, allowedText: string, min: number, max: number): string | null {
  const n = runeCount(element);
  if (n < min || n > max) return `${kind} must be between ${min} and ${max} characters in length: ${element}`;
  if (!allowed.test(element)) return `${kind} can only contain the characters \`${allowedText}\`: ${element}`;
  return null;
}

const checkRepository = (r: string): string | null => checkElement("repository", r, REPOSITORY_CHARS, "abcdefghijklmnopqrstuvwxyz0123456789_-./", 2, 255);
const checkTag = (t: string): string | null => checkElement("tag", t, TAG_CHARS, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.", 1, 128);
const checkDigest = (d: string): string | null => checkElement("digest", d, DIGEST_CHARS, "sh:0123456789abcdef", 71, 71);

/** Characters Go's net/url accepts unescaped in a host (ASCII); non-ASCII bytes pass. */
function isHostChar(c: string): boolean {
  const code = c.codePointAt(0) ?? 0;
  if (code >= 0x80) return true;
  return /[A-Za-z0-9!$&'()*+,;=:[\]<>"\-_.~]/.test(c);
}

function validOptionalPort(p: string): boolean {
  if (p === "") return true;
  return /^:[0-9]*$/.test(p);
}

/** Emulates `url.Parse("//" + name)` succeeding with `Host == name`. */
function isValidAuthority(name: string): boolean {
  if (name === "") return true;
  for (const c of name) if (!isHostChar(c)) return false;
  if (name.startsWith("[")) {
    const i = name.lastIndexOf("]");
    if (i < 0) return false;
    return validOptionalPort(name.slice(i + 1));
  }
  const i = name.lastIndexOf(":");
  if (i >= 0 && !validOptionalPort(name.slice(i))) return false;
  return true;
}

function newRepository(name: string): Parsed<ImageName> {
  if (name.length === 0) return { ok: false, error: "a repository name must be specified" };
  let registry = "";
  let repo = name;
  const slash = name.indexOf("/");
  if (slash >= 0) {
    const first = name.slice(0, slash);
    if (first.includes(".") || first.includes(":")) {
      registry = first;
      repo = name.slice(slash + 1);
    }
  }
  const repoErr = checkRepository(repo);
  if (repoErr) return { ok: false, error: repoErr };
  if (!isValidAuthority(registry)) return { ok: false, error: `registries must be valid RFC 3986 URI authorities: ${registry}` };
  if (registry === "" || registry === "docker.io") registry = DEFAULT_REGISTRY;
  const repository = registry === DEFAULT_REGISTRY && !repo.includes("/") ? `library/${repo}` : repo;
  return { ok: true, value: { registry, repository, canonical: `${registry}/${repository}` } };
}

interface RefParts {
  name: ImageName;
  tag?: string;
  digest?: string;
}

function newTag(s: string): Parsed<RefParts> {
  let base = s;
  let tag = "";
  const colon = s.lastIndexOf(":");
  if (colon >= 0 && !s.slice(colon + 1).includes("/")) {
    base = s.slice(0, colon);
    tag = s.slice(colon + 1);
  }
  if (tag !== "") {
    const err = checkTag(tag);
    if (err) return { ok: false, error: err };
  }
  const repo = newRepository(base);
  if (!repo.ok) return repo;
  return { ok: true, value: { name: repo.value, tag: tag === "" ? undefined : tag } };
}

function newDigest(s: string): Parsed<RefParts> {
  const parts = s.split("@");
  if (parts.length !== 2) {
    return { ok: false, error: `a digest must contain exactly one '@' separator (e.g. registry/repository@digest) saw: ${s}` };
  }
  const [base0, digest] = parts as [string, string];
  const err = checkDigest(digest);
  if (err) return { ok: false, error: err };
  const asTag = newTag(base0);
  if (asTag.ok) return { ok: true, value: { name: asTag.value.name, tag: asTag.value.tag, digest } };
  const repo = newRepository(base0);
  if (!repo.ok) return repo;
  return { ok: true, value: { name: repo.value, digest } };
}

/** go-containerregistry `name.ParseReference` (weak): a tag reference, else a digest reference. */
function parseReference(s: string): Parsed<RefParts> {
  const t = newTag(s);
  if (t.ok) return t;
  const d = newDigest(s);
  if (d.ok) return d;
  return { ok: false, error: `could not parse reference: ${s}` };
}

/**
 * Validates and canonicalises `ImageRepository.spec.image` exactly as Flux does.
 * `insecure` only changes the scheme used later; it does not change the name.
 */
export function parseImageRepositoryImage(image: string, _opts: { insecure?: boolean } = {}): { ok: true; name: ImageName } | { ok: false; error: string } {
  const schemeParts = image.split("://");
  if (schemeParts.length > 1) {
    return { ok: false, error: `image '${image}' should not include URL scheme; remove '${schemeParts[0]}://'` };
  }
  const ref = parseReference(image);
  if (!ref.ok) return { ok: false, error: ref.error };
  const rest = image.startsWith(ref.value.name.registry) ? image.slice(ref.value.name.registry.length) : image;
  const tagParts = rest.split(":");
  if (tagParts.length > 1) {
    return { ok: false, error: `image '${image}' should not include a tag; remove ':${tagParts[1]}'` };
  }
  return { ok: true, name: ref.value.name };
}

/**
 * Parses a full `name[:tag][@digest]` reference with go-containerregistry's
 * weak validation. Used to check a policy's latest ref before it is written.
 */
export function parseImageReference(ref: string): { ok: true; name: ImageName; tag?: string; digest?: string } | { ok: false; error: string } {
  const r = parseReference(ref);
  if (!r.ok) return { ok: false, error: r.error };
  const out: { ok: true; name: ImageName; tag?: string; digest?: string } = { ok: true, name: r.value.name };
  if (r.value.tag !== undefined) out.tag = r.value.tag;
  if (r.value.digest !== undefined) out.digest = r.value.digest;
  return out;
}
