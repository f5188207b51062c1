import { describe, expect, it } from "@jest/globals";
import { renderCommitMessage } from "../../../src/core/template/index.js";
import { executeTemplate, parseTemplate } from "../../../src/go/index.js";
import { decryptAES, derivePassword, encryptAES, genPrivateKey } from "../../../src/go/sprig/crypto.js";
import { formatTime, parseDuration, parseTime } from "../../../src/go/time/index.js";

const now = new Date("2025-06-15T12:00:00.400Z");
const run = (t: string, clock?: Date): string => executeTemplate(parseTemplate("t", t), null, undefined, { now: clock });
const data = { automation: { namespace: "ns", name: "a" }, result: { fileChanges: {} } };

describe("sprig dates with an injected clock", () => {
  it("ago rounds the time since to seconds", () => {
    expect(run('{{ ago (toDate "2006-01-02T15:04:05Z07:00" "2025-06-15T10:29:59Z") }}', now)).toBe("1h30m1s");
    expect(run("{{ ago (int64 1749988800) }}", now)).toBe("0s");
    expect(run('{{ ago (toDate "2006-01-02" "2025-06-16") }}', now)).toBe("-12h0m0s");
    expect(run('{{ ago "not a time" }}')).toBe("0s");
  });
  it("durationRound of a time uses the clock", () => {
    expect(run('{{ durationRound (toDate "2006-01-02" "2024-01-01") }}', now)).toBe("1y");
    expect(run('{{ durationRound (toDate "2006-01-02" "2025-06-01") }}', now)).toBe("14d");
  });
  it("fails clearly without a clock, and renderCommitMessage passes opts.now", () => {
    expect(() => run('{{ ago (toDate "2006-01-02" "2024-01-01") }}')).toThrow(/error calling ago: ago needs the current time/);
    const r = renderCommitMessage('{{ durationRound (toDate "2006-01-02" "2025-06-14") }}', data);
    expect(r).toMatchObject({ ok: false, code: "template.exec" });
    expect(renderCommitMessage('{{ durationRound (toDate "2006-01-02" "2025-06-14") }}', data, { now })).toEqual({ ok: true, message: "1d" });
  });
  it("formats and parses Go layouts", () => {
    const t = parseTime("2006-01-02T15:04:05.999999999Z07:00", "2024-02-29T23:59:58.000000500-03:00");
    expect(formatTime(t, "Mon Jan _2 15:04:05.000000000 MST 2006")).toBe("Thu Feb 29 23:59:58.000000500 -0300 2024");
    expect(parseDuration("1h2m3.5s")).toBe(3_723_500_000_000n);
    expect(() => parseDuration("1d")).toThrow('time: unknown unit "d" in duration "1d"');
  });
});

describe("sprig crypto", () => {
  it("derivePassword matches Go (fixed vector)", () => {
    expect(derivePassword(1, "long", "password", "user", "example.com")).toBe("ZedaFaxcZaso9*");
  });
  it("encryptAES/decryptAES round-trip with a random IV", () => {
    const a = encryptAES("k", "hello");
    const b = encryptAES("k", "hello");
    expect(a).not.toBe(b);
    expect(Buffer.from(a, "base64")).toHaveLength(32);
    expect(decryptAES("k", a)).toBe("hello");
  });
  it("genPrivateKey produces PEM of each type", () => {
    expect(genPrivateKey("ecdsa")).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n[\s\S]+\n-----END EC PRIVATE KEY-----\n$/);
    expect(genPrivateKey("ed25519")).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(genPrivateKey("dsa")).toMatch(/^-----BEGIN DSA PRIVATE KEY-----\nMII/);
    expect(genPrivateKey("x")).toBe("Unknown type x");
  });
  it("certificate functions need the clock (see sprig-certs.test.ts)", () => {
    expect(() => run('{{ genCA "x" 1 }}')).toThrow(/error calling genCA: genCA needs the current time/);
  });
});

describe("bcrypt and htpasswd", () => {
  it("make Go-style $2a$ hashes that verify", async () => {
    const bcryptjs = (await import("bcryptjs")).default;
    const out = renderCommitMessage('{{ bcrypt "hunter2" }}|{{ htpasswd "bob" "pw" }}|{{ htpasswd "a:b" "pw" }}', {
      automation: { namespace: "n", name: "a" },
      result: { fileChanges: {} },
    });
    expect(out.ok).toBe(true);
    const [hash, htp, bad] = (out as { message: string }).message.split("|");
    expect(hash).toMatch(/^\$2a\$10\$[./A-Za-z0-9]{53}$/);
    expect(bcryptjs.compareSync("hunter2", hash)).toBe(true);
    expect(htp).toMatch(/^bob:\$2a\$10\$/);
    expect(bcryptjs.compareSync("pw", htp.slice(4))).toBe(true);
    expect(bad).toBe("invalid username: a:b");
  });
});
