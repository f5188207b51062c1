/** Executes a parsed template with Go text/template semantics. */
import type { ChainNode, CommandNode, FieldNode, ListNode, Node, NumberNode, PipeNode, RangeNode, VariableNode } from "./ast.js";
import { nodeString } from "./ast.js";
import { BUILTINS, T_REFLECT } from "./builtins.js";
import { FuncError, TemplateError } from "./errors.js";
import { goQuote } from "../strconv/quote.js";
import { formatArg } from "./fmt.js";
import type { Tree } from "./parser.js";
import { sortedEntries } from "./sort.js";
import { callWeight } from "./weights.js";
import {
  assignable,
  canBeNil,
  findField,
  findMethod,
  GoFunc,
  GoInt,
  GoMap,
  GoSlice,
  GoStruct,
  type GoType,
  type GoValue,
  int,
  isIntKind,
  isUintKind,
  NO_VALUE,
  T_ANY,
  T_INT,
  T_STRING,
  truth,
  typeOfValue,
  type Val,
  zeroOf,
} from "./value.js";

export type FuncMap = Record<string, GoFunc>;

export interface Limits {
  maxOutput: number;
  maxSteps: number;
  maxDepth: number;
}
export const DEFAULT_LIMITS: Limits = { maxOutput: 1 << 20, maxSteps: 2_000_000, maxDepth: 200 };

/** Per-execution options. */
export interface ExecOptions {
  /**
   * The clock for sprig's `ago` and `durationRound` (Go's time.Now()). src/core is pure, so the
   * caller passes it in; without it those functions fail when they need the current time.
   */
  now?: Date;
}

/** What a function implementation sees as `this` (functions are called with the ExecState). */
export interface ExecContext {
  readonly options: ExecOptions;
}

const MISSING: unique symbol = Symbol("missing");
type Final = Val | typeof MISSING;

class Break {}
class Continue {}

interface Var {
  name: string;
  value: Val;
}

export class ExecState implements ExecContext {
  private vars: Var[] = [];
  private node: Node | undefined;
  private out: string[] = [];
  private outLen = 0;
  private steps = 0;
  private depth = 0;
  private tmplName: string;

  constructor(
    private readonly trees: Map<string, Tree>,
    private readonly funcs: FuncMap,
    private readonly limits: Limits,
    name: string,
    readonly options: ExecOptions = {},
  ) {
    this.tmplName = name;
  }

  run(name: string, input: Val): string {
    const data: Val = input === null || input === undefined ? NO_VALUE : input;
    const tree = this.trees.get(name);
    this.vars = [{ name: "$", value: data }];
    if (!tree) throw new TemplateError(`template: ${name}: ${goQuote(name)} is an incomplete or empty template`, "exec");
    this.walk(data, tree.root);
    return this.out.join("");
  }

  /** Like errorf, for a bound of ours (steps, output): a TemplateError of kind "budget". */
  private budgetf(msg: string): never {
    try {
      return this.errorf(msg);
    } catch (e) {
      throw new TemplateError((e as Error).message, "budget");
    }
  }

  errorf(msg: string): never {
    const name = this.tmplName;
    const n = this.node;
    if (!n) throw new TemplateError(`template: ${name}: ${msg}`, "exec");
    const enc = new TextEncoder();
    const before = n.tree.text.slice(0, n.pos);
    const nl = before.lastIndexOf("\n");
    const line = 1 + (before.match(/\n/g)?.length ?? 0);
    const col = enc.encode(nl < 0 ? before : before.slice(nl + 1)).length;
    const ctx = nodeString(n);
    throw new TemplateError(`template: ${n.tree.parseName}:${line}:${col}: executing ${goQuote(name)} at <${ctx}>: ${msg}`, "exec");
  }

  at(n: Node): void {
    this.node = n;
    if (++this.steps > this.limits.maxSteps) this.budgetf(`execution exceeded ${this.limits.maxSteps} steps`);
  }

  /** Charges `n` more steps for a costly call (see weights.ts) before it runs. */
  private charge(n: number): void {
    this.steps += n;
    if (this.steps > this.limits.maxSteps) this.budgetf(`execution exceeded ${this.limits.maxSteps} steps`);
  }

  private write(s: string): void {
    this.outLen += s.length;
    if (this.outLen > this.limits.maxOutput) this.budgetf(`output exceeds ${this.limits.maxOutput} characters`);
    this.out.push(s);
  }

  private walk(dot: Val, node: Node): void {
    this.at(node);
    switch (node.type) {
      case "action": {
        const v = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, v);
        return;
      }
      case "break":
        throw new Break();
      case "continue":
        throw new Continue();
      case "if":
      case "with": {
        const mark = this.vars.length;
        const v = this.evalPipeline(dot, node.pipe);
        if (truth(v)) this.walk(node.type === "with" ? v : dot, node.list);
        else if (node.elseList) this.walk(dot, node.elseList);
        this.vars.length = mark;
        return;
      }
      case "list":
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case "range":
        this.walkRange(dot, node);
        return;
      case "template": {
        const tree = this.trees.get(node.name);
        if (!tree) this.errorf(`template ${goQuote(node.name)} not defined`);
        if (this.depth >= this.limits.maxDepth) this.errorf(`exceeded maximum template depth (${this.limits.maxDepth})`);
        const newDot = node.pipe ? this.evalPipeline(dot, node.pipe) : NO_VALUE;
        const saved = { vars: this.vars, name: this.tmplName };
        this.vars = [{ name: "$", value: newDot }];
        this.tmplName = node.name;
        this.depth++;
        try {
          this.walk(newDot, tree!.root);
        } finally {
          this.depth--;
          this.vars = saved.vars;
          this.tmplName = saved.name;
        }
        return;
      }
      case "text":
        this.write(node.text);
        return;
      default:
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  private walkRange(dot: Val, r: RangeNode): void {
    this.at(r);
    const outer = this.vars.length;
    try {
      const val = this.evalPipeline(dot, r.pipe);
      const mark = this.vars.length;
      const decl = r.pipe.decl;
      const one = (index: Val, elem: Val): void => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) this.setVar(decl[0]!.ident[0]!, decl.length > 1 ? index : elem);
          else this.vars[mark - 1]!.value = elem;
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1]!.ident[0]!, elem);
          else this.vars[mark - 2]!.value = index;
        }
        const inner = this.vars.length;
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (!(e instanceof Continue)) throw e;
        } finally {
          this.vars.length = inner;
        }
      };
      let ran = false;
      if (val instanceof GoSlice) {
        val.items.forEach((x, i) => {
          one(int(i), x);
        });
        ran = val.items.length > 0;
      } else if (val instanceof GoMap) {
        for (const [k, x] of sortedEntries(val)) one(k, x);
        ran = val.size > 0;
      } else if (val instanceof GoInt && (isIntKind(val.type.kind) || isUintKind(val.type.kind))) {
        if (decl.length > 1) this.errorf(`can't use ${formatArg(val, "v")} to iterate over more than one variable`);
        const n = val.v;
        for (let i = 0n; i < n; i++) one(new GoInt(i, val.type), new GoInt(i, val.type));
        ran = n > 0n;
      } else if (val !== NO_VALUE && val !== null) {
        this.errorf(`range can't iterate over ${formatArg(val, "v")}`);
      }
      if (!ran && r.elseList) this.walk(dot, r.elseList);
    } catch (e) {
      if (!(e instanceof Break)) throw e;
    } finally {
      this.vars.length = outer;
    }
  }

  private setVar(name: string, value: Val): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private varValue(name: string): Val {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    return this.errorf(`undefined variable: ${name}`);
  }

  private printValue(n: Node, v: Val): void {
    this.at(n);
    if (v === NO_VALUE) {
      this.write("<no value>");
      return;
    }
    if (v instanceof GoFunc) this.errorf(`can't print ${nodeString(n)} of type ${typeOfValue(v)!.name}`);
    this.write(formatArg(v, "v"));
  }

  evalPipeline(dot: Val, pipe: PipeNode): Val {
    this.at(pipe);
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      if (value === null) value = NO_VALUE;
    }
    const v = value as Val;
    for (const d of pipe.decl) {
      if (pipe.isAssign) this.setVar(d.ident[0]!, v);
      else this.vars.push({ name: d.ident[0]!, value: v });
    }
    return v;
  }

  private notAFunction(args: Node[], final: Final): void {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args[0]!)}`);
  }

  private evalCommand(dot: Val, cmd: CommandNode, final: Final): Val {
    const first = cmd.args[0]!;
    switch (first.type) {
      case "field":
        return this.evalFieldChain(dot, dot, first, first.ident, cmd.args, final, true);
      case "chain":
        return this.evalChain(dot, first, cmd.args, final);
      case "identifier": {
        this.at(first);
        return this.evalFunction(dot, first.name, cmd, cmd.args, final);
      }
      case "pipe":
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case "variable":
        return this.evalVariable(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case "bool":
        return first.val;
      case "dot":
        return dot;
      case "nil":
        return this.errorf("nil is not a command");
      case "number":
        return this.idealConstant(first);
      case "string":
        return first.text;
    }
    return this.errorf(`can't evaluate command ${goQuote(nodeString(first))}`);
  }

  private idealConstant(c: NumberNode): Val {
    this.at(c);
    const isHexInt = /^[+-]?0[xX]/.test(c.text) && !/[pP]/.test(c.text);
    const isRune = c.text.startsWith("'");
    if (c.isFloat && !isHexInt && !isRune && /[.eEpP]/.test(c.text)) return c.float;
    if (c.isInt) return int(c.int);
    if (c.isUint) this.errorf(`${c.text} overflows int`);
    return NO_VALUE;
  }

  private evalChain(dot: Val, chain: ChainNode, args: Node[], final: Final): Val {
    this.at(chain);
    if (chain.node.type === "nil") this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const recv = this.evalArg(dot, undefined, chain.node);
    return this.evalFieldChain(dot, recv, chain, chain.fields, args, final, false);
  }

  private evalVariable(dot: Val, v: VariableNode, args: Node[], final: Final): Val {
    this.at(v);
    const value = this.varValue(v.ident[0]!);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final, false);
  }

  private evalFieldChain(dot: Val, recv: Val, node: Node, ident: string[], args: Node[], final: Final, isField: boolean): Val {
    if (isField) this.at(node);
    for (let i = 0; i < ident.length - 1; i++) recv = this.evalField(dot, ident[i]!, node, [], MISSING, recv);
    return this.evalField(dot, ident[ident.length - 1]!, node, args, final, recv);
  }

  private evalField(dot: Val, name: string, node: Node, args: Node[], final: Final, recv: Val): Val {
    if (recv === NO_VALUE) return NO_VALUE;
    if (recv === null) return this.errorf(`nil pointer evaluating interface {}.${name}`);
    const typ = typeOfValue(recv)!;
    const m = findMethod(typ, name);
    if (m) {
      const fn = new GoFunc({ params: m.params, result: m.result, hasError: false }, (...a) => m.call(recv, a), name);
      return this.evalCall(dot, fn, false, node, name, args, final);
    }
    const hasArgs = args.length > 1 || final !== MISSING;
    if (recv instanceof GoStruct) {
      const path = findField(typ, name);
      if (path) {
        if (!/^\p{Lu}/u.test(name)) this.errorf(`${name} is an unexported field of struct type ${typ.name}`);
        if (hasArgs) this.errorf(`${name} has arguments but cannot be invoked as function`);
        let v: GoValue = recv;
        for (const i of path) v = (v as GoStruct).values[i]!;
        return v;
      }
    } else if (recv instanceof GoMap && assignable(T_STRING, typ.key!)) {
      if (hasArgs) this.errorf(`${name} is not a method but has arguments`);
      const v = recv.get(name);
      return v === undefined ? NO_VALUE : v;
    }
    return this.errorf(`can't evaluate field ${name} in type ${typ.name}`);
  }

  private evalFunction(dot: Val, name: string, node: Node, args: Node[], final: Final): Val {
    const user = Object.hasOwn(this.funcs, name) ? this.funcs[name] : undefined;
    const fn = user ?? (Object.hasOwn(BUILTINS, name) ? BUILTINS[name] : undefined);
    if (!fn) return this.errorf(`${goQuote(name)} is not a defined function`);
    return this.evalCall(dot, fn, !user, node, name, args, final);
  }

  /** Calls a function value (used by the `call` builtin too). */
  evalCall(dot: Val, fn: GoFunc, isBuiltin: boolean, node: Node, name: string, argNodes: Node[], final: Final): Val {
    const args = argNodes.slice(1);
    const sig = fn.sig;
    let numIn = args.length + (final !== MISSING ? 1 : 0);
    const nParams = sig.params.length + (sig.variadic ? 1 : 0);
    const numFixed = sig.variadic ? sig.params.length : args.length;
    if (sig.variadic) {
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${sig.params.length} got ${args.length}`);
    } else if (numIn !== nParams) this.errorf(`wrong number of args for ${name}: want ${nParams} got ${numIn}`);

    if (isBuiltin && (name === "and" || name === "or")) {
      let v: Val = NO_VALUE;
      for (const a of args) {
        v = this.evalArg(dot, T_REFLECT, a);
        if (truth(v) === (name === "or")) return v;
      }
      if (final !== MISSING) v = this.validateType(final, T_REFLECT);
      return v;
    }
    const argv: Val[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv.push(this.evalArg(dot, sig.params[i]!, args[i]!));
    if (sig.variadic) for (; i < args.length; i++) argv.push(this.evalArg(dot, sig.variadic, args[i]!));
    if (final !== MISSING) {
      let t: GoType;
      if (sig.variadic) t = numIn - 1 < numFixed ? sig.params[numIn - 1]! : sig.variadic;
      else t = sig.params[sig.params.length - 1]!;
      argv.push(this.validateType(final, t));
    }
    numIn = argv.length;
    const weight = callWeight(name, argv);
    if (weight > 0) this.charge(weight);
    try {
      const r = fn.fn.apply(this, argv.map((a) => (a === NO_VALUE ? null : a)) as GoValue[]);
      return r;
    } catch (e) {
      if (e instanceof TemplateError) throw e;
      this.at(node);
      const msg =
        e instanceof FuncError
          ? e.message
          : e instanceof RangeError && /call stack/.test(e.message)
            ? "stack overflow"
            : e instanceof Error
              ? e.message
              : String(e);
      return this.errorf(`error calling ${name}: ${msg}`);
    }
  }

  validateType(value: Final, typ: GoType | undefined): Val {
    if (value === MISSING || value === NO_VALUE) {
      if (!typ) return null;
      if (typ === T_REFLECT) return null;
      if (canBeNil(typ)) return zeroOf(typ);
      return this.errorf(`invalid value; expected ${typ.name}`);
    }
    if (!typ || typ === T_REFLECT) return value;
    if (value === null) {
      if (typ.kind === "interface") return null;
      return this.errorf(`wrong type for value; expected ${typ.name}; got interface {}`);
    }
    const vt = typeOfValue(value)!;
    if (!assignable(vt, typ)) this.errorf(`wrong type for value; expected ${typ.name}; got ${vt.name}`);
    return value;
  }

  evalArg(dot: Val, typ: GoType | undefined, n: Node): Val {
    this.at(n);
    switch (n.type) {
      case "dot":
        return this.validateType(dot, typ);
      case "nil":
        if (typ && typ !== T_REFLECT && canBeNil(typ)) return typ.kind === "map" ? null : zeroOf(typ);
        if (!typ || typ === T_REFLECT) return null;
        return this.errorf(`cannot assign nil to ${typ.name}`);
      case "field":
        return this.validateType(this.evalFieldChain(dot, dot, n as FieldNode, n.ident, [n], MISSING, true), typ);
      case "variable":
        return this.validateType(this.evalVariable(dot, n, [n], MISSING), typ);
      case "pipe":
        return this.validateType(this.evalPipeline(dot, n), typ);
      case "identifier":
        return this.validateType(this.evalFunction(dot, n.name, n, [n], MISSING), typ);
      case "chain":
        return this.validateType(this.evalChain(dot, n, [n], MISSING), typ);
    }
    if (!typ || typ === T_REFLECT || (typ.kind === "interface" && typ.name === "interface {}")) {
      switch (n.type) {
        case "bool":
          return n.val;
        case "number":
          return this.idealConstant(n);
        case "string":
          return n.text;
      }
      return this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
    }
    switch (typ.kind) {
      case "bool":
        if (n.type === "bool") return n.val;
        return this.errorf(`expected bool; found ${nodeString(n)}`);
      case "string":
        if (n.type === "string") return n.text;
        return this.errorf(`expected string; found ${nodeString(n)}`);
      case "float64":
        if (n.type === "number" && n.isFloat) return n.float;
        return this.errorf(`expected float; found ${nodeString(n)}`);
      case "int":
      case "int8":
      case "int16":
      case "int32":
      case "int64":
        if (n.type === "number" && n.isInt) return new GoInt(n.int, typ);
        return this.errorf(`expected integer; found ${nodeString(n)}`);
      case "uint":
      case "uint8":
      case "uint16":
      case "uint32":
      case "uint64":
        if (n.type === "number" && n.isUint) return new GoInt(n.int, typ);
        return this.errorf(`expected unsigned integer; found ${nodeString(n)}`);
    }
    return this.errorf(`can't handle ${nodeString(n)} for arg of type ${typ.name}`);
  }
}

export { T_ANY, T_INT, MISSING };
export type { ListNode };
