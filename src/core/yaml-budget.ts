import { Lexer } from "yaml";

/**
 * How much YAML structure one file may make the bot compose. `yaml` builds a node object per scalar and collection (keeping source tokens) and a
 * Document with its own Schema per `---` document: about 10-25 µs and 1 KB each, so a 1 MB file of tiny
 * nodes or documents cost seconds and hundreds of MB. Counting is cheap (the lexer stops at the budget),
 * composing is not, so files over budget are refused before they are composed. The setters use it
 * (setters.too-complex); any other reader of tenant YAML can.
 */
export const MAX_DOCUMENTS = 1000;
export const MAX_STRUCTURE_TOKENS = 100_000;

/** kyaml's document separator: a line starting with `---`. */
const SEPARATOR_LINE = /^---/gm;

/** Why `text` is over the budget (more documents or structure than allowed), or null. */
export function yamlOverBudget(text: string): string | null {
  let documents = 0;
  SEPARATOR_LINE.lastIndex = 0;
  while (SEPARATOR_LINE.exec(text)) {
    if (++documents > MAX_DOCUMENTS) return `more than ${MAX_DOCUMENTS} YAML documents`;
  }
  let tokens = 0;
  for (const tok of new Lexer().lex(text)) {
    // blanks, line breaks, comments and the lexer's scalar flag are not structure
    const c = tok.charCodeAt(0);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x23 || c === 0x1f) continue;
    if (++tokens > MAX_STRUCTURE_TOKENS) return `more than ${MAX_STRUCTURE_TOKENS} YAML nodes and indicators`;
  }
  return null;
}
