/** Parser for Go text/template, producing the AST of ast.ts. */
import type { ActionNode, CommandNode, ListNode, Node, NumberNode, PipeNode, TemplateNode, TreeInfo } from "./ast.js";
import { nodeString } from "./ast.js";
import { goQuote } from "../strconv/quote.js";
import { type Item, type ItemType, isKeyword, lex } from "./lexer.js";
import { TemplateError } from "./errors.js";
import { unescapeChar, unquote } from "../strconv/literals.js";
import { parseGoInt } from "../strconv/parse-int.js";
import { parseGoFloat } from "../strconv/parse-float.js";

export interface Tree {
  name: string;
  root: ListNode;
}

function itemString(i: Item): string {
  if (i.typ === "eof") return "EOF";
  if (i.typ === "error") return i.val;
  if (isKeyword(i.typ)) return `<${i.val}>`;
  if ([...i.val].length > 10) return goQuote([...i.val].slice(0, 10).join("")) + "...";
  return goQuote(i.val);
}

export function parse(parseName: string, text: string, hasFunc: (name: string) => boolean): Map<string, Tree> {
  const items = lex(text);
  let idx = 0;
  let last: Item = items[0]!;
  const trees = new Map<string, Tree>();
  let vars: string[] = ["$"];
  let rangeDepth = 0;
  let actionLine = 0;
  let info: TreeInfo = { name: parseName, parseName, text };

  const fail = (msg: string): never => {
    throw new TemplateError(`template: ${parseName}:${last.line}: ${msg}`, "parse");
  };
  const next = (): Item => {
    last = items[Math.min(idx, items.length - 1)]!;
    idx = Math.min(idx + 1, items.length);
    return last;
  };
  const backup = (n = 1): void => {
    idx -= n;
  };
  const peek = (): Item => items[Math.min(idx, items.length - 1)]!;
  const nextNonSpace = (): Item => {
    let t: Item;
    do t = next();
    while (t.typ === "space");
    return t;
  };
  const peekNonSpace = (): Item => {
    const t = nextNonSpace();
    backup();
    return t;
  };
  const unexpected = (t: Item, context: string): never => {
    if (t.typ === "error") {
      let extra = "";
      if (actionLine !== 0 && actionLine !== t.line) {
        extra = ` in action started at ${parseName}:${actionLine}`;
        if (t.val.endsWith(" action")) extra = extra.slice(" in action".length);
      }
      return fail(`${t.val}${extra}`);
    }
    return fail(`unexpected ${itemString(t)} in ${context}`);
  };
  const expect = (typ: ItemType, context: string): Item => {
    const t = nextNonSpace();
    if (t.typ !== typ) unexpected(t, context);
    return t;
  };
  const list = (pos: number): ListNode => ({ type: "list", pos, tree: info, nodes: [] });

  function add(name: string, root: ListNode): void {
    const old = trees.get(name);
    if (!old || isEmpty(old.root)) {
      trees.set(name, { name, root });
      return;
    }
    if (!isEmpty(root)) fail(`template: multiple definition of template ${goQuote(name)}`);
  }

  function itemList(): [ListNode, Node] {
    const l = list(peekNonSpace().pos);
    while (peekNonSpace().typ !== "eof") {
      const n = textOrAction();
      const nt = (n as { type: string }).type;
      if (nt === "end" || nt === "else") return [l, n as unknown as Node];
      l.nodes.push(n);
    }
    return fail("unexpected EOF");
  }

  type Marker = { type: "end" | "else"; pos: number; line: number };
  function textOrAction(): Node | (Node & Marker) {
    const t = nextNonSpace();
    if (t.typ === "text") return { type: "text", pos: t.pos, tree: info, text: t.val };
    if (t.typ === "leftDelim") {
      actionLine = t.line;
      try {
        return action();
      } finally {
        actionLine = 0;
      }
    }
    return unexpected(t, "input");
  }

  function action(): Node {
    const t = nextNonSpace();
    switch (t.typ) {
      case "block":
        return blockControl();
      case "break":
      case "continue": {
        const tk = nextNonSpace();
        if (tk.typ !== "rightDelim") unexpected(tk, `{{${t.typ}}}`);
        if (rangeDepth === 0) fail(`{{${t.typ}}} outside {{range}}`);
        return { type: t.typ, pos: t.pos, tree: info } as Node;
      }
      case "else": {
        const p = peekNonSpace();
        if (p.typ === "if" || p.typ === "with") return { type: "else", pos: p.pos, line: p.line } as unknown as Node;
        const tk = expect("rightDelim", "else");
        return { type: "else", pos: tk.pos, line: tk.line } as unknown as Node;
      }
      case "end": {
        const tk = expect("rightDelim", "end");
        return { type: "end", pos: tk.pos } as unknown as Node;
      }
      case "if":
      case "range":
      case "with":
        return control(t.typ);
      case "template":
        return templateControl();
    }
    backup();
    const tk = peek();
    const a: ActionNode = { type: "action", pos: tk.pos, line: tk.line, tree: info, pipe: pipeline("command", "rightDelim") };
    return a;
  }

  function control(context: "if" | "range" | "with"): Node {
    const saved = vars.length;
    try {
      const pipe = pipeline(context, "rightDelim");
      if (context === "range") rangeDepth++;
      let [l, nxt] = itemList();
      if (context === "range") rangeDepth--;
      let elseList: ListNode | undefined;
      if ((nxt as { type: string }).type === "else") {
        if ((context === "if" && peek().typ === "if") || (context === "with" && peek().typ === "with")) {
          next();
          elseList = list(nxt.pos);
          elseList.nodes.push(control(context));
        } else {
          [elseList, nxt] = itemList();
          if ((nxt as { type: string }).type !== "end") fail(`expected end; found {{else}}`);
        }
      }
      return { type: context, pos: pipe.pos, line: pipe.line, tree: info, pipe, list: l, elseList } as Node;
    } finally {
      vars = vars.slice(0, saved);
    }
  }

  function parseTemplateName(t: Item, context: string): string {
    if (t.typ === "string" || t.typ === "rawString") {
      try {
        return unquote(t.val);
      } catch {
        return fail("invalid syntax");
      }
    }
    return unexpected(t, context);
  }

  function templateControl(): TemplateNode {
    const context = "template clause";
    const t = nextNonSpace();
    const name = parseTemplateName(t, context);
    let pipe: PipeNode | undefined;
    if (nextNonSpace().typ !== "rightDelim") {
      backup();
      pipe = pipeline(context, "rightDelim");
    }
    return { type: "template", pos: t.pos, line: t.line, tree: info, name, pipe };
  }

  function blockControl(): TemplateNode {
    const context = "block clause";
    const t = nextNonSpace();
    const name = parseTemplateName(t, context);
    const pipe = pipeline(context, "rightDelim");
    const saved = { vars, rangeDepth, info };
    vars = ["$"];
    rangeDepth = 0;
    info = { name, parseName, text };
    const [root, end] = itemList();
    if ((end as { type: string }).type !== "end") fail(`unexpected {{else}} in ${context}`);
    add(name, root);
    ({ vars, rangeDepth, info } = saved);
    return { type: "template", pos: t.pos, line: t.line, tree: info, name, pipe };
  }

  function pipeline(context: string, end: ItemType): PipeNode {
    const tk = peekNonSpace();
    const pipe: PipeNode = { type: "pipe", pos: tk.pos, line: tk.line, tree: info, isAssign: false, decl: [], cmds: [] };
    for (;;) {
      const v = peekNonSpace();
      if (v.typ !== "variable") break;
      next();
      const after = peek();
      const nx = peekNonSpace();
      if (nx.typ === "assign" || nx.typ === "declare") {
        pipe.isAssign = nx.typ === "assign";
        nextNonSpace();
        pipe.decl.push({ type: "variable", pos: v.pos, tree: info, ident: v.val.split(".") });
        vars.push(v.val);
      } else if (nx.typ === "char" && nx.val === ",") {
        nextNonSpace();
        pipe.decl.push({ type: "variable", pos: v.pos, tree: info, ident: v.val.split(".") });
        vars.push(v.val);
        if (context === "range" && pipe.decl.length < 2) {
          const p = peekNonSpace().typ;
          if (p === "variable" || p === "rightDelim" || p === "rightParen") continue;
          fail("range can only initialize variables");
        }
        fail(`too many declarations in ${context}`);
      } else if (after.typ === "space") {
        backup(2);
      } else {
        backup(1);
      }
      break;
    }
    for (;;) {
      const t = nextNonSpace();
      if (t.typ === end) {
        if (pipe.cmds.length === 0) fail(`missing value for ${context}`);
        pipe.cmds.slice(1).forEach((c, i) => {
          const k = c.args[0]!.type;
          if (k === "bool" || k === "dot" || k === "nil" || k === "number" || k === "string") {
            fail(`non executable command in pipeline stage ${i + 2}`);
          }
        });
        return pipe;
      }
      switch (t.typ) {
        case "bool":
        case "charconst":
        case "dot":
        case "field":
        case "identifier":
        case "number":
        case "nil":
        case "rawString":
        case "string":
        case "variable":
        case "leftParen":
          backup();
          pipe.cmds.push(command());
          break;
        default:
          unexpected(t, context);
      }
    }
  }

  function command(): CommandNode {
    const cmd: CommandNode = { type: "command", pos: peekNonSpace().pos, tree: info, args: [] };
    for (;;) {
      peekNonSpace();
      const op = operand();
      if (op) cmd.args.push(op);
      const t = next();
      if (t.typ === "space") continue;
      if (t.typ === "rightDelim" || t.typ === "rightParen") backup();
      else if (t.typ !== "pipe") unexpected(t, "operand");
      break;
    }
    if (cmd.args.length === 0) fail("empty command");
    return cmd;
  }

  function operand(): Node | undefined {
    let node = term();
    if (!node) return undefined;
    if (peek().typ === "field") {
      const pos = peek().pos;
      const fields: string[] = [];
      while (peek().typ === "field") fields.push(...next().val.slice(1).split("."));
      switch (node.type) {
        case "field":
          node = { type: "field", pos, tree: info, ident: [...node.ident, ...fields] };
          break;
        case "variable":
          node = { type: "variable", pos, tree: info, ident: [...node.ident, ...fields] };
          break;
        case "bool":
        case "string":
        case "number":
        case "nil":
        case "dot":
          fail(`unexpected . after term ${goQuote(nodeString(node))}`);
          break;
        default:
          node = { type: "chain", pos, tree: info, node, fields };
      }
    }
    return node;
  }

  function term(): Node | undefined {
    const t = nextNonSpace();
    switch (t.typ) {
      case "identifier":
        if (!hasFunc(t.val)) fail(`function ${goQuote(t.val)} not defined`);
        return { type: "identifier", pos: t.pos, tree: info, name: t.val };
      case "dot":
        return { type: "dot", pos: t.pos, tree: info };
      case "nil":
        return { type: "nil", pos: t.pos, tree: info };
      case "variable": {
        const ident = t.val.split(".");
        if (!vars.includes(ident[0]!)) fail(`undefined variable ${goQuote(ident[0]!)}`);
        return { type: "variable", pos: t.pos, tree: info, ident };
      }
      case "field":
        return { type: "field", pos: t.pos, tree: info, ident: t.val.slice(1).split(".") };
      case "bool":
        return { type: "bool", pos: t.pos, tree: info, val: t.val === "true" };
      case "charconst":
      case "number":
        return number(t);
      case "leftParen":
        return pipeline("parenthesized pipeline", "rightParen");
      case "string":
      case "rawString": {
        let s: string;
        try {
          s = unquote(t.val);
        } catch {
          return fail("invalid syntax");
        }
        return { type: "string", pos: t.pos, tree: info, quoted: t.val, text: s };
      }
    }
    backup();
    return undefined;
  }

  function number(t: Item): NumberNode {
    const n: NumberNode = { type: "number", pos: t.pos, tree: info, text: t.val, isInt: false, isUint: false, isFloat: false, int: 0n, float: 0 };
    if (t.typ === "charconst") {
      let cp: number;
      try {
        const body = t.val.slice(1, -1);
        if (body.startsWith("\\")) {
          const [ch, end] = unescapeChar(body, 1, "'");
          if (end !== body.length) throw new SyntaxError("x");
          cp = ch.codePointAt(0)!;
        } else {
          if ([...body].length !== 1) throw new SyntaxError("x");
          cp = body.codePointAt(0)!;
        }
      } catch {
        return fail(`malformed character constant: ${t.val}`);
      }
      return { ...n, isInt: true, isUint: true, isFloat: true, int: BigInt(cp), float: cp };
    }
    const text = t.val;
    if (text.endsWith("i")) fail(`complex constants are not supported: ${text}`);
    const i = parseGoInt(text);
    if (i !== undefined && i >= -(2n ** 63n) && i < 2n ** 63n) {
      return { ...n, isInt: true, isUint: i >= 0n, isFloat: true, int: i, float: Number(i) };
    }
    if (i !== undefined && i >= 0n && i < 2n ** 64n) return { ...n, isUint: true, isFloat: true, int: i, float: Number(i) };
    const f = parseGoFloat(text);
    if (f !== null) {
      if (!/[.eEpP]/.test(text)) fail(`integer overflow: ${goQuote(text)}`);
      const res = { ...n, isFloat: true, float: f };
      if (Number.isInteger(f) && Math.abs(f) < 2 ** 63) {
        res.isInt = true;
        res.int = BigInt(f);
        res.isUint = f >= 0;
      }
      return res;
    }
    return fail(`illegal number syntax: ${goQuote(text)}`);
  }

  // top level
  add(
    parseName,
    (() => {
      const root = list(peek().pos);
      while (peek().typ !== "eof") {
        if (peek().typ === "leftDelim") {
          const delim = next();
          if (nextNonSpace().typ === "define") {
            const t = nextNonSpace();
            if (t.typ !== "string" && t.typ !== "rawString") unexpected(t, "define clause");
            let name: string;
            try {
              name = unquote(t.val);
            } catch {
              return fail("invalid syntax");
            }
            expect("rightDelim", "define clause");
            const saved = { vars, info };
            vars = ["$"];
            info = { name, parseName, text };
            const [root2, end] = itemList();
            if ((end as { type: string }).type !== "end") fail("unexpected {{else}} in define clause");
            add(name, root2);
            ({ vars, info } = saved);
            continue;
          }
          idx = items.indexOf(delim);
        }
        const n = textOrAction();
        const ty = (n as { type: string }).type;
        if (ty === "end" || ty === "else") fail(`unexpected {{${ty}}}`);
        root.nodes.push(n);
      }
      return root;
    })(),
  );
  return trees;
}

function isEmpty(n: Node): boolean {
  switch (n.type) {
    case "list":
      return n.nodes.every(isEmpty);
    case "text":
      return n.text.trim().length === 0;
    default:
      return false;
  }
}
