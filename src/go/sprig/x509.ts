/**
 * sprig v3.3's certificate functions (crypto.go): buildCustomCert, genCA, genCAWithKey, genSelfSignedCert,
 * genSelfSignedCertWithKey, genSignedCert, genSignedCertWithKey.
 *
 * They return sprig's `certificate` struct ({Cert, Key string}, PEM). Certificates are built the way Go's
 * x509.CreateCertificate builds them from sprig's template: v3, random 128-bit serial, subject CN only,
 * validity now .. now+days (UTCTime 1950–2049, else GeneralizedTime; whole seconds), KeyUsage
 * DigitalSignature|KeyEncipherment (+CertSign for a CA, critical), ExtKeyUsage serverAuth+clientAuth,
 * BasicConstraints (critical; CA:true only for genCA*), a SHA-1 SubjectKeyId for CAs, the parent's
 * SubjectKeyId as AuthorityKeyId unless issuer == subject, SANs (DNS names then IPs; critical when the
 * subject is empty), signed with SHA256WithRSA / ECDSA-SHA256/384/512 (by curve) / Ed25519.
 *
 * node-forge is the ASN.1 DER encoder; node:crypto generates and parses keys and signs (forge has no EC
 * or Ed25519 support). Keys given as PEM are parsed as sprig's parsePrivateKeyPEM does (PKCS#8 "PRIVATE
 * KEY", "RSA/EC/DSA PRIVATE KEY"); DSA keys parse but, as in Go, cannot sign or be certified.
 *
 * The time is Go's time.Now(): it comes from the execution options (`ExecOptions.now`); without a clock
 * these functions fail with a clear error (src/core has no clock of its own).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, randomBytes, sign, X509Certificate } from "node:crypto";
import forge from "node-forge";
import type { ExecContext } from "../template/exec.js";
import { goQuote } from "../strconv/quote.js";
import { formatArg } from "../template/fmt.js";
import { type GoInt, GoSlice, GoStruct, type GoType, type GoValue, T_STRING } from "../template/value.js";
import { b64decodeStd } from "./encoding.js";
import { fail } from "./helpers.js";

/** sprig's unexported `certificate` struct. */
export const T_CERTIFICATE: GoType = {
  kind: "struct",
  name: "sprig.certificate",
  named: true,
  fields: [
    { name: "Cert", type: T_STRING },
    { name: "Key", type: T_STRING },
  ],
};

export function certificateValue(cert: string, key: string): GoStruct {
  return new GoStruct(T_CERTIFICATE, [cert, key]);
}

// ---------------------------------------------------------------- DER (node-forge encodes; a tiny reader takes exact slices)

const { asn1 } = forge;
const U = asn1.Class.UNIVERSAL;
const CTX = asn1.Class.CONTEXT_SPECIFIC;
type Node = forge.asn1.Asn1;

const bin = (b: Uint8Array): string => Buffer.from(b).toString("binary");
const toBuf = (n: Node): Buffer => Buffer.from(asn1.toDer(n).getBytes(), "binary");
const seq = (items: Node[]): Node => asn1.create(U, asn1.Type.SEQUENCE, true, items);
const oid = (s: string): Node => asn1.create(U, asn1.Type.OID, false, asn1.oidToDer(s).getBytes());
const octets = (b: Uint8Array): Node => asn1.create(U, asn1.Type.OCTETSTRING, false, bin(b));
const boolTrue = (): Node => asn1.create(U, asn1.Type.BOOLEAN, false, "\xff");
const nullNode = (): Node => asn1.create(U, asn1.Type.NULL, false, "");
const bitString = (b: Uint8Array, unused = 0): Node => asn1.create(U, asn1.Type.BITSTRING, false, String.fromCharCode(unused) + bin(b));

function intBytes(v: bigint): Uint8Array {
  let hex = v.toString(16);
  if (hex.length % 2) hex = "0" + hex;
  const b = Buffer.from(hex, "hex");
  return b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b;
}
const integer = (v: bigint): Node => asn1.create(U, asn1.Type.INTEGER, false, bin(intBytes(v)));

/** DER header for a tag and content length; used to splice raw DER (issuer, SPKI) byte-exactly. */
function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let x = n; x > 0; x = Math.floor(x / 256)) bytes.unshift(x & 0xff);
    len = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), len, content]);
}

interface Tlv {
  tag: number;
  off: number;
  start: number;
  end: number;
}

/** Reads one DER element (single-byte tags, definite lengths); throws on malformed input. */
function readTlv(b: Buffer, off: number, limit = b.length): Tlv {
  if (off + 2 > limit) throw new Error("truncated");
  const tag = b[off]!;
  if ((tag & 0x1f) === 0x1f) throw new Error("high tag");
  let len = b[off + 1]!;
  let start = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > limit) throw new Error("bad length");
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[start + i]!;
    start += n;
  }
  if (start + len > limit) throw new Error("truncated");
  return { tag, off, start, end: start + len };
}
function children(b: Buffer, t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let off = t.start; off < t.end; ) {
    const c = readTlv(b, off, t.end);
    out.push(c);
    off = c.end;
  }
  return out;
}
function oidString(b: Buffer, t: Tlv): string {
  return asn1.derToOid(bin(b.subarray(t.start, t.end)));
}

function pem(type: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n").replace(/\n$/, "");
  return `-----BEGIN ${type}-----\n${b64 === "" ? "" : b64 + "\n"}-----END ${type}-----\n`;
}

// ---------------------------------------------------------------- encoding/pem.Decode

interface PemBlock {
  type: string;
  bytes: Buffer;
}

function getLine(s: string): [string, string] {
  let i = s.indexOf("\n");
  let j: number;
  if (i < 0) {
    i = s.length;
    j = i;
  } else {
    j = i + 1;
    if (i > 0 && s[i - 1] === "\r") i--;
  }
  return [s.slice(0, i).replace(/[ \t]+$/, ""), s.slice(j)];
}

/** Go's pem.Decode: the first well-formed block (malformed candidates are skipped), or undefined. */
export function pemDecode(data: string): PemBlock | undefined {
  let rest = data;
  for (;;) {
    if (rest.startsWith("-----BEGIN ")) rest = rest.slice("-----BEGIN ".length);
    else {
      const i = rest.indexOf("\n-----BEGIN ");
      if (i < 0) return undefined;
      rest = rest.slice(i + "\n-----BEGIN ".length);
    }
    let typeLine: string;
    [typeLine, rest] = getLine(rest);
    if (!typeLine.endsWith("-----")) continue;
    typeLine = typeLine.slice(0, -5);
    let headers = 0;
    for (;;) {
      if (rest.length === 0) return undefined;
      const [line, next] = getLine(rest);
      if (!line.includes(":")) break;
      headers++;
      rest = next;
    }
    let endIndex: number;
    let endTrailerIndex: number;
    if (headers === 0 && rest.startsWith("-----END ")) {
      endIndex = 0;
      endTrailerIndex = "-----END ".length;
    } else {
      endIndex = rest.indexOf("\n-----END ");
      endTrailerIndex = endIndex + "\n-----END ".length;
    }
    if (endIndex < 0) continue;
    let endTrailer = rest.slice(endTrailerIndex);
    const trailerLen = typeLine.length + 5;
    if (endTrailer.length < trailerLen) continue;
    const restOfEndLine = endTrailer.slice(trailerLen);
    endTrailer = endTrailer.slice(0, trailerLen);
    if (!endTrailer.startsWith(typeLine) || !endTrailer.endsWith("-----")) continue;
    if (getLine(restOfEndLine)[0].length !== 0) continue;
    const decoded = b64decodeStd(rest.slice(0, endIndex).replace(/[ \t]/g, ""));
    if (typeof decoded === "string") continue;
    return { type: typeLine, bytes: Buffer.from(decoded) };
  }
}

// ---------------------------------------------------------------- private keys (sprig parsePrivateKeyPEM)

type PrivKey = { kind: "rsa" | "ed25519" | "x25519"; key: KeyObject } | { kind: "ec"; key: KeyObject; curve: string } | { kind: "dsa" };

/** Go's named curves (crypto/elliptic) by OpenSSL name → signature hash. */
const GO_CURVES: Record<string, string> = { secp224r1: "sha256", prime256v1: "sha256", secp384r1: "sha384", secp521r1: "sha512" };
const MALFORMED = "asn1: structure error: malformed DER";

function tryKey(der: Buffer, type: "pkcs1" | "pkcs8" | "sec1"): KeyObject | undefined {
  try {
    return createPrivateKey({ key: der, format: "der", type });
  } catch {
    return undefined;
  }
}

/** The "(use ParseXxx instead for this key format)" hint Go gives when the DER is another key format. */
function otherFormat(der: Buffer, not: "pkcs1" | "pkcs8" | "sec1"): string | undefined {
  if (not !== "sec1" && tryKey(der, "sec1")) return "x509: failed to parse private key (use ParseECPrivateKey instead for this key format)";
  if (not !== "pkcs8" && tryKey(der, "pkcs8")) return "x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)";
  if (not !== "pkcs1" && tryKey(der, "pkcs1")) return "x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)";
  return undefined;
}

function ecKey(key: KeyObject, inPKCS8: boolean): PrivKey | string {
  const curve = key.asymmetricKeyDetails?.namedCurve ?? "";
  if (!Object.hasOwn(GO_CURVES, curve)) {
    return inPKCS8 ? "x509: failed to parse EC private key embedded in PKCS#8: x509: unknown elliptic curve" : "x509: unknown elliptic curve";
  }
  return { kind: "ec", key, curve };
}

function parsePKCS8(der: Buffer): PrivKey | string {
  const key = tryKey(der, "pkcs8");
  if (!key) return otherFormat(der, "pkcs8") ?? MALFORMED;
  switch (key.asymmetricKeyType) {
    case "rsa":
      return { kind: "rsa", key };
    case "ec":
      return ecKey(key, true);
    case "ed25519":
      return { kind: "ed25519", key };
    case "x25519":
      return { kind: "x25519", key };
  }
  let alg = "";
  try {
    const top = readTlv(der, 0);
    const algId = children(der, top)[1]!;
    alg = oidString(der, children(der, algId)[0]!);
  } catch {
    alg = String(key.asymmetricKeyType);
  }
  return `x509: PKCS#8 wrapping contained private key with unknown algorithm: ${alg}`;
}

function parseDSA(der: Buffer): PrivKey | string {
  try {
    const top = readTlv(der, 0);
    const ints = children(der, top);
    if (top.tag !== 0x30 || ints.length < 6 || ints.slice(0, 6).some((t) => t.tag !== 0x02)) return MALFORMED;
    return { kind: "dsa" };
  } catch {
    return MALFORMED;
  }
}

/** sprig parsePrivateKeyPEM: the key, or the error text. */
function parsePrivateKeyPEM(text: string): PrivKey | string {
  const block = pemDecode(text);
  if (!block) return "no PEM data in input";
  if (block.type === "PRIVATE KEY") {
    const k = parsePKCS8(block.bytes);
    return typeof k === "string" ? `decoding PEM as PKCS#8: ${k}` : k;
  }
  if (!block.type.endsWith(" PRIVATE KEY")) return `no private key data in PEM block of type ${block.type}`;
  switch (block.type.slice(0, -" PRIVATE KEY".length)) {
    case "RSA": {
      const key = tryKey(block.bytes, "pkcs1");
      return key ? { kind: "rsa", key } : `parsing RSA private key from PEM: ${otherFormat(block.bytes, "pkcs1") ?? MALFORMED}`;
    }
    case "EC": {
      const key = tryKey(block.bytes, "sec1");
      if (!key) {
        const other = otherFormat(block.bytes, "sec1");
        return `parsing EC private key from PEM: ${other ?? `x509: failed to parse EC private key: ${MALFORMED}`}`;
      }
      const k = ecKey(key, false);
      return typeof k === "string" ? `parsing EC private key from PEM: ${k}` : k;
    }
    case "DSA": {
      const k = parseDSA(block.bytes);
      return typeof k === "string" ? `parsing DSA private key from PEM: ${k}` : k;
    }
  }
  return `invalid private key type ${block.type}`;
}

function keyArg(text: string): PrivKey {
  const k = parsePrivateKeyPEM(text);
  return typeof k === "string" ? fail(`parsing private key: ${k}`) : k;
}

/** sprig pemBlockForKey, PEM-encoded. */
function keyPEM(k: PrivKey): string {
  switch (k.kind) {
    case "rsa":
      return pem("RSA PRIVATE KEY", k.key.export({ type: "pkcs1", format: "der" }));
    case "ec":
      return pem("EC PRIVATE KEY", k.key.export({ type: "sec1", format: "der" }));
    case "ed25519":
    case "x25519":
      return pem("PRIVATE KEY", k.key.export({ type: "pkcs8", format: "der" }));
    case "dsa":
      return fail("error pem-encoding key: DSA keys are not supported");
  }
}

function rsa2048(): PrivKey {
  return { kind: "rsa", key: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey };
}

// ---------------------------------------------------------------- net.ParseIP

function parseIPv4(s: string): number[] | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p) || (p.length > 1 && p[0] === "0")) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function parseIPv6(s: string): number[] | undefined {
  const ip = new Array<number>(16).fill(0);
  let ellipsis = -1;
  let i = 0;
  if (s.startsWith("::")) {
    ellipsis = 0;
    s = s.slice(2);
    if (s === "") return ip;
  }
  while (i < 16) {
    let off = 0;
    let acc = 0;
    while (off < s.length && /[0-9a-fA-F]/.test(s[off]!)) {
      acc = acc * 16 + parseInt(s[off]!, 16);
      off++;
      if (off > 4) return undefined;
    }
    if (off === 0) return undefined;
    if (off < s.length && s[off] === ".") {
      if ((ellipsis < 0 && i !== 12) || i + 4 > 16) return undefined;
      const v4 = parseIPv4(s);
      if (!v4) return undefined;
      ip.splice(i, 4, ...v4);
      i += 4;
      s = "";
      break;
    }
    ip[i] = acc >> 8;
    ip[i + 1] = acc & 0xff;
    i += 2;
    s = s.slice(off);
    if (s === "") break;
    if (s[0] !== ":" || s.length === 1) return undefined;
    s = s.slice(1);
    if (s[0] === ":") {
      if (ellipsis >= 0) return undefined;
      ellipsis = i;
      s = s.slice(1);
      if (s === "") break;
    }
  }
  if (s !== "") return undefined;
  if (i < 16) {
    if (ellipsis < 0) return undefined;
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j]!;
    for (let j = ellipsis + n - 1; j >= ellipsis; j--) ip[j] = 0;
  } else if (ellipsis >= 0) return undefined;
  return ip;
}

/** net.ParseIP, then IP.To4() as x509 encodes it: 4 bytes for IPv4 (and IPv4-mapped IPv6), else 16. */
export function parseIPForCert(s: string): Uint8Array | undefined {
  if (/^[0-9.]+$/.test(s) && s.includes(".")) {
    const v4 = parseIPv4(s);
    return v4 && Uint8Array.from(v4);
  }
  if (!s.includes(":")) return undefined;
  const v6 = parseIPv6(s);
  if (!v6) return undefined;
  const mapped = v6.slice(0, 10).every((x) => x === 0) && v6[10] === 0xff && v6[11] === 0xff;
  return Uint8Array.from(mapped ? v6.slice(12) : v6);
}

// ---------------------------------------------------------------- the certificate template (sprig getBaseCertTemplate)

const NS_PER_DAY = 86_400_000_000_000n;

interface BaseTemplate {
  cn: string;
  ips: Uint8Array[];
  dns: string[];
  notBefore: bigint; // unix ns
  notAfter: bigint;
  isCA: boolean;
}

function listArg(v: GoValue): GoValue[] {
  return v instanceof GoSlice ? v.items : [];
}

function nowNs(ctx: unknown, fnName: string): bigint {
  const now = (ctx as Partial<ExecContext> | undefined)?.options?.now;
  if (!now) return fail(`${fnName} needs the current time, but the template was executed without a clock (pass { now } to renderCommitMessage)`);
  return BigInt(now.getTime()) * 1_000_000n;
}

function baseTemplate(ctx: unknown, fnName: string, cn: string, ipsV: GoValue, dnsV: GoValue, days: bigint, isCA = false): BaseTemplate {
  const ips = listArg(ipsV).map((ip) => {
    if (typeof ip !== "string") return fail(`error parsing ip: ${formatArg(ip, "v")} is not a string`);
    return parseIPForCert(ip) ?? fail(`error parsing ip: ${ip}`);
  });
  const dns = listArg(dnsV).map((d) => (typeof d === "string" ? d : fail(`error processing alternate dns name: ${formatArg(d, "v")} is not a string`)));
  const now = nowNs(ctx, fnName);
  // time.Hour * 24 * time.Duration(daysValid): int64 arithmetic (wraps like Go)
  const valid = BigInt.asIntN(64, NS_PER_DAY * BigInt.asIntN(64, days));
  return { cn, ips, dns, notBefore: now, notAfter: now + valid, isCA };
}

/** pkix.Name{CommonName: cn} as Go marshals it (PrintableString when possible, else UTF8String). */
function subjectDER(cn: string): Buffer {
  if (cn === "") return toBuf(seq([]));
  const printable = /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(cn);
  const value = printable ? asn1.create(U, asn1.Type.PRINTABLESTRING, false, cn) : asn1.create(U, asn1.Type.UTF8, false, bin(Buffer.from(cn, "utf8")));
  return toBuf(seq([asn1.create(U, asn1.Type.SET, true, [seq([oid("2.5.4.3"), value])])]));
}

function timeNode(ns: bigint): Node {
  const sec = ns >= 0n ? ns / 1_000_000_000n : -((-ns + 999_999_999n) / 1_000_000_000n);
  const d = new Date(Number(sec) * 1000);
  const y = d.getUTCFullYear();
  const p2 = (n: number): string => String(n).padStart(2, "0");
  const rest = `${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}${p2(d.getUTCHours())}${p2(d.getUTCMinutes())}${p2(d.getUTCSeconds())}Z`;
  if (y >= 1950 && y < 2050) return asn1.create(U, asn1.Type.UTCTIME, false, `${p2(y % 100)}${rest}`);
  if (y < 0 || y > 9999) return fail("error creating certificate: asn1: structure error: cannot represent time as GeneralizedTime");
  return asn1.create(U, asn1.Type.GENERALIZEDTIME, false, `${String(y).padStart(4, "0")}${rest}`);
}

/** What Go needs of the parent certificate. */
interface Parent {
  rawSubject: Buffer;
  subjectKeyId?: Buffer;
  spki?: Buffer;
}

interface SignerInfo {
  hash: string | null;
  algId: Node;
}

function signerInfo(k: PrivKey): SignerInfo {
  switch (k.kind) {
    case "rsa":
      return { hash: "sha256", algId: seq([oid("1.2.840.113549.1.1.11"), nullNode()]) };
    case "ec": {
      const hash = GO_CURVES[k.curve]!;
      const o = hash === "sha256" ? "1.2.840.10045.4.3.2" : hash === "sha384" ? "1.2.840.10045.4.3.3" : "1.2.840.10045.4.3.4";
      return { hash, algId: seq([oid(o)]) };
    }
    case "ed25519":
      return { hash: null, algId: seq([oid("1.3.101.112")]) };
    default:
      return fail("error creating certificate: x509: certificate private key does not implement crypto.Signer");
  }
}

function spkiOf(k: KeyObject): Buffer {
  return createPublicKey(k).export({ type: "spki", format: "der" });
}

/** x509.CreateCertificate(rand, template, parent, signee.Public(), signer), PEM-encoded, with sprig's key PEM. */
function createCertificate(t: BaseTemplate, signee: PrivKey, parent: Parent | "self", signer: PrivKey): GoStruct {
  const si = signerInfo(signer);
  if (signee.kind === "dsa") fail("error creating certificate: x509: unsupported public key type: *dsa.PublicKey");
  if (signee.kind === "x25519") fail("error creating certificate: x509: unsupported public key type: *ecdh.PublicKey");
  const spki = spkiOf(signee.key);
  const spkiTop = readTlv(spki, 0);
  const bits = children(spki, spkiTop)[1]!;
  const publicKeyBytes = spki.subarray(bits.start + 1, bits.end);

  const subject = subjectDER(t.cn);
  const issuer = parent === "self" ? subject : parent.rawSubject;
  let authorityKeyId: Buffer | undefined;
  if (parent !== "self" && !issuer.equals(subject) && parent.subjectKeyId && parent.subjectKeyId.length > 0) authorityKeyId = parent.subjectKeyId;
  const subjectKeyId = t.isCA ? forge.md.sha1.create().update(bin(publicKeyBytes)).digest().getBytes() : undefined;
  if (parent !== "self" && parent.spki && signer.kind !== "dsa" && !spkiOf(signer.key).equals(parent.spki)) {
    fail("error creating certificate: x509: provided PrivateKey doesn't match parent's PublicKey");
  }

  const ext = (id: string, critical: boolean, value: Node): Node => seq([oid(id), ...(critical ? [boolTrue()] : []), octets(toBuf(value))]);
  const exts: Node[] = [
    // KeyUsage: DigitalSignature|KeyEncipherment (+CertSign), as Go's minimal BIT STRING
    ext("2.5.29.15", true, t.isCA ? bitString(Buffer.from([0xa4]), 2) : bitString(Buffer.from([0xa0]), 5)),
    ext("2.5.29.37", false, seq([oid("1.3.6.1.5.5.7.3.1"), oid("1.3.6.1.5.5.7.3.2")])),
    ext("2.5.29.19", true, seq(t.isCA ? [boolTrue()] : [])),
  ];
  if (subjectKeyId !== undefined) exts.push(ext("2.5.29.14", false, asn1.create(U, asn1.Type.OCTETSTRING, false, subjectKeyId)));
  if (authorityKeyId) exts.push(ext("2.5.29.35", false, seq([asn1.create(CTX, 0, false, bin(authorityKeyId))])));
  if (t.dns.length > 0 || t.ips.length > 0) {
    const names: Node[] = [];
    for (const d of t.dns) {
      if (/[^\x00-\x7f]/.test(d)) fail(`error creating certificate: x509: ${goQuote(d)} cannot be encoded as an IA5String`);
      names.push(asn1.create(CTX, 2, false, d));
    }
    for (const ip of t.ips) names.push(asn1.create(CTX, 7, false, bin(ip)));
    exts.push(ext("2.5.29.17", subject.equals(Buffer.from([0x30, 0])), seq(names)));
  }

  const serial = BigInt("0x" + randomBytes(16).toString("hex"));
  const tbs = tlv(
    0x30,
    Buffer.concat([
      toBuf(asn1.create(CTX, 0, true, [integer(2n)])),
      toBuf(integer(serial)),
      toBuf(si.algId),
      issuer,
      toBuf(seq([timeNode(t.notBefore), timeNode(t.notAfter)])),
      subject,
      spki,
      toBuf(asn1.create(CTX, 3, true, [seq(exts)])),
    ]),
  );
  const signature = sign(si.hash, tbs, (signer as { key: KeyObject }).key);
  const der = tlv(0x30, Buffer.concat([tbs, toBuf(si.algId), toBuf(bitString(signature))]));
  return certificateValue(pem("CERTIFICATE", der), keyPEM(signee));
}

// ---------------------------------------------------------------- parsing certificates (x509.ParseCertificate)

/** Parses certificate DER; returns what Go's CreateCertificate uses of a parent, or Go-like error text. */
function parseCertificate(der: Buffer): Parent | string {
  let parent: Parent;
  try {
    const top = readTlv(der, 0);
    if (top.tag !== 0x30) return "x509: malformed certificate";
    if (top.end !== der.length) return "x509: trailing data";
    const tbs = children(der, top)[0];
    if (tbs?.tag !== 0x30) return "x509: malformed tbs certificate";
    const f = children(der, tbs);
    const k = f[0]?.tag === 0xa0 ? 1 : 0;
    const subj = f[k + 4];
    const spki = f[k + 5];
    if (!subj || !spki || subj.tag !== 0x30 || spki.tag !== 0x30) return "x509: malformed tbs certificate";
    parent = { rawSubject: der.subarray(subj.off, subj.end), spki: der.subarray(spki.off, spki.end) };
    const extsWrap = f.slice(k + 6).find((t) => t.tag === 0xa3);
    if (extsWrap) {
      const list = children(der, extsWrap)[0];
      for (const e of list ? children(der, list) : []) {
        const parts = children(der, e);
        if (parts[0] && oidString(der, parts[0]) === "2.5.29.14") {
          const wrapped = parts[parts.length - 1]!;
          const inner = readTlv(der, wrapped.start, wrapped.end);
          parent.subjectKeyId = der.subarray(inner.start, inner.end);
        }
      }
    }
  } catch {
    return "x509: malformed certificate";
  }
  try {
    new X509Certificate(der);
  } catch {
    return "x509: malformed certificate";
  }
  try {
    createPublicKey({ key: parent.spki!, format: "der", type: "spki" });
  } catch {
    parent.spki = undefined; // a public key Go cannot parse leaves parent.PublicKey nil
  }
  return parent;
}

// ---------------------------------------------------------------- the template functions

function utf8(b: Uint8Array): string {
  return new TextDecoder().decode(b);
}

export function buildCustomCert(b64cert: string, b64key: string): GoStruct {
  const cert = b64decodeStd(b64cert);
  if (typeof cert === "string") fail("unable to decode base64 certificate");
  const key = b64decodeStd(b64key);
  if (typeof key === "string") fail("unable to decode base64 private key");
  const certText = utf8(cert);
  const block = pemDecode(certText);
  if (!block) fail("unable to decode certificate");
  const parsed = parseCertificate(block.bytes);
  if (typeof parsed === "string") fail(`error parsing certificate: decodedCert.Bytes: ${parsed}`);
  const keyText = utf8(key);
  const k = parsePrivateKeyPEM(keyText);
  if (typeof k === "string") fail(`error parsing private key: ${k}`);
  return certificateValue(certText, keyText);
}

/** A key given as PEM (parsed first, as sprig does) or RSA 2048 generated once the template is valid. */
type KeySource = PrivKey | (() => PrivKey);
const resolve = (k: KeySource): PrivKey => (typeof k === "function" ? k() : k);

function genCA(ctx: unknown, fnName: string, cn: string, days: bigint, key: KeySource): GoStruct {
  const t = baseTemplate(ctx, fnName, cn, null, null, days, true);
  const k = resolve(key);
  return createCertificate(t, k, "self", k);
}

function genSelfSigned(ctx: unknown, fnName: string, cn: string, ips: GoValue, dns: GoValue, days: bigint, key: KeySource): GoStruct {
  const t = baseTemplate(ctx, fnName, cn, ips, dns, days);
  const k = resolve(key);
  return createCertificate(t, k, "self", k);
}

function genSigned(ctx: unknown, fnName: string, cn: string, ips: GoValue, dns: GoValue, days: bigint, ca: GoValue, key: KeySource): GoStruct {
  const [caCert, caKey] = (ca as GoStruct).values as [string, string];
  const block = pemDecode(caCert);
  if (!block) fail("unable to decode certificate");
  const parent = parseCertificate(block.bytes);
  if (typeof parent === "string") fail(`error parsing certificate: decodedSignerCert.Bytes: ${parent}`);
  const signer = parsePrivateKeyPEM(caKey);
  if (typeof signer === "string") fail(`error parsing private key: ${signer}`);
  const t = baseTemplate(ctx, fnName, cn, ips, dns, days);
  return createCertificate(t, resolve(key), parent, signer);
}

const days = (v: GoValue): bigint => (v as GoInt).v;
const str = (v: GoValue): string => v as string;

/**
 * Implementations, called with the execution state as `this` (for the clock). sprig generates the RSA
 * key of the non-WithKey variants first; that cannot fail, so generating it once the arguments are
 * known to be valid (and a clock is present) gives the same observable errors, without wasted work.
 */
export const certFuncs = {
  buildCustomCert: (c: GoValue, k: GoValue): GoValue => buildCustomCert(str(c), str(k)),
  genCA(this: unknown, cn: GoValue, d: GoValue): GoValue {
    return genCA(this, "genCA", str(cn), days(d), rsa2048);
  },
  genCAWithKey(this: unknown, cn: GoValue, d: GoValue, key: GoValue): GoValue {
    return genCA(this, "genCAWithKey", str(cn), days(d), keyArg(str(key)));
  },
  genSelfSignedCert(this: unknown, cn: GoValue, ips: GoValue, dns: GoValue, d: GoValue): GoValue {
    return genSelfSigned(this, "genSelfSignedCert", str(cn), ips, dns, days(d), rsa2048);
  },
  genSelfSignedCertWithKey(this: unknown, cn: GoValue, ips: GoValue, dns: GoValue, d: GoValue, key: GoValue): GoValue {
    return genSelfSigned(this, "genSelfSignedCertWithKey", str(cn), ips, dns, days(d), keyArg(str(key)));
  },
  genSignedCert(this: unknown, cn: GoValue, ips: GoValue, dns: GoValue, d: GoValue, ca: GoValue): GoValue {
    return genSigned(this, "genSignedCert", str(cn), ips, dns, days(d), ca, rsa2048);
  },
  genSignedCertWithKey(this: unknown, cn: GoValue, ips: GoValue, dns: GoValue, d: GoValue, ca: GoValue, key: GoValue): GoValue {
    return genSigned(this, "genSignedCertWithKey", str(cn), ips, dns, days(d), ca, keyArg(str(key)));
  },
};
