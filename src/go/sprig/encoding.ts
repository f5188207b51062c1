/** sprig encodings and hashes: b64/b32 codecs, sha*sum, adler32sum. */
import { createHash } from "node:crypto";
import type { FuncMap } from "../template/exec.js";
import type { GoValue } from "../template/value.js";
import { fn, S } from "./helpers.js";

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const x of data) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const b32alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
function b32enc(data: Uint8Array): string {
  let out = "";
  let bits = 0;
  let val = 0;
  for (const x of data) {
    val = (val << 8) | x;
    bits += 8;
    while (bits >= 5) {
      out += b32alpha[(val >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += b32alpha[(val << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += "=";
  return out;
}
function b32dec(s: string): string {
  if (s.length % 8 !== 0) {
    return `illegal base32 data at input byte ${Math.floor(s.length / 8) * 8}`;
  }
  let bits = 0;
  let val = 0;
  const out: number[] = [];
  const body = s.replace(/=+$/, "");
  for (let i = 0; i < body.length; i++) {
    const k = b32alpha.indexOf(body[i]!);
    if (k < 0) return `illegal base32 data at input byte ${i}`;
    val = ((val << 5) | k) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((val >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return new TextDecoder().decode(Uint8Array.from(out));
}
/** encoding/base64 StdEncoding.DecodeString: the bytes, or Go's error text. */
export function b64decodeStd(s: string): Uint8Array | string {
  const clean = s.replace(/[\r\n]/g, "");
  const bad = clean.search(/[^A-Za-z0-9+/=]/);
  if (bad >= 0) return `illegal base64 data at input byte ${bad}`;
  if (clean.length % 4 !== 0) return `illegal base64 data at input byte ${clean.length - (clean.length % 4)}`;
  const pad = clean.indexOf("=");
  if (pad >= 0 && !/^=*$/.test(clean.slice(pad))) return `illegal base64 data at input byte ${pad}`;
  return Buffer.from(clean, "base64");
}
function b64dec(s: string): string {
  const r = b64decodeStd(s);
  return typeof r === "string" ? r : Buffer.from(r).toString("utf8");
}

const hash =
  (alg: string) =>
  (s: GoValue): string =>
    createHash(alg)
      .update(s as string, "utf8")
      .digest("hex");

export function encodingFuncs(): FuncMap {
  return {
    b64enc: fn([S], S, (s) => Buffer.from(s as string, "utf8").toString("base64")),
    b64dec: fn([S], S, (s) => b64dec(s as string)),
    b32enc: fn([S], S, (s) => b32enc(new TextEncoder().encode(s as string))),
    b32dec: fn([S], S, (s) => b32dec(s as string)),
    sha1sum: fn([S], S, hash("sha1")),
    sha256sum: fn([S], S, hash("sha256")),
    sha512sum: fn([S], S, hash("sha512")),
    adler32sum: fn([S], S, (s) => String(adler32(new TextEncoder().encode(s as string)))),
  };
}
