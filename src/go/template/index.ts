/**
 * Go's text/template (parse and execute), with the func map a caller passes (sprig's hermetic map by
 * default, as Flux's image-automation-controller uses).
 */
import { TemplateError } from "./errors.js";
import { DEFAULT_LIMITS, type ExecOptions, ExecState, type FuncMap, type Limits } from "./exec.js";
import { parse, type Tree } from "./parser.js";
import { hermeticFuncMap } from "../sprig/index.js";
import { BUILTINS } from "./builtins.js";
import type { Val } from "./value.js";

export { TemplateError } from "./errors.js";
export { DEFAULT_LIMITS } from "./exec.js";
export type { ExecOptions, FuncMap, Limits } from "./exec.js";

export interface Template {
  readonly name: string;
  readonly trees: Map<string, Tree>;
  readonly funcs: FuncMap;
}

/** Parses a template; throws TemplateError (kind "parse") with Go's message. */
export function parseTemplate(name: string, text: string, funcs: FuncMap = hermeticFuncMap()): Template {
  try {
    const trees = parse(name, text, (f) => Object.hasOwn(funcs, f) || Object.hasOwn(BUILTINS, f));
    return { name, trees, funcs };
  } catch (e) {
    throw asTemplateError(e, "parse", name);
  }
}

/**
 * Executes a template on Go-modelled data; throws TemplateError (kind "exec").
 * `opts.now` is the clock for sprig's `ago`/`durationRound` (this layer has no clock of its own).
 */
export function executeTemplate(t: Template, data: unknown, limits: Limits = DEFAULT_LIMITS, opts: ExecOptions = {}): string {
  try {
    return new ExecState(t.trees, t.funcs, limits, t.name, opts).run(t.name, data as Val);
  } catch (e) {
    throw asTemplateError(e, "exec", t.name);
  }
}

function asTemplateError(e: unknown, kind: "parse" | "exec", name: string): TemplateError {
  if (e instanceof TemplateError) return e;
  if (e instanceof RangeError) return new TemplateError(`template: ${name}: template too deeply nested (stack exhausted)`, kind);
  return new TemplateError(`template: ${name}: ${e instanceof Error ? e.message : String(e)}`, kind);
}
