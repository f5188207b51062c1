/**
 * `GET /v2/<name>/tags/list` with pagination (`n`, `Link: <...>; rel="next"`,
 * absolute or relative), page and tag caps, and tag validation.
 */
import { isValidTag } from "../../core/image-ref.js";
import type { Endpoint } from "./endpoint.js";
import { apiUrl } from "./endpoint.js";
import { RegistryInvalidResponseError } from "./errors.js";
import type { RegistrySession } from "./session.js";

export interface TagListing {
  tags: string[];
  droppedInvalid: number;
  truncated: boolean;
  pages: number;
}

export interface TagListLimits {
  pageSize: number;
  maxPages: number;
  maxTags: number;
  maxResponseBytes: number;
}

/** The `rel="next"` target of a Link header, resolved against the page URL. */
export function parseNextLink(header: string | string[] | undefined, base: URL): URL | undefined {
  const value = Array.isArray(header) ? header.join(", ") : header;
  if (!value) return undefined;
  const re = /<([^>]*)>((?:\s*;\s*[^;,]*)*)/g;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    const params = m[2] ?? "";
    const rel = /;\s*rel\s*=\s*"?([^";,]*)"?/i.exec(params);
    if (!rel || !rel[1]!.toLowerCase().split(/\s+/).includes("next")) continue;
    try {
      return new URL(m[1]!.trim(), base);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function parsePage(body: Buffer, subject: string): unknown[] {
  let data: unknown;
  try {
    data = JSON.parse(body.toString("utf8"));
  } catch {
    throw new RegistryInvalidResponseError(
      `the tag list of ${subject} is not valid JSON (empty, truncated or not a registry answer); check spec.image points at an OCI registry`,
      {
        subject,
      },
    );
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) {
    throw new RegistryInvalidResponseError(`the tag list of ${subject} is not a JSON object; check spec.image points at an OCI registry`, { subject });
  }
  const tags = (data as Record<string, unknown>).tags;
  if (tags === undefined || tags === null) return [];
  if (!Array.isArray(tags)) {
    throw new RegistryInvalidResponseError(`the tag list of ${subject} has a "tags" field that is not an array`, { subject });
  }
  return tags;
}

export async function listAllTags(session: RegistrySession, ep: Endpoint, limits: TagListLimits): Promise<TagListing> {
  const subject = ep.name.canonical;
  const tags: string[] = [];
  let dropped = 0;
  let truncated = false;
  let pages = 0;
  const first = apiUrl(ep, "tags/list");
  if (limits.pageSize > 0) first.searchParams.set("n", String(limits.pageSize));
  const visited = new Set<string>();
  let next: URL | undefined = first;
  while (next) {
    if (pages >= limits.maxPages) {
      truncated = true;
      break;
    }
    visited.add(next.toString());
    const res = await session.send(next, { method: "GET", accept: "application/json", maxBodyBytes: limits.maxResponseBytes });
    pages++;
    for (const t of parsePage(res.body, subject)) {
      if (typeof t !== "string" || !isValidTag(t)) {
        dropped++;
        continue;
      }
      if (tags.length >= limits.maxTags) {
        truncated = true;
        break;
      }
      tags.push(t);
    }
    if (truncated) break;
    next = parseNextLink(res.headers.link, res.url);
    if (next && visited.has(next.toString())) {
      // a registry whose Link points back at a page already read would loop forever
      truncated = true;
      break;
    }
  }
  return { tags, droppedInvalid: dropped, truncated, pages };
}
