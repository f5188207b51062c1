import { describe, expect, it } from "@jest/globals";
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, X509Certificate } from "node:crypto";
import forge from "node-forge";
import { renderCommitMessage } from "../../../src/core/template/index.js";
import { executeTemplate, goValues, parseTemplate } from "../../../src/go/index.js";
import { parseIPForCert, pemDecode } from "../../../src/go/sprig/x509.js";

const now = new Date("2025-06-15T12:00:00.400Z");
const NOW_S = new Date("2025-06-15T12:00:00Z").getTime();
const DAY = 86_400_000;
const run = (t: string, clock: Date | null = now, data: Record<string, unknown> | null = null): string =>
  executeTemplate(parseTemplate("t", t), data && goValues.anyMap(Object.entries(data) as Array<[string, string]>), undefined, { now: clock ?? undefined });

/** Renders `{{ $c := <expr> }}` and returns its Cert and Key. */
function cert(expr: string, pre = "", data: Record<string, unknown> | null = null): { pem: string; key: string; x: X509Certificate } {
  const [pem, key] = run(`${pre}{{ $c := ${expr} }}{{ $c.Cert }}@@{{ $c.Key }}`, now, data).split("@@") as [string, string];
  return { pem, key, x: new X509Certificate(pem) };
}

interface Ext {
  oid: string;
  critical: boolean;
  value: forge.asn1.Asn1;
}
/** The certificate's extensions, decoded with node-forge's ASN.1 reader. */
function extensions(pem: string): Map<string, Ext> {
  const der = new X509Certificate(pem).raw.toString("binary");
  const tbs = (forge.asn1.fromDer(der).value as forge.asn1.Asn1[])[0]!;
  const wrap = (tbs.value as forge.asn1.Asn1[]).find((n) => n.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && n.type === 3)!;
  const out = new Map<string, Ext>();
  for (const e of (wrap.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[]) {
    const parts = e.value as forge.asn1.Asn1[];
    const oid = forge.asn1.derToOid(parts[0]!.value as string);
    const critical = parts.length === 3;
    out.set(oid, { oid, critical, value: forge.asn1.fromDer(parts[parts.length - 1]!.value as string) });
  }
  return out;
}
const bytesHex = (n: forge.asn1.Asn1): string => Buffer.from(n.value as string, "binary").toString("hex");
function spkiBits(x: X509Certificate): Buffer {
  const spki = x.publicKey.export({ type: "spki", format: "der" });
  const node = forge.asn1.fromDer(spki.toString("binary"), { decodeBitStrings: false } as never);
  return Buffer.from(((node.value as forge.asn1.Asn1[])[1]!.value as string).slice(1), "binary");
}
const keyMatches = (x: X509Certificate, keyPem: string): boolean =>
  createPublicKey(createPrivateKey(keyPem))
    .export({ type: "spki", format: "der" })
    .equals(x.publicKey.export({ type: "spki", format: "der" }));

const expectValidity = (x: X509Certificate, days: number): void => {
  expect(new Date(x.validFrom).getTime()).toBe(NOW_S);
  expect(new Date(x.validTo).getTime()).toBe(NOW_S + days * DAY);
};
const expectServerClientUsage = (pem: string, isCA: boolean): void => {
  const ext = extensions(pem);
  const ku = ext.get("2.5.29.15")!;
  expect(ku.critical).toBe(true);
  // DigitalSignature | KeyEncipherment (| CertSign), minimal BIT STRING like Go
  expect(bytesHex(ku.value)).toBe(isCA ? "02a4" : "05a0");
  const eku = ext.get("2.5.29.37")!;
  expect(eku.critical).toBe(false);
  expect((eku.value.value as forge.asn1.Asn1[]).map((o) => forge.asn1.derToOid(o.value as string))).toEqual(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]);
  const bc = ext.get("2.5.29.19")!;
  expect(bc.critical).toBe(true);
  expect((bc.value.value as forge.asn1.Asn1[]).length).toBe(isCA ? 1 : 0);
};

describe("sprig certificate functions", () => {
  it("genCA: a self-signed RSA 2048 CA certificate valid from now for daysValid days", () => {
    const { pem, key, x } = cert('genCA "my ca" 365');
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n(?:[A-Za-z0-9+/=]{64}\n)*[A-Za-z0-9+/=]{1,64}\n-----END CERTIFICATE-----\n$/);
    expect(key).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+\n-----END RSA PRIVATE KEY-----\n$/);
    expect(x.subject).toBe("CN=my ca");
    expect(x.issuer).toBe("CN=my ca");
    expect(x.ca).toBe(true);
    expect(x.subjectAltName).toBeUndefined();
    expectValidity(x, 365);
    expect(x.verify(x.publicKey)).toBe(true);
    expect(x.checkPrivateKey(createPrivateKey(key))).toBe(true);
    expect(x.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(x.serialNumber).toMatch(/^[0-9A-F]+$/);
    expect(BigInt("0x" + x.serialNumber) < 2n ** 128n).toBe(true);
    expectServerClientUsage(pem, true);
    // Go: a CA gets a SubjectKeyId (SHA-1 of the public key bits); a self-signed certificate no AuthorityKeyId
    const ext = extensions(pem);
    expect(bytesHex(ext.get("2.5.29.14")!.value)).toBe(createHash("sha1").update(spkiBits(x)).digest("hex"));
    expect(ext.has("2.5.29.35")).toBe(false);
  });

  it("serial numbers and keys are random", () => {
    const a = cert('genCA "x" 1');
    const b = cert('genCA "x" 1');
    expect(a.x.serialNumber).not.toBe(b.x.serialNumber);
    expect(a.key).not.toBe(b.key);
  });

  it("the certificate struct prints and marshals like Go's", () => {
    const out = run('{{ $c := genCA "x" 1 }}{{ typeOf $c }}|{{ kindOf $c }}|{{ $c }}');
    const [type, kind, printed] = out.split("|") as [string, string, string];
    expect(type).toBe("sprig.certificate");
    expect(kind).toBe("struct");
    expect(printed).toMatch(
      /^\{-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n -----BEGIN RSA PRIVATE KEY-----\n[\s\S]+-----END RSA PRIVATE KEY-----\n\}$/,
    );
    const json = JSON.parse(run('{{ genCA "x" 1 | toJson }}')) as Record<string, string>;
    expect(Object.keys(json)).toEqual(["Cert", "Key"]);
    expect(run('{{ (genCA "x" 1).Cert | empty }}')).toBe("false");
  });

  it("genSelfSignedCert: CN, IP and DNS SANs, not a CA", () => {
    const { pem, key, x } = cert('genSelfSignedCert "foo.com" (list "10.0.0.1" "2001:db8::1" "::ffff:1.2.3.4") (list "bar.com" "*.bar.com") 30');
    expect(x.subject).toBe("CN=foo.com");
    expect(x.issuer).toBe("CN=foo.com");
    expect(x.ca).toBe(false);
    // Go writes DNS names first, then IPs; IPv4-mapped addresses as 4 bytes
    expect(x.subjectAltName).toBe("DNS:bar.com, DNS:*.bar.com, IP Address:10.0.0.1, IP Address:2001:DB8:0:0:0:0:0:1, IP Address:1.2.3.4");
    expectValidity(x, 30);
    expect(x.verify(x.publicKey)).toBe(true);
    expect(keyMatches(x, key)).toBe(true);
    expect(key).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expectServerClientUsage(pem, false);
    const ext = extensions(pem);
    expect(ext.has("2.5.29.14")).toBe(false);
    expect(ext.get("2.5.29.17")!.critical).toBe(false);
  });

  it("genSelfSignedCert: nil lists, an empty CN (critical SAN), a non-printable CN as UTF8String", () => {
    const a = cert('genSelfSignedCert "" nil (list "x.test") 1');
    expect(a.x.subject ?? "").toBe("");
    expect(extensions(a.pem).get("2.5.29.17")!.critical).toBe(true);
    const b = cert('genSelfSignedCert "a*b & ü" nil nil 1');
    expect(b.x.subject).toBe("CN=a*b & ü");
    expect(b.x.subjectAltName).toBeUndefined();
    const der = b.x.raw.toString("binary");
    expect(der).toContain("\x0c" + String.fromCharCode(Buffer.byteLength("a*b & ü")) + Buffer.from("a*b & ü").toString("binary")); // UTF8String
    const c = cert('genSelfSignedCert "plain name" nil nil 1');
    expect(c.x.raw.toString("binary")).toContain("\x13\x0aplain name"); // PrintableString
  });

  it("genSignedCert: signed by the CA (issuer, signature, AuthorityKeyId)", () => {
    const out = run(
      '{{ $ca := genCA "the ca" 365 }}{{ $c := genSignedCert "leaf.example" (list "127.0.0.1") (list "leaf.example" "alt.example") 90 $ca }}{{ $ca.Cert }}@@{{ $c.Cert }}@@{{ $c.Key }}',
    );
    const [caPem, leafPem, key] = out.split("@@") as [string, string, string];
    const ca = new X509Certificate(caPem);
    const leaf = new X509Certificate(leafPem);
    expect(leaf.subject).toBe("CN=leaf.example");
    expect(leaf.issuer).toBe("CN=the ca");
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.verify(leaf.publicKey)).toBe(false);
    expect(leaf.ca).toBe(false);
    expect(leaf.subjectAltName).toBe("DNS:leaf.example, DNS:alt.example, IP Address:127.0.0.1");
    expectValidity(leaf, 90);
    expect(keyMatches(leaf, key)).toBe(true);
    expect(keyMatches(ca, key)).toBe(false);
    expectServerClientUsage(leafPem, false);
    const caExt = extensions(caPem);
    const leafExt = extensions(leafPem);
    expect(bytesHex(leafExt.get("2.5.29.35")!.value.value[0] as forge.asn1.Asn1)).toBe(bytesHex(caExt.get("2.5.29.14")!.value));
  });

  it("genSignedCert: a leaf with the CA's own subject gets no AuthorityKeyId (issuer == subject, as in Go)", () => {
    const out = run('{{ $ca := genCA "same" 1 }}{{ (genSignedCert "same" nil nil 1 $ca).Cert }}');
    expect(extensions(out).has("2.5.29.35")).toBe(false);
  });

  it("*WithKey: the given RSA / EC (SEC1 and PKCS#8) / Ed25519 key, with Go's key PEM and signature algorithm", () => {
    const ec384 = generateKeyPairSync("ec", { namedCurve: "secp384r1" }).privateKey;
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const cases: Array<[string, string, string, string]> = [
      ["rsa pkcs1", rsa.export({ type: "pkcs1", format: "pem" }) as string, "RSA PRIVATE KEY", "sha256WithRSAEncryption"],
      ["rsa pkcs8", rsa.export({ type: "pkcs8", format: "pem" }) as string, "RSA PRIVATE KEY", "sha256WithRSAEncryption"],
      ["ecdsa p256", run('{{ genPrivateKey "ecdsa" }}'), "EC PRIVATE KEY", "ecdsa-with-SHA256"],
      ["ecdsa p384 pkcs8", ec384.export({ type: "pkcs8", format: "pem" }) as string, "EC PRIVATE KEY", "ecdsa-with-SHA384"],
      ["ed25519", run('{{ genPrivateKey "ed25519" }}'), "PRIVATE KEY", "ED25519"],
    ];
    for (const [name, keyPem, keyType, sigAlg] of cases) {
      const data = { k: keyPem };
      const ca = cert('genCAWithKey "ca" 10 .k', "", data);
      expect([name, ca.x.ca, ca.x.subject, keyMatches(ca.x, keyPem)]).toEqual([name, true, "CN=ca", true]);
      expect(ca.key.startsWith(`-----BEGIN ${keyType}-----\n`)).toBe(true);
      expect(ca.x.verify(ca.x.publicKey)).toBe(true);
      expectValidity(ca.x, 10);

      const self = cert('genSelfSignedCertWithKey "self" (list "::1") nil 2 .k', "", data);
      expect([name, self.x.ca, self.x.subjectAltName, keyMatches(self.x, keyPem), self.x.verify(self.x.publicKey)]).toEqual([
        name,
        false,
        "IP Address:0:0:0:0:0:0:0:1",
        true,
        true,
      ]);
      expectValidity(self.x, 2);

      // signed by an RSA CA, with the given key as the leaf's
      const out = run(
        '{{ $ca := genCA "rsa ca" 5 }}{{ $ca.Cert }}@@{{ $c := genSignedCertWithKey "leaf" nil (list "l.test") 3 $ca .k }}{{ $c.Cert }}@@{{ $c.Key }}',
        now,
        data,
      );
      const [caPem, leafPem, leafKey] = out.split("@@") as [string, string, string];
      const leaf = new X509Certificate(leafPem);
      expect([name, leaf.issuer, leaf.subject, leaf.checkIssued(new X509Certificate(caPem)), keyMatches(leaf, keyPem)]).toEqual([
        name,
        "CN=rsa ca",
        "CN=leaf",
        true,
        true,
      ]);
      expect(leafKey.startsWith(`-----BEGIN ${keyType}-----\n`)).toBe(true);
      expectValidity(leaf, 3);

      // signed by a CA with this key: the signature algorithm follows the CA key
      const out2 = run('{{ $ca := genCAWithKey "k ca" 5 .k }}{{ $ca.Cert }}@@{{ (genSignedCert "leaf2" nil nil 3 $ca).Cert }}', now, data);
      const [ca2, leaf2] = (out2.split("@@") as [string, string]).map((p) => new X509Certificate(p)) as [X509Certificate, X509Certificate];
      expect([name, leaf2.verify(ca2.publicKey), leaf2.publicKey.asymmetricKeyType]).toEqual([name, true, "rsa"]);
      const sigOid = forge.asn1.derToOid(
        ((forge.asn1.fromDer(leaf2.raw.toString("binary")).value as forge.asn1.Asn1[])[1]!.value as forge.asn1.Asn1[])[0]!.value as string,
      );
      expect([name, sigOid]).toEqual([
        name,
        {
          sha256WithRSAEncryption: "1.2.840.113549.1.1.11",
          "ecdsa-with-SHA256": "1.2.840.10045.4.3.2",
          "ecdsa-with-SHA384": "1.2.840.10045.4.3.3",
          ED25519: "1.3.101.112",
        }[sigAlg],
      ]);
    }
  });

  it("buildCustomCert decodes base64 PEM and returns the struct", () => {
    const out = run(
      '{{ $ca := genCA "c" 1 }}{{ $b := buildCustomCert ($ca.Cert | b64enc) ($ca.Key | b64enc) }}{{ eq $b.Cert $ca.Cert }} {{ eq $b.Key $ca.Key }} {{ typeOf $b }}',
    );
    expect(out).toBe("true true sprig.certificate");
    // usable as a CA
    const leaf = run('{{ $ca := genCA "c" 1 }}{{ $b := buildCustomCert ($ca.Cert | b64enc) ($ca.Key | b64enc) }}{{ (genSignedCert "l" nil nil 1 $b).Cert }}');
    expect(new X509Certificate(leaf).issuer).toBe("CN=c");
    // buildCustomCert needs no clock
    const ca = run('{{ $ca := genCA "c" 1 }}{{ $ca.Cert | b64enc }} {{ $ca.Key | b64enc }}').split(" ") as [string, string];
    expect(run(`{{ (buildCustomCert "${ca[0]}" "${ca[1]}").Cert | len }}`, null)).not.toBe("0");
  });

  it("buildCustomCert errors like sprig", () => {
    const err = (t: string): string => {
      try {
        run(t);
      } catch (e) {
        return (e as Error).message.replace(/^.*error calling buildCustomCert: /, "");
      }
      return "no error";
    };
    const pair = run('{{ $ca := genCA "c" 1 }}{{ $ca.Cert | b64enc }} {{ $ca.Key | b64enc }}').split(" ") as [string, string];
    const b64 = (s: string): string => Buffer.from(s).toString("base64");
    expect(err(`{{ buildCustomCert "!!" "${pair[1]}" }}`)).toBe("unable to decode base64 certificate");
    expect(err(`{{ buildCustomCert "${pair[0]}" "!!" }}`)).toBe("unable to decode base64 private key");
    expect(err(`{{ buildCustomCert "${b64("no pem here")}" "${pair[1]}" }}`)).toBe("unable to decode certificate");
    expect(err(`{{ buildCustomCert "${b64("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")}" "${pair[1]}" }}`)).toMatch(
      /^error parsing certificate: decodedCert\.Bytes: x509: /,
    );
    expect(err(`{{ buildCustomCert "${pair[0]}" "${b64("nope")}" }}`)).toBe("error parsing private key: no PEM data in input");
    expect(err(`{{ buildCustomCert "${pair[0]}" "${pair[0]}" }}`)).toBe("error parsing private key: no private key data in PEM block of type CERTIFICATE");
  });

  it("argument errors: ips, DNS names, keys, CA — in sprig's words", () => {
    const err = (t: string, data: Record<string, unknown> | null = null): string => {
      try {
        run(t, now, data);
      } catch (e) {
        return (e as Error).message.replace(/^.*error calling \w+: /, "");
      }
      return "no error";
    };
    expect(err('{{ genSelfSignedCert "x" (list "1.2.3") nil 1 }}')).toBe("error parsing ip: 1.2.3");
    expect(err('{{ genSelfSignedCert "x" (list "10.0.0.01") nil 1 }}')).toBe("error parsing ip: 10.0.0.01");
    expect(err('{{ genSelfSignedCert "x" (list "fe80::1%eth0") nil 1 }}')).toBe("error parsing ip: fe80::1%eth0");
    expect(err('{{ genSelfSignedCert "x" (list 1) nil 1 }}')).toBe("error parsing ip: 1 is not a string");
    expect(err('{{ genSelfSignedCert "x" (list nil) nil 1 }}')).toBe("error parsing ip: <nil> is not a string");
    expect(err('{{ genSelfSignedCert "x" nil (list "a" 2.5) 1 }}')).toBe("error processing alternate dns name: 2.5 is not a string");
    expect(err('{{ genSelfSignedCert "x" nil (list "bücher.de") 1 }}')).toBe('error creating certificate: x509: "bücher.de" cannot be encoded as an IA5String');
    expect(err('{{ genSelfSignedCert "x" ("a,b" | splitList ",") nil 1 }}')).toMatch(/wrong type for value; expected \[\]interface \{\}; got \[\]string/);
    expect(err('{{ genCA "x" "1" }}')).toMatch(/expected integer; found "1"/);
    expect(err('{{ genCAWithKey "x" 1 "junk" }}')).toBe("parsing private key: no PEM data in input");
    expect(err('{{ genCAWithKey "x" 1 "-----BEGIN FOO PRIVATE KEY-----\\nAAAA\\n-----END FOO PRIVATE KEY-----\\n" }}')).toBe(
      "parsing private key: invalid private key type FOO PRIVATE KEY",
    );
    expect(err('{{ genCAWithKey "x" 1 "-----BEGIN PUBLIC KEY-----\\nAAAA\\n-----END PUBLIC KEY-----\\n" }}')).toBe(
      "parsing private key: no private key data in PEM block of type PUBLIC KEY",
    );
    const ecSec1 = run('{{ genPrivateKey "ecdsa" }}');
    const asRsa = ecSec1.replace(/EC PRIVATE KEY/g, "RSA PRIVATE KEY");
    expect(err('{{ genCAWithKey "x" 1 .k }}', { k: asRsa })).toBe(
      "parsing private key: parsing RSA private key from PEM: x509: failed to parse private key (use ParseECPrivateKey instead for this key format)",
    );
    const pkcs8AsEc = run('{{ genPrivateKey "ed25519" }}').replace(/PRIVATE KEY/g, "EC PRIVATE KEY");
    expect(err('{{ genCAWithKey "x" 1 .k }}', { k: pkcs8AsEc })).toBe(
      "parsing private key: parsing EC private key from PEM: x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)",
    );
    const k1 = generateKeyPairSync("ec", { namedCurve: "secp256k1" }).privateKey;
    expect(err('{{ genCAWithKey "x" 1 .k }}', { k: k1.export({ type: "sec1", format: "pem" }) })).toBe(
      "parsing private key: parsing EC private key from PEM: x509: unknown elliptic curve",
    );
    expect(err('{{ genCAWithKey "x" 1 .k }}', { k: k1.export({ type: "pkcs8", format: "pem" }) })).toBe(
      "parsing private key: decoding PEM as PKCS#8: x509: failed to parse EC private key embedded in PKCS#8: x509: unknown elliptic curve",
    );
    const ed448 = generateKeyPairSync("ed448").privateKey.export({ type: "pkcs8", format: "pem" });
    expect(err('{{ genCAWithKey "x" 1 .k }}', { k: ed448 })).toBe(
      "parsing private key: decoding PEM as PKCS#8: x509: PKCS#8 wrapping contained private key with unknown algorithm: 1.3.101.113",
    );
    // DSA keys parse (sprig's own format) but Go cannot sign with or certify them
    const dsa = run('{{ genPrivateKey "dsa" }}');
    expect(err('{{ genCAWithKey "x" 1 .k }}', { k: dsa })).toBe("error creating certificate: x509: certificate private key does not implement crypto.Signer");
    expect(err('{{ genSelfSignedCertWithKey "x" nil nil 1 .k }}', { k: dsa })).toBe(
      "error creating certificate: x509: certificate private key does not implement crypto.Signer",
    );
    expect(err('{{ genSignedCertWithKey "x" nil nil 1 (genCA "ca" 1) .k }}', { k: dsa })).toBe(
      "error creating certificate: x509: unsupported public key type: *dsa.PublicKey",
    );
    const x25519 = generateKeyPairSync("x25519").privateKey.export({ type: "pkcs8", format: "pem" });
    expect(err('{{ genCAWithKey "x" 1 .k }}', { k: x25519 })).toBe(
      "error creating certificate: x509: certificate private key does not implement crypto.Signer",
    );
    // the CA argument
    expect(err('{{ genSignedCert "x" nil nil 1 (dict "Cert" "a" "Key" "b") }}')).toMatch(
      /wrong type for value; expected sprig\.certificate; got map\[string\]interface \{\}/,
    );
    expect(err('{{ $ca := genCA "ca" 1 }}{{ genSignedCert "x" nil nil 1 (buildCustomCert ($ca.Cert | b64enc) (genPrivateKey "ecdsa" | b64enc)) }}')).toBe(
      "error creating certificate: x509: provided PrivateKey doesn't match parent's PublicKey",
    );
    expect(
      err(
        '{{ $ca := genCA "ca" 1 }}{{ $k := genPrivateKey "ecdsa" }}{{ genSignedCert "x" (list "bad") nil 1 (buildCustomCert ($ca.Cert | b64enc) ($k | b64enc)) }}',
      ),
    ).toBe("error parsing ip: bad");
  });

  it("days: zero, negative and Go's int64 wrap-around of 24h*days", () => {
    const zero = cert('genSelfSignedCert "x" nil nil 0');
    expectValidity(zero.x, 0);
    const neg = cert('genSelfSignedCert "x" nil nil -2');
    expectValidity(neg.x, -2);
    // far future: GeneralizedTime after 2049
    const far = cert('genSelfSignedCert "x" nil nil 36500');
    expectValidity(far.x, 36500);
    expect(far.x.raw.toString("binary")).toContain("\x18\x0f2125");
    // 106752 days overflows time.Duration: Go's notAfter wraps ~292 years back
    const wrapped = cert('genSelfSignedCert "x" nil nil 106752');
    const ns = BigInt.asIntN(64, 86_400_000_000_000n * 106_752n);
    const expected = NOW_S + Math.floor(Number((BigInt(now.getTime()) * 1_000_000n + ns) / 1_000_000n - BigInt(now.getTime())) / 1000) * 1000;
    expect(new Date(wrapped.x.validTo).getTime()).toBeLessThan(NOW_S);
    expect(Math.abs(new Date(wrapped.x.validTo).getTime() - expected)).toBeLessThanOrEqual(1000);
  });

  it("needs the clock: the time comes from the `now` option, never from the system", () => {
    for (const t of [
      '{{ genCA "x" 1 }}',
      '{{ genSelfSignedCert "x" nil nil 1 }}',
      '{{ $ca := genCAWithKey "x" 1 .k }}',
      '{{ genSelfSignedCertWithKey "x" nil nil 1 .k }}',
    ]) {
      expect(() => run(t, null, { k: run('{{ genPrivateKey "ecdsa" }}') })).toThrow(
        /needs the current time, but the template was executed without a clock \(pass \{ now \}/,
      );
    }
    // argument errors come first, as in Go (time.Now() is read after the IPs and DNS names are checked)
    expect(() => run('{{ genSelfSignedCert "x" (list "nope") nil 1 }}', null)).toThrow(/error parsing ip: nope/);
    const data = { automation: { namespace: "ns", name: "a" }, result: { fileChanges: {} } };
    expect(renderCommitMessage('{{ (genCA "x" 1).Cert | len | lt 100 }}', data)).toMatchObject({ ok: false, code: "template.exec" });
    expect(renderCommitMessage('{{ (genCA "x" 1).Cert | len | lt 100 }}', data, { now })).toEqual({ ok: true, message: "true" });
    const other = cert('genCA "x" 1');
    const later = new Date("2031-01-02T03:04:05.999Z");
    const out = run('{{ (genCA "x" 1).Cert }}', later);
    expect(new Date(new X509Certificate(out).validFrom).toISOString()).toBe("2031-01-02T03:04:05.000Z");
    expect(other.x.validFrom).not.toBe(new X509Certificate(out).validFrom);
  });
});

describe("helpers", () => {
  it("net.ParseIP as x509 encodes it", () => {
    const hex = (s: string): string | undefined => {
      const b = parseIPForCert(s);
      return b && Buffer.from(b).toString("hex");
    };
    expect(hex("192.168.0.1")).toBe("c0a80001");
    expect(hex("::ffff:192.168.0.1")).toBe("c0a80001");
    expect(hex("::1")).toBe("00000000000000000000000000000001");
    expect(hex("::")).toBe("00000000000000000000000000000000");
    expect(hex("2001:db8::")).toBe("20010db8000000000000000000000000");
    expect(hex("1:2:3:4:5:6:7:8")).toBe("00010002000300040005000600070008");
    expect(hex("1:2:3:4:5:6:1.2.3.4")).toBe("00010002000300040005000601020304");
    for (const bad of [
      "",
      "1.2.3.4.5",
      "256.1.1.1",
      "01.1.1.1",
      "1:2:3:4:5:6:7:8:9",
      "1::2::3",
      "12345::",
      "1:2:3:4:5:6:7::8",
      ":1",
      "1:",
      "::1%lo",
      "1.2.3.4:80",
      "a.b.c.d",
      "1:2:3:4:5:6:7:1.2.3.4",
    ]) {
      expect([bad, hex(bad)]).toEqual([bad, undefined]);
    }
  });
  it("pem.Decode like Go: first valid block, headers, skips malformed blocks", () => {
    expect(pemDecode("junk\n-----BEGIN X-----\nAQID\n-----END X-----\n")).toEqual({ type: "X", bytes: Buffer.from([1, 2, 3]) });
    expect(pemDecode("-----BEGIN X-----\nProc-Type: 4\n\nAQID\n-----END X-----")).toEqual({ type: "X", bytes: Buffer.from([1, 2, 3]) });
    expect(pemDecode("-----BEGIN X-----\nA!ID\n-----END X-----\n-----BEGIN Y-----\nAQ ID\n-----END Y-----\n")).toEqual({
      type: "Y",
      bytes: Buffer.from([1, 2, 3]),
    });
    expect(pemDecode("-----BEGIN X-----\nAQID\n-----END Y-----\n")).toBeUndefined();
    expect(pemDecode("-----BEGIN X-----\n-----END X-----\n")).toEqual({ type: "X", bytes: Buffer.alloc(0) });
    expect(pemDecode("nothing")).toBeUndefined();
  });
});
