/** Go strconv.FormatFloat for 'e', 'E', 'f', 'F', 'g', 'G' (bitSize 64). */

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

function rounded(x: number, sig: number): Digits {
  if (x === 0) return { d: "", dp: 0 };
  const [m, e] = x.toExponential(Math.min(Math.max(sig - 1, 0), 100)).split("e") as [string, string];
  const d = m.replace(".", "").replace(/0+$/, "");
  return { d, dp: Number(e) + 1 };
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
      if (a < 1e21) {
        const s = a.toFixed(Math.min(prec, 100));
        return (neg ? "-" : "") + s + (prec > 100 ? "0".repeat(prec - 100) : "");
      }
      return fmtF(neg, shortest(a), prec);
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
