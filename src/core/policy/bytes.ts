/**
 * Go string ordering: byte-wise over UTF-8. UTF-8 byte order equals code
 * point order, which differs from JS's UTF-16 code-unit order only for
 * astral characters (surrogates) against U+E000..U+FFFF.
 */
export function compareBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    const sa = ca >= 0xd800 && ca <= 0xdfff;
    const sb = cb >= 0xd800 && cb <= 0xdfff;
    if (sa !== sb) return sa ? 1 : -1;
    return ca < cb ? -1 : 1;
  }
  return a.length - b.length;
}

/** Descending byte-wise order, stable (Array.prototype.sort is stable). */
export function sortDescending(tags: readonly string[]): string[] {
  return [...tags].sort((x, y) => compareBytes(y, x));
}
