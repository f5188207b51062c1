/**
 * `$imagepolicy` marker comments (kyaml `fieldmeta/fieldmeta.go`).
 *
 * Flux reads the comment through kyaml's fieldmeta: all leading `#` are
 * stripped, then the rest must be a JSON object mapping strings to strings
 * with a non-empty `$imagepolicy` key (the short-hand form), or an OpenAPI
 * schema whose `$ref` points at `#/definitions/io.k8s.cli.setters.<name>`
 * (the long form kyaml understands).
 */

export type SetterField = "image" | "tag" | "name" | "digest";

export const SHORT_HAND_KEY = "$imagepolicy";
const LONG_FORM_PREFIX = "#/definitions/io.k8s.cli.setters.";

/**
 * Parses the text of one comment (starting at its first `#`, without the line
 * end). Returns the setter name it refers to, or null when the comment is not
 * a marker.
 */
export function parseMarkerComment(comment: string): string | null {
  let i = 0;
  while (i < comment.length && comment.charCodeAt(i) === 0x23 /* # */) i++;
  const body = comment.slice(i);
  if (!body.includes("{")) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return null;
  const obj = parsed as Record<string, unknown>;
  // Short-hand: Go unmarshals into map[string]string. Strings pass, `null`
  // leaves the zero value; anything else fails the whole comment.
  const allStrings = Object.values(obj).every((v) => typeof v === "string" || v === null);
  if (allStrings) {
    const name = obj[SHORT_HAND_KEY];
    if (typeof name === "string" && name !== "") return name;
  }
  // Long form: an OpenAPI schema with a $ref into the setter definitions.
  const ref = obj.$ref;
  if (typeof ref === "string" && ref.startsWith(LONG_FORM_PREFIX) && ref.length > LONG_FORM_PREFIX.length) {
    return ref.slice(LONG_FORM_PREFIX.length);
  }
  return null;
}

export interface SetterName {
  namespace: string;
  name: string;
  field: SetterField;
}

/** Any non-empty run without whitespace; real names are matched against the policies later. */
const PART = /^[^\s:]+$/;
const FIELDS: Record<string, SetterField | undefined> = { tag: "tag", name: "name", digest: "digest" };

/**
 * Splits a setter name `ns:name[:tag|:name|:digest]`. Returns null for any
 * other shape (Flux defines exactly these four setters per policy).
 */
export function parseSetterName(setter: string): SetterName | null {
  const parts = setter.split(":");
  if (parts.length < 2 || parts.length > 3) return null;
  const [namespace, name, suffix] = parts as [string, string, string | undefined];
  if (!PART.test(namespace) || !PART.test(name)) return null;
  if (suffix === undefined) return { namespace, name, field: "image" };
  const field = FIELDS[suffix];
  return field ? { namespace, name, field } : null;
}
