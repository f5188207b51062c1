/**
 * Go's unicode.ToUpper, ToLower and ToTitle (unicode/letter.go, tables CaseRanges) and the strings
 * functions built on them (strings.ToUpper, ToLower, Title in strings/strings.go): one rune at a time,
 * with Unicode's simple case mappings (UnicodeData.txt), never the full ones of SpecialCasing.txt that
 * JavaScript's toUpperCase applies. So `ß` stays `ß` under ToUpper, `ﬃ` stays `ﬃ`, `İ` lowers to `i`,
 * and the title case of `ǆ` is `ǅ`.
 *
 * A rune's JavaScript mapping is the simple one whenever it is a single code point; the tables below
 * hold where they differ. Go's tables are Unicode 15.0 (Go 1.21 and later, which Flux builds with):
 * case pairs that newer Unicode versions added, and JavaScript engines may know, are left unmapped.
 */

const cp = (c: string): number => c.codePointAt(0)!;
const ch = (n: number): string => String.fromCodePoint(n);

/** Runes whose full uppercase is several code points but whose simple uppercase is one other rune. */
function simpleUpperOfMulti(r: number): number {
  // Greek with ypogegrammeni: ᾀ..ᾇ → ᾈ..ᾏ (and the ῃ/ῳ/ᾳ forms); the capitals map to themselves.
  if ((r >= 0x1f80 && r <= 0x1f87) || (r >= 0x1f90 && r <= 0x1f97) || (r >= 0x1fa0 && r <= 0x1fa7)) return r + 8;
  if (r === 0x1fb3 || r === 0x1fc3 || r === 0x1ff3) return r + 9;
  return r;
}

/** Case pairs added after Unicode 15.0, which Go's tables do not have. */
const NEWER_THAN_GO: ReadonlyArray<readonly [number, number]> = [
  [0x1c89, 0x1c8a],
  [0xa7cb, 0xa7cf],
  [0xa7d2, 0xa7d5],
  [0xa7da, 0xa7dc],
  [0x10d50, 0x10d65],
  [0x10d70, 0x10d85],
  [0x16ea0, 0x16eb8],
  [0x16ebb, 0x16ed3],
];
const newerThanGo = (r: number): boolean => NEWER_THAN_GO.some(([lo, hi]) => r >= lo && r <= hi);

function simple(r: number, full: string, multi: (r: number) => number): number {
  const first = full.codePointAt(0)!;
  const mapped = full.length === ch(first).length ? first : multi(r);
  return mapped !== r && (newerThanGo(r) || newerThanGo(mapped)) ? r : mapped;
}

/** unicode.ToUpper */
export function toUpperRune(r: number): number {
  if (r < 0x80) return r >= 0x61 && r <= 0x7a ? r - 32 : r;
  return simple(r, ch(r).toUpperCase(), simpleUpperOfMulti);
}

/** unicode.ToLower */
export function toLowerRune(r: number): number {
  if (r < 0x80) return r >= 0x41 && r <= 0x5a ? r + 32 : r;
  // İ is the one rune whose full lowercase (i + combining dot) differs from its simple one (i).
  return simple(r, ch(r).toLowerCase(), (x) => (x === 0x130 ? 0x69 : x));
}

/** Digraphs with a title case of their own: Ǆ ǅ ǆ → ǅ, Ǉ ǈ ǉ → ǈ, Ǌ ǋ ǌ → ǋ, Ǳ ǲ ǳ → ǲ. */
const DIGRAPH_TITLE: ReadonlyArray<readonly [number, number]> = [
  [0x1c4, 0x1c5],
  [0x1c7, 0x1c8],
  [0x1ca, 0x1cb],
  [0x1f1, 0x1f2],
];

/** unicode.ToTitle: the uppercase except for the digraphs above and Georgian Mkhedruli, whose title case is itself. */
export function toTitleRune(r: number): number {
  for (const [lo, title] of DIGRAPH_TITLE) if (r >= lo && r <= lo + 2) return title;
  if ((r >= 0x10d0 && r <= 0x10fa) || (r >= 0x10fd && r <= 0x10ff)) return r;
  return toUpperRune(r);
}

const mapRunes = (s: string, f: (r: number) => number): string => {
  let out = "";
  for (const c of s) out += ch(f(cp(c)));
  return out;
};

/** strings.ToUpper */
export const toUpper = (s: string): string => mapRunes(s, toUpperRune);
/** strings.ToLower */
export const toLower = (s: string): string => mapRunes(s, toLowerRune);

/** unicode.IsSpace: Latin-1's \t \n \v \f \r space U+0085 U+00A0, then the White_Space property. */
export function isSpaceRune(r: number): boolean {
  if (r <= 0xff) return r === 0x20 || (r >= 0x09 && r <= 0x0d) || r === 0x85 || r === 0xa0;
  return /^\p{White_Space}$/u.test(ch(r));
}

/** strings.Title's isSeparator: ASCII other than letters, digits and `_`; beyond ASCII only spaces. */
function isSeparator(r: number): boolean {
  if (r < 0x80) return !((r >= 0x30 && r <= 0x39) || (r >= 0x41 && r <= 0x5a) || (r >= 0x61 && r <= 0x7a) || r === 0x5f);
  if (/^[\p{L}\p{Nd}]$/u.test(ch(r))) return false;
  return isSpaceRune(r);
}

/** strings.Title: the title case of each rune that follows a separator (or starts the string). */
export function title(s: string): string {
  let prev = 0x20;
  let out = "";
  for (const c of s) {
    const r = cp(c);
    out += ch(isSeparator(prev) ? toTitleRune(r) : r);
    prev = r;
  }
  return out;
}
