/** A hostile registry for the tests: the token flood of the security review, and DNS that sends every name to loopback. */
import type { LookupAddress } from "node:dns";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { LookupFunction } from "../../src/adapters/registry/index.js";
import { json } from "../adapters/registry/fake-registry.js";

export const PAGES = 100;
// as large as a request header to the in-test server may be (16 KB)
export const TOKEN_CHARS = 12 * 1024;

/** Every name resolves to loopback, where the fake servers are. */
export const loopbackDns: LookupFunction = (_hostname, options, cb) => {
  const a: LookupAddress = { address: "127.0.0.1", family: 4 };
  if (options.all) cb(null, [a]);
  else cb(null, a.address, a.family);
};

/**
 * A registry whose page N accepts only a token issued for page N, and challenges for it with
 * realm /token/N and the scope `scopeOf(N)`: the token flood of the security review.
 */
export function flood(origin: () => string, scopeOf: (page: number) => string, tokenChars: number, repository = "org/app") {
  return (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const tokenPage = /^\/token\/(\d+)$/.exec(url.pathname);
    if (tokenPage) return json(res, 200, { token: `T${tokenPage[1]}-${"x".repeat(tokenChars)}`, expires_in: 3600 });
    if (url.pathname === "/v2/") return json(res, 200, {});
    if (url.pathname !== `/v2/${repository}/tags/list`) return json(res, 404, {});
    const page = Number(url.searchParams.get("page") ?? "1");
    if (!(req.headers.authorization ?? "").startsWith(`Bearer T${page}-`)) {
      return json(
        res,
        401,
        { errors: [{ code: "UNAUTHORIZED" }] },
        { "www-authenticate": `Bearer realm="${origin()}/token/${page}",service="flood",scope="${scopeOf(page)}"` },
      );
    }
    const link: Record<string, string> = page < PAGES ? { link: `</v2/${repository}/tags/list?page=${page + 1}>; rel="next"` } : {};
    json(res, 200, { name: repository, tags: [`v${page}.0.0`] }, link);
  };
}
