/** sprig urlParse and urlJoin. */
import type { FuncMap } from "../template/exec.js";
import { GoMap, kindName, T_MAP_ANY } from "../template/value.js";
import { fail, fn, M, S } from "./helpers.js";

export function urlFuncs(): FuncMap {
  return {
    urlParse: fn([S], M, (s) => urlParse(s as string)),
    urlJoin: fn([M], S, (d) => urlJoin(d as GoMap)),
  };
}

function urlParse(s: string): GoMap {
  const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?(?:\/\/(?:([^@/?#]*)@)?([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(s);
  if (!m) return fail(`unable to parse url: parse ${JSON.stringify(s)}: invalid URL`);
  const d = new GoMap(T_MAP_ANY);
  const host = m[3] ?? "";
  d.set("scheme", m[1] ?? "");
  d.set("host", host);
  d.set("hostname", host.replace(/:\d*$/, "").replace(/^\[(.*)\]$/, "$1"));
  d.set("path", decodeURIComponentSafe(m[4] ?? ""));
  d.set("query", m[5] ?? "");
  d.set("opaque", "");
  d.set("fragment", m[6] !== undefined ? decodeURIComponentSafe(m[6]) : "");
  d.set("userinfo", m[2] ?? "");
  return d;
}
function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
function urlJoin(d: GoMap): string {
  const get = (k: string): string => {
    const v = d.get(k);
    if (v === undefined) return "";
    if (typeof v !== "string") fail(`unable to parse ${k} key, must be of type string, but ${kindName(v)} found`);
    return v as string;
  };
  let out = "";
  const scheme = get("scheme");
  if (scheme) out += scheme + ":";
  const host = get("host");
  const user = get("userinfo");
  if (scheme || host || user) {
    out += "//";
    if (user) out += user + "@";
    out += host;
  }
  let path = get("path");
  if (path && !path.startsWith("/") && host) path = "/" + path;
  out += encodeURI(path).replace(/%25/g, "%");
  const q = get("query");
  if (q) out += "?" + q;
  const f = get("fragment");
  if (f) out += "#" + encodeURI(f);
  return out;
}
