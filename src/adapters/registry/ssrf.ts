/**
 * Server-side request forgery guard. In server mode repository content decides
 * which hosts the bot calls, so every connection (first request, each redirect
 * hop, token realms, Link next pages) is checked against the address actually
 * connected to: a custom `lookup` is installed on every node:http(s) request, so
 * there is no gap between the check and the connect (DNS rebinding).
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { isIP } from "node:net";
import { RegistryForbiddenAddressError } from "./errors.js";

/** Same shape as `dns.lookup` with an options object. */
export type LookupFunction = (
  hostname: string,
  options: LookupOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
) => void;

/** Host names that reach cloud instance metadata services. */
const METADATA_HOSTS = new Set(["metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal"]);

function v4ToInt(ip: string): number {
  const p = ip.split(".").map(Number);
  return (((p[0]! << 24) >>> 0) + (p[1]! << 16) + (p[2]! << 8) + p[3]!) >>> 0;
}

const V4_BLOCKS: Array<[string, number]> = [
  ["0.0.0.0", 8], // "this network", unspecified
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // CGNAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, incl. 169.254.169.254 metadata
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
];

function isForbiddenV4(ip: string): boolean {
  const n = v4ToInt(ip);
  return V4_BLOCKS.some(([base, bits]) => {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return (n & mask) >>> 0 === (v4ToInt(base) & mask) >>> 0;
  });
}

/** Expands an IPv6 literal (no zone, no brackets) to 8 16-bit groups. */
function v6Groups(ip: string): number[] | null {
  let s = ip;
  const lastColon = s.lastIndexOf(":");
  const last = s.slice(lastColon + 1);
  if (last.includes(".")) {
    if (isIP(last) !== 4) return null;
    const n = v4ToInt(last);
    s = `${s.slice(0, lastColon + 1)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const parts = s.split("::");
  if (parts.length > 2) return null;
  const parse = (x: string): number[] | null => {
    if (x === "") return [];
    const gs = x.split(":");
    if (gs.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null;
    return gs.map((g) => parseInt(g, 16));
  };
  const h = parse(parts[0]!);
  const r = parts.length === 2 ? parse(parts[1]!) : [];
  if (!h || !r) return null;
  if (parts.length === 1) return h.length === 8 ? h : null;
  const missing = 8 - h.length - r.length;
  if (missing < 1) return null;
  return [...h, ...new Array<number>(missing).fill(0), ...r];
}

function embeddedV4(hi: number, lo: number): string {
  return `${hi >>> 8}.${hi & 0xff}.${lo >>> 8}.${lo & 0xff}`;
}

function isForbiddenV6(ip: string): boolean {
  const g = v6Groups(ip.split("%")[0]!);
  if (!g) return true; // unparseable: refuse
  const allZeroPrefix = (n: number): boolean => g.slice(0, n).every((x) => x === 0);
  if (g.every((x) => x === 0)) return true; // ::
  if (allZeroPrefix(7) && g[7] === 1) return true; // ::1
  if (allZeroPrefix(5) && g[5] === 0xffff) return isForbiddenV4(embeddedV4(g[6]!, g[7]!)); // ::ffff:a.b.c.d
  if (allZeroPrefix(6)) return true; // IPv4-compatible ::a.b.c.d (deprecated)
  if (allZeroPrefix(4) && g[4] === 0xffff && g[5] === 0) return true; // ::ffff:0:a.b.c.d (SIIT)
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return isForbiddenV4(embeddedV4(g[6]!, g[7]!)); // NAT64 well-known prefix
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return true; // 64:ff9b:1::/48, local-use NAT64 (RFC 8215): translates to any IPv4, private ones included
  if (g[0] === 0x2001 && g[1] === 0) return true; // 2001::/32 Teredo (RFC 4380): tunnels to an IPv4 server and client it embeds
  if (g[0] === 0x2002) return isForbiddenV4(embeddedV4(g[1]!, g[2]!)); // 6to4
  const first = g[0]!;
  if ((first & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local, incl. fd00:ec2::254
  if ((first & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  if ((first & 0xffc0) === 0xfec0) return true; // fec0::/10 site-local (deprecated)
  if ((first & 0xff00) === 0xff00) return true; // multicast
  return false;
}

/** True for loopback, private, CGNAT, link-local, unspecified, multicast, metadata and mapped forms of those. */
export function isForbiddenAddress(address: string): boolean {
  const a = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  const kind = isIP(a.split("%")[0]!);
  if (kind === 4) return isForbiddenV4(a);
  if (kind === 6) return isForbiddenV6(a);
  return true;
}

interface AllowEntry {
  host: string;
  port?: number;
}

function normaliseHost(h: string): string {
  let s = h.trim().toLowerCase();
  if (s.startsWith("[") && s.endsWith("]")) s = s.slice(1, -1);
  if (s.endsWith(".")) s = s.slice(0, -1);
  return s;
}

/** Parses `host[:port]` entries (`[v6]:port` or bare v6 for IPv6). */
export function parseAllowedHosts(entries: string[] | undefined): AllowEntry[] {
  const out: AllowEntry[] = [];
  for (const raw of entries ?? []) {
    const e = raw.trim();
    if (!e) continue;
    const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(e);
    if (bracket) {
      out.push({ host: normaliseHost(bracket[1]!), port: bracket[2] ? Number(bracket[2]) : undefined });
    } else if (isIP(e) === 6) {
      out.push({ host: normaliseHost(e) });
    } else {
      const m = /^(.*?)(?::(\d+))?$/.exec(e)!;
      out.push({ host: normaliseHost(m[1]!), port: m[2] ? Number(m[2]) : undefined });
    }
  }
  return out;
}

export interface AddressPolicy {
  mode: "cli" | "server";
  allowed: AllowEntry[];
}

function allowMatch(policy: AddressPolicy, host: string, port: number): boolean {
  const h = normaliseHost(host);
  return policy.allowed.some((e) => e.host === h && (e.port === undefined || e.port === port));
}

function refuse(host: string, detail: string): RegistryForbiddenAddressError {
  return new RegistryForbiddenAddressError(
    `refusing to connect to ${host} (${detail}); loopback, private, link-local and cloud-metadata addresses are blocked in server mode. ` +
      `If this registry is meant to be reachable, add it to REGISTRY_ALLOWED_HOSTS.`,
    { subject: host },
  );
}

/** Checks the URL's host before connecting (names that are IP literals or metadata names). Throws when refused. */
export function checkUrlHost(policy: AddressPolicy, url: URL): void {
  if (policy.mode === "cli") return;
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  const host = normaliseHost(url.hostname);
  if (allowMatch(policy, host, port)) return;
  if (METADATA_HOSTS.has(host)) throw refuse(host, "cloud metadata host");
  if (host === "localhost" || host.endsWith(".localhost")) throw refuse(host, "loopback name");
  if (isIP(host) && isForbiddenAddress(host)) throw refuse(host, "non-public address");
}

/**
 * A `lookup` for node:http(s) that resolves with `base` (default dns.lookup),
 * then refuses when any resolved address is not public, unless the host (or
 * the address) is allow-listed for this port.
 */
export function guardedLookup(policy: AddressPolicy, port: number, base: LookupFunction = dnsLookup as unknown as LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    base(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "", 0);
      const list: LookupAddress[] = Array.isArray(addresses) ? addresses : [{ address: addresses, family: isIP(addresses) }];
      if (policy.mode === "server" && !allowMatch(policy, hostname, port)) {
        const bad = list.find((a) => isForbiddenAddress(a.address) && !allowMatch(policy, a.address, port));
        // the address itself is left out: the message reaches the dashboard, and would make it a DNS oracle for the internal network
        if (bad) return callback(refuse(hostname, "resolves to a non-public address") as unknown as NodeJS.ErrnoException, "", 0);
        if (list.length === 0) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), "", 0);
      }
      if (options.all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), "", 0);
      callback(null, first.address, first.family);
    });
  };
}
