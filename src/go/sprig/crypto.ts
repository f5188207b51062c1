/**
 * sprig's crypto functions (crypto.go) that node:crypto can serve: derivePassword (scrypt + HMAC),
 * encryptAES/decryptAES (AES-256-CBC, key = password bytes zero-padded/truncated to 32, random IV
 * prepended, base64), genPrivateKey (rsa 4096 / dsa L2048N256 / ecdsa P-256 / ed25519, PEM).
 *
 * bcrypt/htpasswd use bcryptjs (node:crypto has no bcrypt), producing Go's `$2a$` hashes at the
 * default cost 10. The X.509 certificate functions (buildCustomCert, genCA*, genSelfSignedCert*,
 * genSignedCert*) live in x509.ts (node-forge for DER, node:crypto for keys and signatures).
 */
import bcryptjs from "bcryptjs";
import { createCipheriv, createDecipheriv, createHmac, generateKeyPairSync, randomBytes, scryptSync } from "node:crypto";
import type { FuncMap } from "../template/exec.js";
import type { GoType, GoValue } from "../template/value.js";
import { b64decodeStd } from "./encoding.js";
import { fail, fn, I, num, runtimePanic, S, SA } from "./helpers.js";
import { certFuncs, T_CERTIFICATE } from "./x509.js";

const T_UINT32: GoType = { kind: "uint32", name: "uint32", named: false };

const MASTER_PASSWORD_SEED = "com.lyndir.masterpassword";
const PASSWORD_TEMPLATES: Record<string, string[]> = {
  maximum: ["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
  long: [
    "CvcvnoCvcvCvcv",
    "CvcvCvcvnoCvcv",
    "CvcvCvcvCvcvno",
    "CvccnoCvcvCvcv",
    "CvccCvcvnoCvcv",
    "CvccCvcvCvcvno",
    "CvcvnoCvccCvcv",
    "CvcvCvccnoCvcv",
    "CvcvCvccCvcvno",
    "CvcvnoCvcvCvcc",
    "CvcvCvcvnoCvcc",
    "CvcvCvcvCvccno",
    "CvccnoCvccCvcv",
    "CvccCvccnoCvcv",
    "CvccCvccCvcvno",
    "CvcvnoCvccCvcc",
    "CvcvCvccnoCvcc",
    "CvcvCvccCvccno",
    "CvccnoCvcvCvcc",
    "CvccCvcvnoCvcc",
    "CvccCvcvCvccno",
  ],
  medium: ["CvcnoCvc", "CvcCvcno"],
  short: ["Cvcn"],
  basic: ["aaanaaan", "aannaaan", "aaannaaa"],
  pin: ["nnnn"],
};
const TEMPLATE_CHARS: Record<string, string> = {
  V: "AEIOU",
  C: "BCDFGHJKLMNPQRSTVWXYZ",
  v: "aeiou",
  c: "bcdfghjklmnpqrstvwxyz",
  A: "AEIOUBCDFGHJKLMNPQRSTVWXYZ",
  a: "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
  n: "0123456789",
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
};

const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

/** sprig derivePassword: the Master Password algorithm. */
export function derivePassword(counter: number, passwordType: string, password: string, user: string, site: string): string {
  const templates = Object.hasOwn(PASSWORD_TEMPLATES, passwordType) ? PASSWORD_TEMPLATES[passwordType]! : undefined;
  if (!templates) return `cannot find password template ${passwordType}`;
  const userB = Buffer.from(user, "utf8");
  const salt = Buffer.concat([Buffer.from(MASTER_PASSWORD_SEED), u32(userB.length), userB]);
  const key = scryptSync(Buffer.from(password, "utf8"), salt, 64, { N: 32768, r: 8, p: 2, maxmem: 256 * 1024 * 1024 });
  const siteB = Buffer.from(site, "utf8");
  const seed = createHmac("sha256", key)
    .update(Buffer.concat([Buffer.from(MASTER_PASSWORD_SEED), u32(siteB.length), siteB, u32(counter)]))
    .digest();
  const temp = templates[seed[0]! % templates.length]!;
  let out = "";
  for (let i = 0; i < temp.length; i++) {
    const chars = TEMPLATE_CHARS[temp[i]!]!;
    out += chars[seed[i + 1]! % chars.length];
  }
  return out;
}

function aesKey(password: string): Buffer {
  const key = Buffer.alloc(32);
  Buffer.from(password, "utf8").copy(key, 0, 0, 32);
  return key;
}

export function encryptAES(password: string, plaintext: string): string {
  if (plaintext === "") return "";
  const content = Buffer.from(plaintext, "utf8");
  const padding = 16 - (content.length % 16);
  const iv = randomBytes(16);
  const c = createCipheriv("aes-256-cbc", aesKey(password), iv);
  c.setAutoPadding(false);
  const body = Buffer.concat([c.update(Buffer.concat([content, Buffer.alloc(padding, padding)])), c.final()]);
  return Buffer.concat([iv, body]).toString("base64");
}

export function decryptAES(password: string, crypt64: string): string {
  if (crypt64 === "") return "";
  const key = aesKey(password);
  const dec = b64decodeStd(crypt64);
  if (typeof dec === "string") return fail(dec);
  const cap = Math.floor(crypt64.length / 4) * 3;
  if (dec.length < 16) runtimePanic(`slice bounds out of range [:16] with capacity ${cap}`);
  const iv = dec.subarray(0, 16);
  const crypt = dec.subarray(16);
  if (crypt.length % 16 !== 0) fail("crypto/cipher: input not full blocks");
  const d = createDecipheriv("aes-256-cbc", key, iv);
  d.setAutoPadding(false);
  const out = Buffer.concat([d.update(crypt), d.final()]);
  if (out.length === 0) runtimePanic("index out of range [-1]");
  const end = out.length - out[out.length - 1]!;
  if (end < 0) runtimePanic(`slice bounds out of range [:${end}]`);
  return new TextDecoder().decode(out.subarray(0, end));
}

// ---------- minimal DER, for sprig's "DSA PRIVATE KEY" block ----------
function derRead(b: Buffer, off: number): { tag: number; start: number; end: number } {
  const tag = b[off]!;
  let len = b[off + 1]!;
  let start = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[start + i]!;
    start += n;
  }
  return { tag, start, end: start + len };
}
function derChildren(b: Buffer, start: number, end: number): Array<{ tag: number; start: number; end: number }> {
  const out = [];
  for (let off = start; off < end; ) {
    const e = derRead(b, off);
    out.push(e);
    off = e.end;
  }
  return out;
}
function derLen(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let x = n; x > 0; x = Math.floor(x / 256)) bytes.unshift(x & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
function derInt(v: bigint): Buffer {
  let hex = v.toString(16);
  if (hex.length % 2) hex = "0" + hex;
  let body = Buffer.from(hex, "hex");
  if (body[0]! & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return Buffer.concat([Buffer.from([0x02]), derLen(body.length), body]);
}
const bigOf = (b: Buffer): bigint => BigInt("0x" + (b.length ? b.toString("hex") : "0"));
function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let r = 1n;
  base %= mod;
  while (exp > 0n) {
    if (exp & 1n) r = (r * base) % mod;
    base = (base * base) % mod;
    exp >>= 1n;
  }
  return r;
}
function pem(type: string, der: Buffer): string {
  const b64 = der.toString("base64").replace(/.{64}/g, "$&\n").replace(/\n$/, "");
  return `-----BEGIN ${type}-----\n${b64}\n-----END ${type}-----\n`;
}

function dsaPrivateKeyPEM(): string {
  const { privateKey } = generateKeyPairSync("dsa", { modulusLength: 2048, divisorLength: 256 });
  const der = privateKey.export({ type: "pkcs8", format: "der" });
  const top = derRead(der, 0);
  const [, alg, octets] = derChildren(der, top.start, top.end);
  const [, params] = derChildren(der, alg!.start, alg!.end);
  const [p, q, g] = derChildren(der, params!.start, params!.end).map((e) => bigOf(der.subarray(e.start, e.end)));
  const xNode = derRead(der, octets!.start);
  const x = bigOf(der.subarray(xNode.start, xNode.end));
  const y = modPow(g!, x, p!);
  const body = Buffer.concat([derInt(0n), derInt(p!), derInt(q!), derInt(g!), derInt(y), derInt(x)]);
  return pem("DSA PRIVATE KEY", Buffer.concat([Buffer.from([0x30]), derLen(body.length), body]));
}

/** sprig genPrivateKey: never errors; problems come back as text, like Go. */
export function genPrivateKey(typ: string): string {
  switch (typ) {
    case "":
    case "rsa":
      return generateKeyPairSync("rsa", { modulusLength: 4096 }).privateKey.export({ type: "pkcs1", format: "pem" }) as string;
    case "dsa":
      return dsaPrivateKeyPEM();
    case "ecdsa":
      return generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey.export({ type: "sec1", format: "pem" }) as string;
    case "ed25519":
      return generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }) as string;
  }
  return "Unknown type " + typ;
}

/** sprig's bcrypt: golang.org/x/crypto/bcrypt at DefaultCost; errors are returned as text, as in sprig. */
export function bcryptHash(input: string): string {
  if (Buffer.byteLength(input, "utf8") > 72) return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes";
  // bcryptjs writes the $2b$ prefix; Go writes $2a$ (the same algorithm for these inputs)
  return bcryptjs.hashSync(input, 10).replace(/^\$2b\$/, "$2a$");
}

export function cryptoFuncs(): FuncMap {
  return {
    derivePassword: fn([T_UINT32, S, S, S, S], S, (c, t, p, u, s) => derivePassword(Number(num(c)), t as string, p as string, u as string, s as string)),
    encryptAES: fn([S, S], S, (p, t) => encryptAES(p as string, t as string), { err: true }),
    decryptAES: fn([S, S], S, (p, t) => decryptAES(p as string, t as string), { err: true }),
    genPrivateKey: fn([S], S, (t: GoValue) => genPrivateKey(t as string)),
    bcrypt: fn([S], S, (p) => bcryptHash(p as string)),
    htpasswd: fn([S, S], S, (u, p) => ((u as string).includes(":") ? `invalid username: ${u as string}` : `${u as string}:${bcryptHash(p as string)}`)),
    buildCustomCert: fn([S, S], T_CERTIFICATE, certFuncs.buildCustomCert, { err: true }),
    genCA: fn([S, I], T_CERTIFICATE, certFuncs.genCA, { err: true }),
    genCAWithKey: fn([S, I, S], T_CERTIFICATE, certFuncs.genCAWithKey, { err: true }),
    genSelfSignedCert: fn([S, SA, SA, I], T_CERTIFICATE, certFuncs.genSelfSignedCert, { err: true }),
    genSelfSignedCertWithKey: fn([S, SA, SA, I, S], T_CERTIFICATE, certFuncs.genSelfSignedCertWithKey, { err: true }),
    genSignedCert: fn([S, SA, SA, I, T_CERTIFICATE], T_CERTIFICATE, certFuncs.genSignedCert, { err: true }),
    genSignedCertWithKey: fn([S, SA, SA, I, T_CERTIFICATE, S], T_CERTIFICATE, certFuncs.genSignedCertWithKey, { err: true }),
  };
}
