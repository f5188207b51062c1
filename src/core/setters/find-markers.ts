/**
 * Finds the scalar nodes Flux's setter walk would look at, and the marker
 * attached to each (kyaml `setters2` over go-yaml v3's comments), with the source offsets needed to
 * rewrite them in place.
 *
 * Attachment is decided from the source text, not from `yaml`'s comment
 * fields (which attribute comments differently from go-yaml):
 * - line comment: `#…` after the scalar on the same line (for block scalars,
 *   the comment on the `|`/`>` header line);
 * - head comment, only for scalar items of block sequences and only when
 *   there is no line comment: exactly one comment line directly above the
 *   item's `- ` line (a longer comment block is never a marker, because the
 *   whole block would have to be the JSON).
 * Only values of block mappings and items of block sequences are visited;
 * keys and the contents of flow collections never are.
 */
import { CST, isAlias, isMap, isScalar, isSeq, parseAllDocuments } from "yaml";
import { yamlOverBudget } from "../yaml-budget.js";
import type { Node, Scalar } from "yaml";
import type { ObjectIdentifier } from "../types.js";
import { parseMarkerComment } from "./markers.js";
import type { ScalarStyle } from "./quote.js";

/** A scalar with a marker, and where its text lives. */
export interface MarkedScalar {
  object: ObjectIdentifier;
  setter: string;
  oldValue: string;
  style: ScalarStyle;
  /** Offset where the value (or block header) starts; used for line numbers. */
  offset: number;
  /** Inline scalars: span of the scalar source text. */
  start: number;
  end: number;
  /** Block scalars only. */
  /** `parentIndent` is the indentation `n` of the enclosing collection, which an indentation indicator is relative to. */
  block?: { headerStart: number; headerEnd: number; bodyStart: number; bodyEnd: number; indent: string; parentIndent: number; eol: string };
}

export type FoundMarkers = { ok: true; sites: MarkedScalar[] } | { ok: false; message: string; offset?: number; tooComplex?: boolean };

type Token = NonNullable<Scalar["srcToken"]>;

/** kyaml splits documents on lines starting with `---`; anything but a comment after it is an error. */
const SEPARATOR_LINE = /^---([^\r\n]*)/gm;

function checkSeparators(text: string): { message: string; offset: number } | null {
  SEPARATOR_LINE.lastIndex = 0;
  for (let m = SEPARATOR_LINE.exec(text); m; m = SEPARATOR_LINE.exec(text)) {
    const rest = m[1] ?? "";
    if (!/^(?:[ \t]*|[ \t]+#.*)$/.test(rest)) {
      return { message: "content after a `---` document separator (Flux's YAML reader rejects it)", offset: m.index };
    }
  }
  return null;
}

export function findMarkers(text: string): FoundMarkers {
  const bad = checkSeparators(text);
  if (bad) return { ok: false, ...bad };
  const heavy = yamlOverBudget(text);
  if (heavy) return { ok: false, message: heavy, tooComplex: true };
  // yaml's own uniqueKeys check is quadratic in the map size; walkDocument checks instead.
  const docs = parseAllDocuments(text, { keepSourceTokens: true, uniqueKeys: false });
  if (!Array.isArray(docs)) return { ok: true, sites: [] };
  const sites: MarkedScalar[] = [];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) return { ok: false, message: err.message.split("\n")[0] ?? "invalid YAML", offset: err.pos[0] };
    const root = doc.contents;
    if (root === null || (isScalar(root) && !root.srcToken && root.value === null)) continue; // empty document
    if (!isMap(root)) {
      return { ok: false, message: "document root is not a mapping (Flux's YAML reader rejects it)", offset: root.range?.[0] };
    }
    const dup = walkDocument(text, root, objectIdentifier(root), sites);
    if (dup) return { ok: false, message: `duplicate mapping key "${dup.key}"`, offset: dup.offset };
  }
  return { ok: true, sites };
}

/** Walks one document; returns the first duplicate mapping key (go-yaml rejects those). */
function walkDocument(text: string, root: Node, object: ObjectIdentifier, out: MarkedScalar[]): { key: string; offset?: number } | null {
  // Explicit stack: deep nesting must not overflow the call stack.
  const stack: Array<{ node: Node; prevEnd: number; seqItem: boolean }> = [{ node: root, prevEnd: -1, seqItem: false }];
  while (stack.length > 0) {
    const { node, prevEnd, seqItem } = stack.pop()!;
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const item of node.items) {
        const k: unknown = item.key;
        if (!isScalar(k)) continue;
        const id = `${typeof k.value}:${String(k.value)}`;
        if (seen.has(id)) return { key: String(k.value), offset: k.range?.[0] };
        seen.add(id);
      }
      if (node.flow) continue;
      for (let i = node.items.length - 1; i >= 0; i--) {
        const v = node.items[i]!.value;
        if (v && !isAlias(v)) stack.push({ node: v as Node, prevEnd: -1, seqItem: false });
      }
    } else if (isSeq(node)) {
      if (node.flow) continue;
      for (let i = node.items.length - 1; i >= 0; i--) {
        const v = node.items[i];
        if (!v || isAlias(v)) continue;
        const prev = i > 0 ? (node.items[i - 1] as Node | null) : null;
        stack.push({ node: v as Node, prevEnd: prev?.range?.[1] ?? -1, seqItem: true });
      }
    } else if (isScalar(node)) {
      const site = markedScalar(text, node, object, seqItem, prevEnd);
      if (site) out.push(site);
    }
  }
  return null;
}

function markedScalar(text: string, node: Scalar, object: ObjectIdentifier, seqItem: boolean, prevEnd: number): MarkedScalar | null {
  const tok = node.srcToken as Token | undefined;
  if (!tok) return null;
  let lineComment: string | null;
  let block: MarkedScalar["block"];
  let style: ScalarStyle;
  let end = tok.offset;
  if (tok.type === "block-scalar") {
    const header = findProp(tok.props, "block-scalar-header");
    const newline = findProp(tok.props, "newline");
    if (!header) return null;
    lineComment = findProp(tok.props, "comment")?.source ?? null;
    style = header.source.startsWith(">") ? "folded" : "literal";
    const bodyStart = newline ? newline.offset + newline.source.length : header.offset + header.source.length;
    block = {
      headerStart: header.offset,
      headerEnd: header.offset + header.source.length,
      bodyStart,
      bodyEnd: bodyStart + tok.source.length,
      indent: blockIndent(text, header.offset, header.source, tok.source, tok.indent),
      parentIndent: tok.indent,
      eol: newline?.source === "\r\n" ? "\r\n" : "\n",
    };
  } else if (tok.type === "scalar" || tok.type === "single-quoted-scalar" || tok.type === "double-quoted-scalar") {
    if (tok.source === "") return null;
    style = tok.type === "scalar" ? "plain" : tok.type === "single-quoted-scalar" ? "single" : "double";
    end = tok.offset + tok.source.length;
    lineComment = commentAfter(text, end);
  } else {
    return null;
  }
  const comment = lineComment ?? (seqItem ? headComment(text, tok.offset, prevEnd) : null);
  if (comment === null) return null;
  const setter = parseMarkerComment(comment);
  if (setter === null) return null;
  const oldValue = CST.resolveAsScalar(tok)?.value ?? "";
  return { object, setter, oldValue, style, offset: tok.offset, start: tok.offset, end, block };
}

interface PropToken {
  type: string;
  offset: number;
  source: string;
}

function findProp(props: readonly unknown[], type: string): PropToken | undefined {
  return (props as PropToken[]).find((p) => p.type === type && typeof p.source === "string");
}

/** The `#…` comment following `pos` on the same line, if separated by blanks. */
function commentAfter(text: string, pos: number): string | null {
  let i = pos;
  while (text[i] === " " || text[i] === "\t") i++;
  if (i === pos || text[i] !== "#") return null;
  return text.slice(i, lineEnd(text, i));
}

function lineEnd(text: string, pos: number): number {
  let e = text.indexOf("\n", pos);
  if (e < 0) e = text.length;
  if (e > pos && text[e - 1] === "\r") e--;
  return e;
}

function lineStart(text: string, pos: number): number {
  return text.lastIndexOf("\n", pos - 1) + 1;
}

const ITEM_PREFIX = /^[ \t]*-[ \t]+(?:[&!][^ \t]*[ \t]+)*$/;
const COMMENT_LINE = /^[ \t]*(#[^\r\n]*)\r?$/;

/**
 * The head comment of a scalar sequence item: one comment line directly
 * above the item's `- ` line, not preceded by another comment line.
 */
function headComment(text: string, itemOffset: number, prevEnd: number): string | null {
  const ls = lineStart(text, itemOffset);
  if (!ITEM_PREFIX.test(text.slice(ls, itemOffset))) return null;
  if (ls === 0) return null;
  const cs = lineStart(text, ls - 1);
  if (cs < prevEnd) return null; // still inside the previous item (e.g. a block scalar)
  const m = COMMENT_LINE.exec(text.slice(cs, ls - 1));
  if (!m) return null;
  if (cs > 0) {
    const above = text.slice(lineStart(text, cs - 1), cs - 1);
    if (COMMENT_LINE.test(above)) return null; // multi-line comment block
  }
  return m[1] ?? null;
}

/** Indentation of an existing block scalar's content lines. */
function blockIndent(text: string, headerOffset: number, header: string, body: string, parentIndent: number): string {
  const ls = lineStart(text, headerOffset);
  const lineIndent = /^[ ]*/.exec(text.slice(ls, headerOffset))?.[0].length ?? 0;
  const explicit = /[1-9]/.exec(header);
  // The indicator counts from the enclosing collection's indentation, not the line's (`- key: |2`).
  if (explicit) return " ".repeat(parentIndent + Number(explicit[0]));
  const first = /^(?:[ ]*\r?\n)*([ ]*)\S/.exec(body);
  if (first?.[1]) return first[1];
  return " ".repeat(lineIndent + 2);
}

function scalarText(node: unknown): string {
  if (!isScalar(node)) return "";
  const tok = node.srcToken as Token | undefined;
  if (tok) return CST.resolveAsScalar(tok)?.value ?? "";
  return node.value === null || node.value === undefined ? "" : String(node.value);
}

function mapGet(map: unknown, key: string): unknown {
  if (!isMap(map)) return undefined;
  for (const item of map.items) {
    const k: unknown = item.key;
    if (isScalar(k) && String(k.value) === key) return item.value;
  }
  return undefined;
}

/** Flux's ObjectIdentifier: apiVersion, kind, metadata.name, metadata.namespace ("" when absent). */
export function objectIdentifier(root: unknown): ObjectIdentifier {
  const meta = mapGet(root, "metadata");
  return {
    apiVersion: scalarText(mapGet(root, "apiVersion")),
    kind: scalarText(mapGet(root, "kind")),
    name: scalarText(mapGet(meta, "name")),
    namespace: scalarText(mapGet(meta, "namespace")),
  };
}
