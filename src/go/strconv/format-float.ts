/** Go strconv.FormatFloat for 'e', 'E', 'f', 'F', 'g', 'G', 'b', 'x', 'X' (bitSize 64). */

interface Digits {
  d: string; // significant digits, no trailing zeros ("" for zero)
  dp: number; // decimal point position
}

function shortest(x: number): Digits {
  if (x === 0) return { d: "", dp: 0 };
  const [m, e] = x.toExponential().split("e") as [string, string];
  const d = m.replace(".", "").replace(/0+$/, "");
  return { d, dp: Number(e) + 1 };
}

/** Exact decimal digits of a finite positive double. */
function exact(x: number): Digits {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  const exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let e2: number;
  if (exp === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = exp - 1075;
  }
  let digits: string;
  let dp: number;
  if (e2 >= 0) {
    digits = (mant << BigInt(e2)).toString();
    dp = digits.length;
  } else {
    const v = mant * 5n ** BigInt(-e2);
    digits = v.toString();
    dp = digits.length + e2;
  }
  const d = digits.replace(/0+$/, "");
  return { d, dp };
}

/** Rounds exact digits to n digits (half to even on exact ties, like Go's strconv). */
function roundDigits(g: Digits, n: number): Digits {
  if (n < 0) return { d: "", dp: g.dp };
  if (g.d.length <= n) return g;
  const next = g.d.charCodeAt(n) - 48;
  const rest = g.d.slice(n + 1);
  let up = next > 5 || (next === 5 && (rest.length > 0 || (n > 0 && (g.d.charCodeAt(n - 1) - 48) % 2 === 1)));
  if (next === 5 && rest.length === 0 && n === 0) up = false;
  let d = g.d.slice(0, n);
  let dp = g.dp;
  if (up) {
    let i = d.length - 1;
    const arr = d.split("");
    while (i >= 0 && arr[i] === "9") {
      arr[i] = "0";
      i--;
    }
    if (i < 0) {
      arr.unshift("1");
      dp++;
      arr.pop();
    } else arr[i] = String(Number(arr[i]) + 1);
    d = arr.join("");
  }
  return { d: d.replace(/0+$/, ""), dp };
}

function rounded(x: number, sig: number): Digits {
  if (x === 0) return { d: "", dp: 0 };
  return roundDigits(exact(x), Math.max(sig, 1));
}

function digitAt(g: Digits, i: number): string {
  return i >= 0 && i < g.d.length ? g.d[i]! : "0";
}

function fmtE(neg: boolean, g: Digits, prec: number, ch: string): string {
  let s = neg ? "-" : "";
  s += g.d.length === 0 ? "0" : g.d[0]!;
  if (prec > 0) {
    s += ".";
    for (let i = 1; i <= prec; i++) s += digitAt(g, i);
  }
  s += ch;
  let exp = g.d.length === 0 ? 0 : g.dp - 1;
  if (exp < 0) {
    s += "-";
    exp = -exp;
  } else s += "+";
  s += exp < 10 ? `0${exp}` : String(exp);
  return s;
}

function fmtF(neg: boolean, g: Digits, prec: number): string {
  let s = neg ? "-" : "";
  if (g.dp > 0) {
    for (let i = 0; i < g.dp; i++) s += digitAt(g, i);
  } else s += "0";
  if (prec > 0) {
    s += ".";
    for (let i = 1; i <= prec; i++) s += digitAt(g, g.dp + i - 1);
  }
  return s;
}

export function formatFloat(x: number, fmt: string, prec: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "+Inf";
  if (x === -Infinity) return "-Inf";
  const neg = x < 0 || Object.is(x, -0);
  if (fmt === "b" || fmt === "x" || fmt === "X") return formatBinary(x, fmt, prec, neg);
  const a = Math.abs(x);
  const isShortest = prec < 0;
  switch (fmt) {
    case "e":
    case "E": {
      const g = isShortest ? shortest(a) : rounded(a, prec + 1);
      return fmtE(neg, g, isShortest ? Math.max(g.d.length - 1, 0) : prec, fmt);
    }
    case "f":
    case "F": {
      if (isShortest) {
        const g = shortest(a);
        return fmtF(neg, g, Math.max(g.d.length - g.dp, 0));
      }
      if (a === 0) return fmtF(neg, { d: "", dp: 0 }, prec);
      const ex = exact(a);
      return fmtF(neg, roundDigits(ex, ex.dp + prec), prec);
    }
    case "g":
    case "G": {
      let p = prec;
      if (p === 0) p = 1;
      const g = isShortest ? shortest(a) : rounded(a, p);
      let eprec = p;
      const nd = Math.max(g.d.length, 1);
      const dp = g.d.length === 0 ? 1 : g.dp;
      if (eprec > nd && nd >= dp) eprec = nd;
      if (isShortest) eprec = 6;
      const exp = dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (isShortest || p > nd) p = nd;
        return fmtE(neg, g, p - 1, fmt === "g" ? "e" : "E");
      }
      if (isShortest || p > dp) p = nd;
      return fmtF(neg, g, Math.max(p - dp, 0));
    }
  }
  return String(x);
}

const U64 = (v: bigint): bigint => BigInt.asUintN(64, v);

/** strconv's fmtB ('b': -ddddp±ddd) and fmtX ('x'/'X': -0x1.hhhp±dd) on the raw float bits. */
function formatBinary(x: number, fmt: string, prec: number, neg: boolean): string {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  let exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  if (exp === 0) exp++;
  else mant |= 1n << 52n;
  exp += -1023;
  const sign = neg ? "-" : "";
  if (fmt === "b") {
    const e = exp - 52;
    return `${sign}${mant}p${e >= 0 ? "+" : ""}${e}`;
  }
  if (mant === 0n) exp = 0;
  mant = U64(mant << 8n);
  while (mant !== 0n && (mant & (1n << 60n)) === 0n) {
    mant = U64(mant << 1n);
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = U64(mant << shift) & ((1n << 60n) - 1n);
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant = U64(mant << (60n - shift));
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  const hex = fmt === "X" ? "0123456789ABCDEF" : "0123456789abcdef";
  let out = `${sign}0${fmt}${(mant >> 60n) & 1n}`;
  mant = U64(mant << 4n);
  if (prec < 0 && mant !== 0n) {
    out += ".";
    while (mant !== 0n) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = U64(mant << 4n);
    }
  } else if (prec > 0) {
    out += ".";
    for (let i = 0; i < prec; i++) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = U64(mant << 4n);
    }
  }
  out += fmt === "X" ? "P" : "p";
  out += exp < 0 ? "-" : "+";
  const e = Math.abs(exp);
  out += e < 100 ? String(e).padStart(2, "0") : String(e);
  return out;
}
