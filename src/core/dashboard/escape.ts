/**
 * Escaping for text that comes from users (image names, tags, messages, file
 * paths, comment bodies) before it goes into GitHub-flavoured markdown.
 *
 * Every character that could start markdown or HTML syntax, break a table
 * cell (`|`) or a line becomes an HTML character reference, which GitHub
 * shows as the plain character. `@` is escaped too so text cannot mention
 * (and notify) people, and `://` and `www.` so it cannot become a link.
 */

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
  "|": "&#124;",
  "\\": "&#92;",
  "*": "&#42;",
  _: "&#95;",
  "[": "&#91;",
  "]": "&#93;",
  "~": "&#126;",
  "@": "&#64;",
  "#": "&#35;",
  "!": "&#33;",
  $: "&#36;",
};

// C0 controls other than tab, DEL, and the Unicode line/paragraph separators and bidi overrides.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Escapes user text for one markdown line (newlines become spaces), truncated to `max` characters. */
export function esc(text: string, max = 300): string {
  let s = String(text)
    .replace(/\r\n?|\n/g, " ")
    .replace(CONTROL, "");
  if (s.length > max) s = `${s.slice(0, max - 1)}…`;
  // `://` and `www.` would be autolinked by GFM even inside <code> (it is HTML, not a code span).
  return s
    .replace(/[&<>"'`|\\*_[\]~@#!$]/g, (c) => ENTITIES[c] ?? c)
    .replace(/:\/\//g, "&#58;//")
    .replace(/\b(www)\./gi, "$1&#46;");
}

/** User text as inline code; `<code>` with escaped content cannot be broken out of, unlike a backtick span. */
export function code(text: string, max = 300): string {
  return `<code>${esc(text, max)}</code>`;
}

/**
 * A link only when the URL is an http(s) URL without characters that would end
 * the markdown link (plain http for GitHub Enterprise Server without TLS).
 */
export function link(label: string, url: string | undefined): string {
  if (!url || !/^https?:\/\/[^\s()<>"'`|\\]+$/.test(url)) return label;
  return `[${label}](${url})`;
}

/** A fenced code block the text cannot close: the fence is longer than any run of backticks in it. */
export function fenced(text: string, info = ""): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${text}\n${fence}`;
}
