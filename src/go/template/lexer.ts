/** Lexer for Go text/template (default delimiters). */

export type ItemType =
  | "error"
  | "bool"
  | "char"
  | "charconst"
  | "assign"
  | "declare"
  | "eof"
  | "field"
  | "identifier"
  | "leftDelim"
  | "leftParen"
  | "number"
  | "pipe"
  | "rawString"
  | "rightDelim"
  | "rightParen"
  | "space"
  | "string"
  | "text"
  | "variable"
  | "comment"
  // keywords
  | "block"
  | "break"
  | "continue"
  | "dot"
  | "define"
  | "else"
  | "end"
  | "if"
  | "nil"
  | "range"
  | "template"
  | "with";

export interface Item {
  typ: ItemType;
  pos: number;
  val: string;
  line: number;
}

const KEYWORDS: Record<string, ItemType> = {
  ".": "dot",
  block: "block",
  break: "break",
  continue: "continue",
  define: "define",
  else: "else",
  end: "end",
  if: "if",
  range: "range",
  nil: "nil",
  template: "template",
  with: "with",
};

export function isKeyword(t: ItemType): boolean {
  return ["block", "break", "continue", "dot", "define", "else", "end", "if", "nil", "range", "template", "with"].includes(t);
}

const LD = "{{";
const RD = "}}";
const isSpace = (c: string | undefined): boolean => c === " " || c === "\t" || c === "\r" || c === "\n";
const isAlnum = (c: string): boolean => c === "_" || /^[\p{L}\p{Nd}]$/u.test(c);

function hasLeftTrim(s: string, at: number): boolean {
  return s[at] === "-" && isSpace(s[at + 1]);
}
function hasRightTrim(s: string, at: number): boolean {
  return isSpace(s[at]) && s[at + 1] === "-";
}

function fmtU(c: string): string {
  const cp = c.codePointAt(0)!;
  return `U+${cp.toString(16).toUpperCase().padStart(4, "0")} '${c}'`;
}

/** Tokenises the whole input; the last item is eof or error. */
export function lex(input: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let start = 0;
  let line = 1;
  let startLine = 1;
  let parenDepth = 0;

  const emit = (typ: ItemType): void => {
    items.push({ typ, pos: start, val: input.slice(start, pos), line: startLine });
    start = pos;
    startLine = line;
  };
  const ignore = (): void => {
    line += countNL(input.slice(start, pos));
    start = pos;
    startLine = line;
  };
  const advance = (n: number): void => {
    line += countNL(input.slice(pos, pos + n));
    pos += n;
  };
  const error = (msg: string): Item[] => {
    items.push({ typ: "error", pos: start, val: msg, line: startLine });
    return items;
  };
  const atTerminator = (): boolean => {
    const r = input[pos];
    if (r === undefined || isSpace(r)) return true;
    if (".,|:)(".includes(r)) return true;
    return input.startsWith(RD, pos);
  };
  const atRightDelim = (): [boolean, boolean] => {
    if (hasRightTrim(input, pos) && input.startsWith(RD, pos + 2)) return [true, true];
    if (input.startsWith(RD, pos)) return [true, false];
    return [false, false];
  };

  // lexText
  for (;;) {
    const x = input.indexOf(LD, pos);
    if (x < 0) {
      advance(input.length - pos);
      if (pos > start) emit("text");
      items.push({ typ: "eof", pos, val: "", line });
      return items;
    }
    if (x > pos) {
      advance(x - pos);
      let trim = 0;
      if (hasLeftTrim(input, pos + LD.length)) {
        let k = pos;
        while (k > start && isSpace(input[k - 1])) k--;
        trim = pos - k;
      }
      const val = input.slice(start, pos - trim);
      if (val.length > 0) items.push({ typ: "text", pos: start, val, line: startLine });
      start = pos;
      startLine = line;
    }
    // lexLeftDelim
    pos += LD.length;
    const trimSpace = hasLeftTrim(input, pos);
    const after = trimSpace ? 2 : 0;
    if (input.startsWith("/*", pos + after)) {
      pos += after;
      ignore();
      pos += 2;
      const i = input.indexOf("*/", pos);
      if (i < 0) return error("unclosed comment");
      advance(i + 2 - pos);
      const [delim, trimR] = atRightDelim();
      if (!delim) return error("comment ends before closing delimiter");
      if (trimR) pos += 2;
      pos += RD.length;
      if (trimR) while (isSpace(input[pos])) advance(1);
      ignore();
      continue;
    }
    emit("leftDelim");
    pos += after;
    ignore();
    parenDepth = 0;
    // lexInsideAction
    for (;;) {
      const [delim, trimR] = atRightDelim();
      if (delim) {
        if (parenDepth !== 0) return error("unclosed left paren");
        if (trimR) {
          pos += 2;
          ignore();
        }
        pos += RD.length;
        emit("rightDelim");
        if (trimR) {
          while (isSpace(input[pos])) advance(1);
          ignore();
        }
        break;
      }
      const r = input[pos];
      if (r === undefined) return error("unclosed action");
      if (isSpace(r)) {
        let n = 0;
        while (isSpace(input[pos])) {
          advance(1);
          n++;
        }
        if (hasRightTrim(input, pos - 1) && input.startsWith(RD, pos + 1)) {
          pos--;
          if (input[pos] === "\n") line--;
          if (n === 1) continue;
        }
        emit("space");
        continue;
      }
      const cp = String.fromCodePoint(input.codePointAt(pos)!);
      pos += cp.length;
      if (r === "=") emit("assign");
      else if (r === ":") {
        if (input[pos] !== "=") return error("expected :=");
        pos++;
        emit("declare");
      } else if (r === "|") emit("pipe");
      else if (r === '"') {
        for (;;) {
          const c = input[pos++];
          if (c === "\\") {
            const d = input[pos];
            if (d !== undefined && d !== "\n") {
              pos++;
              continue;
            }
            return error("unterminated quoted string");
          }
          if (c === undefined || c === "\n") return error("unterminated quoted string");
          if (c === '"') break;
        }
        emit("string");
      } else if (r === "`") {
        const i = input.indexOf("`", pos);
        if (i < 0) return error("unterminated raw quoted string");
        advance(i + 1 - pos);
        emit("rawString");
      } else if (r === "$") {
        if (atTerminator()) emit("variable");
        else {
          while (pos < input.length && isAlnum(String.fromCodePoint(input.codePointAt(pos)!))) pos++;
          if (!atTerminator()) return error(`bad character ${fmtU(String.fromCodePoint(input.codePointAt(pos)!))}`);
          emit("variable");
        }
      } else if (r === "'") {
        for (;;) {
          const c = input[pos++];
          if (c === "\\") {
            if (input[pos] !== undefined && input[pos] !== "\n") {
              pos++;
              continue;
            }
            return error("unterminated character constant");
          }
          if (c === undefined || c === "\n") return error("unterminated character constant");
          if (c === "'") break;
        }
        emit("charconst");
      } else if (r === "." && pos < input.length && !(input[pos]! >= "0" && input[pos]! <= "9")) {
        if (atTerminator()) emit("dot");
        else {
          while (pos < input.length && isAlnum(String.fromCodePoint(input.codePointAt(pos)!))) pos++;
          if (!atTerminator()) return error(`bad character ${fmtU(String.fromCodePoint(input.codePointAt(pos)!))}`);
          emit("field");
        }
      } else if (r === "." || r === "+" || r === "-" || (r >= "0" && r <= "9")) {
        pos--;
        if (!scanNumber()) return error(`bad number syntax: ${JSON.stringify(input.slice(start, pos))}`);
        emit("number");
      } else if (isAlnum(cp)) {
        while (pos < input.length && isAlnum(String.fromCodePoint(input.codePointAt(pos)!))) pos++;
        if (!atTerminator()) return error(`bad character ${fmtU(String.fromCodePoint(input.codePointAt(pos)!))}`);
        const word = input.slice(start, pos);
        const kw = Object.hasOwn(KEYWORDS, word) ? KEYWORDS[word] : undefined;
        if (kw) emit(kw);
        else if (word === "true" || word === "false") emit("bool");
        else emit("identifier");
      } else if (r === "(") {
        emit("leftParen");
        parenDepth++;
      } else if (r === ")") {
        parenDepth--;
        if (parenDepth < 0) return error(`unexpected right paren ${fmtU(r)}`);
        emit("rightParen");
      } else if (cp.codePointAt(0)! < 0x7f && cp.codePointAt(0)! >= 0x20) emit("char");
      else return error(`unrecognized character in action: ${fmtU(cp)}`);
    }
  }

  function scanNumber(): boolean {
    if (input[pos] === "+" || input[pos] === "-") pos++;
    let digits = "0123456789_";
    if (input[pos] === "0" && /[xXoObB]/.test(input[pos + 1] ?? "")) {
      const b = input[pos + 1]!.toLowerCase();
      pos += 2;
      digits = b === "x" ? "0123456789abcdefABCDEF_" : b === "o" ? "01234567_" : "01_";
    }
    const run = (set: string): void => {
      while (pos < input.length && set.includes(input[pos]!)) pos++;
    };
    run(digits);
    if (input[pos] === ".") {
      pos++;
      run(digits);
    }
    if (digits.length === 11 && /[eE]/.test(input[pos] ?? "")) {
      pos++;
      if (input[pos] === "+" || input[pos] === "-") pos++;
      run("0123456789_");
    }
    if (digits.length === 23 && /[pP]/.test(input[pos] ?? "")) {
      pos++;
      if (input[pos] === "+" || input[pos] === "-") pos++;
      run("0123456789_");
    }
    if (input[pos] === "i") pos++;
    if (pos < input.length && isAlnum(String.fromCodePoint(input.codePointAt(pos)!))) {
      pos++;
      return false;
    }
    return true;
  }
}

function countNL(s: string): number {
  let n = 0;
  for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) n++;
  return n;
}
