/** sprig regex functions over Go RE2 syntax. */
import { quoteMeta } from "../regexp/index.js";
import { compileGo } from "./regex-cache.js";
import type { FuncMap } from "../template/exec.js";
import { formatArg } from "../template/fmt.js";
import { B, fail, fn, I, newStringSlice, num, S, SS } from "./helpers.js";

/** Compiled patterns, shared by every execution: a template compiling in a loop compiles once. */
function mustCompile(re: string): ReturnType<typeof compileGo> {
  try {
    return compileGo(re);
  } catch (e) {
    return fail(`regexp: Compile(${/^[^`\x00-\x08\x0a-\x1f\x7f\ufeff]*$/.test(re) ? "`" + re + "`" : formatArg(re, "q")}): ${(e as Error).message}`);
  }
}
function compileOrErr(re: string): ReturnType<typeof compileGo> {
  try {
    return compileGo(re);
  } catch (e) {
    return fail((e as Error).message);
  }
}

export function regexFuncs(): FuncMap {
  return {
    regexMatch: fn([S, S], B, (re, s) => {
      try {
        return compileGo(re as string).matchString(s as string);
      } catch {
        return false;
      }
    }),
    mustRegexMatch: fn([S, S], B, (re, s) => compileOrErr(re as string).matchString(s as string), { err: true }),
    regexFindAll: fn([S, S, I], SS, (re, s, n) => newStringSlice(mustCompile(re as string).findAllString(s as string, Number(num(n))) ?? [])),
    mustRegexFindAll: fn([S, S, I], SS, (re, s, n) => newStringSlice(compileOrErr(re as string).findAllString(s as string, Number(num(n))) ?? []), {
      err: true,
    }),
    regexFind: fn([S, S], S, (re, s) => mustCompile(re as string).findString(s as string)),
    mustRegexFind: fn([S, S], S, (re, s) => compileOrErr(re as string).findString(s as string), { err: true }),
    regexReplaceAll: fn([S, S, S], S, (re, s, r) => mustCompile(re as string).replaceAllString(s as string, r as string)),
    mustRegexReplaceAll: fn([S, S, S], S, (re, s, r) => compileOrErr(re as string).replaceAllString(s as string, r as string), { err: true }),
    regexReplaceAllLiteral: fn([S, S, S], S, (re, s, r) => mustCompile(re as string).replaceAllLiteralString(s as string, r as string)),
    mustRegexReplaceAllLiteral: fn([S, S, S], S, (re, s, r) => compileOrErr(re as string).replaceAllLiteralString(s as string, r as string), { err: true }),
    regexSplit: fn([S, S, I], SS, (re, s, n) => newStringSlice(mustCompile(re as string).split(s as string, Number(num(n))))),
    mustRegexSplit: fn([S, S, I], SS, (re, s, n) => newStringSlice(compileOrErr(re as string).split(s as string, Number(num(n)))), { err: true }),
    regexQuoteMeta: fn([S], S, (s) => quoteMeta(s as string)),
  };
}
