/**
 * Rewrites the marked values of one file in place: every replacement is a
 * splice of the original text, so indentation, comments, blank lines,
 * quoting of other nodes, CRLF line ends and document separators survive
 * byte for byte (unlike Flux, which re-serialises the file, IAC#844).
 */
import type { Change, ObjectIdentifier } from "../types.js";
import type { Problem } from "../errors.js";
import { problem } from "../errors.js";
import type { MarkerInfo } from "./model.js";
import { doubleQuote, fitsBlock, formatBlock, formatInline } from "./quote.js";
import type { Resolver } from "./resolve.js";
import type { MarkedScalar, FoundMarkers } from "./find-markers.js";
import { findMarkers } from "./find-markers.js";

export interface FileOutcome {
  /** New text, or null when nothing changed. */
  content: string | null;
  changes: Array<{ object: ObjectIdentifier; change: Change }>;
  markers: MarkerInfo[];
  problems: Problem[];
}

interface Splice {
  start: number;
  end: number;
  text: string;
}

/** 1-based line numbers for offsets visited in increasing order. */
function lineCounter(text: string): (offset: number) => number {
  let pos = 0;
  let line = 1;
  return (offset) => {
    if (offset < pos) {
      pos = 0;
      line = 1;
    }
    for (let i = text.indexOf("\n", pos); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) line++;
    pos = offset;
    return line;
  };
}

/** Whole-file checks that make Flux skip or mishandle the file. */
function unsupportedList(sites: MarkedScalar[]): boolean {
  return sites.some((s) => (s.object.kind === "List" || s.object.kind === "ResourceList") && s.object.apiVersion !== "");
}

/** `skip`: `file:line` of markers to leave as they are (set to different values by two automations). */
export function applyToFile(path: string, text: string, resolver: Resolver, skip?: ReadonlySet<string>): FileOutcome {
  const out: FileOutcome = { content: null, changes: [], markers: [], problems: [] };
  let found: FoundMarkers;
  try {
    found = findMarkers(text);
  } catch (e) {
    found = { ok: false as const, message: e instanceof Error ? e.message : String(e), offset: undefined };
  }
  const lineOf = lineCounter(text);
  if (!found.ok && found.tooComplex) {
    out.problems.push(
      problem(
        "setters.too-complex",
        `The file contains an image policy marker but holds ${found.message}, more than the bot scans for markers in one file; its markers are not updated. Split the file.`,
        { file: path },
      ),
    );
    return out;
  }
  if (!found.ok) {
    const line = found.offset === undefined ? undefined : lineCounter(text)(found.offset);
    out.problems.push(
      problem(
        "setters.unparsable",
        `The file contains an image policy marker but cannot be read as Kubernetes YAML (${found.message}); Flux skips it. ` +
          `Fix the YAML so that every document is a mapping.`,
        { file: path, ...(line ? { line } : {}) },
      ),
    );
    return out;
  }
  if (unsupportedList(found.sites)) {
    out.problems.push(
      problem(
        "setters.list-unsupported",
        "Markers inside a `kind: List` file are not supported (Flux writes updated items to a new file). Split the list into separate documents.",
        { file: path, severity: "warning" },
      ),
    );
    return out;
  }
  const splices: Splice[] = [];
  for (const site of found.sites) {
    const line = lineOf(site.offset);
    const r = resolver(site.setter);
    if (r.policy !== undefined && r.field !== undefined) {
      out.markers.push({
        file: path,
        line,
        setter: site.setter,
        policy: r.policy,
        field: r.field,
        value: site.oldValue,
        ...(r.ok ? { newValue: r.value } : {}),
        object: { ...site.object },
      });
    }
    if (!r.ok) {
      const object = r.policy ? `ImagePolicy/${r.policy.replace(":", "/")}` : undefined;
      out.problems.push(problem(r.code, r.message, { file: path, line, severity: r.severity, ...(object ? { object } : {}) }));
      continue;
    }
    if (r.value === site.oldValue || skip?.has(`${path}:${line}`)) continue;
    splices.push(...replacement(text, site, r.value));
    out.changes.push({ object: { ...site.object }, change: { oldValue: site.oldValue, newValue: r.value, setter: site.setter } });
  }
  if (splices.length > 0) out.content = splice(text, splices);
  return out;
}

function replacement(text: string, site: MarkedScalar, value: string): Splice[] {
  const b = site.block;
  if (!b || site.style === "plain" || site.style === "single" || site.style === "double") {
    return [{ start: site.start, end: site.end, text: formatInline(value, site.style as "plain" | "single" | "double") }];
  }
  const atEofWithoutEol = b.bodyEnd === text.length && !text.endsWith("\n");
  // A value a block scalar cannot carry (a \r that go-yaml reads as a line break, a
  // whitespace-only line, a final line break at the end of the file) becomes a
  // double-quoted scalar on the header line, so it can never add keys or comments.
  if (!fitsBlock(value, b.indent, b.parentIndent) || (atEofWithoutEol && value.endsWith("\n"))) {
    return [
      { start: b.headerStart, end: b.headerEnd, text: doubleQuote(value) },
      { start: b.bodyStart, end: b.bodyEnd, text: "" },
    ];
  }
  const nb = formatBlock(value, site.style === "folded" ? "folded" : "literal", b.indent, b.eol, b.parentIndent);
  let body = nb.body;
  // At the end of a file without a final line break, do not add one.
  if (atEofWithoutEol && body.endsWith(b.eol)) body = body.slice(0, -b.eol.length);
  return [
    { start: b.headerStart, end: b.headerEnd, text: nb.header },
    { start: b.bodyStart, end: b.bodyEnd, text: body },
  ];
}

function splice(text: string, splices: Splice[]): string {
  const sorted = [...splices].sort((a, b) => a.start - b.start);
  let out = "";
  let pos = 0;
  for (const s of sorted) {
    out += text.slice(pos, s.start) + s.text;
    pos = s.end;
  }
  return out + text.slice(pos);
}
