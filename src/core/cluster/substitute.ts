/**
 * Flux's postBuild variable substitution (github.com/fluxcd/pkg
 * kustomize/kustomize_varsub.go and envsubst/): only `${...}` forms are
 * expanded, `$${x}` escapes to `${x}`, values lose their newlines, and in
 * strict mode (kustomize-controller's StrictPostBuildSubstitutions, on by
 * default since Flux 2.9) an unset variable without a default fails the build.
 * Variables that come from sources the bot cannot read are reported as
 * unknown instead of being guessed.
 */
export const VAR_NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

export class SubstitutionError extends Error {}

/** Output bound per object: a value repeated many times must not exhaust memory. */
export const MAX_SUBSTITUTED_BYTES = 1024 * 1024;

export interface SubstituteResult {
  text: string;
  /** variables used whose value the bot cannot know */
  unknown: string[];
}

function globToRe(glob: string, anchor: "start" | "end", greedy: boolean): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\?/g, ".")
    .replace(/\*/g, greedy ? ".*" : ".*?");
  return new RegExp(anchor === "start" ? `^${body}` : greedy ? `${body}$` : `(?:${body})$`);
}

function trimSuffix(value: string, glob: string, longest: boolean): string {
  for (let i = longest ? 0 : value.length; longest ? i <= value.length : i >= 0; i += longest ? 1 : -1) {
    if (
      new RegExp(
        `^${glob
          .replace(/[.+^${}()|[\]\\]/g, "\\$&")
          .replace(/\*/g, ".*")
          .replace(/\?/g, ".")}$`,
      ).test(value.slice(i))
    )
      return value.slice(0, i);
  }
  return value;
}

/** Applies one `${...}` expression body (without the braces). */
function evaluate(
  body: string,
  vars: ReadonlyMap<string, string>,
  strict: boolean,
  unknownSource: boolean,
  unknown: string[],
  expand: (s: string) => string,
): string {
  if (body.startsWith("#") && VAR_NAME.test(body.slice(1))) {
    const v = vars.get(body.slice(1));
    if (v === undefined && unknownSource) return mark(body.slice(1), unknown, body);
    return String((v ?? "").length);
  }
  const m = /^([_a-zA-Z][_a-zA-Z0-9]*)(.*)$/s.exec(body);
  if (!m) throw new SubstitutionError(`bad substitution "\${${body}}"`);
  const [, name, op] = m;
  const value = vars.get(name);
  const isSet = value !== undefined;
  if (!isSet && unknownSource && !/^:?[-=]/.test(op)) return mark(name, unknown, body);
  const v = value ?? "";
  if (op === "") {
    if (!isSet && strict) throw new SubstitutionError(`variable not set (strict mode): "${name}"`);
    return v;
  }
  const dm = /^(:?)([-=])(.*)$/s.exec(op);
  if (dm) {
    const useDefault = dm[1] === ":" ? v === "" : !isSet;
    if (!useDefault) return v;
    if (!isSet && unknownSource) return mark(name, unknown, body);
    return expand(dm[3]);
  }
  if (!isSet && strict) throw new SubstitutionError(`variable not set (strict mode): "${name}"`);
  if (op === "^") return v.charAt(0).toUpperCase() + v.slice(1);
  if (op === "^^") return v.toUpperCase();
  if (op === ",") return v.charAt(0).toLowerCase() + v.slice(1);
  if (op === ",,") return v.toLowerCase();
  let pm = /^(##?)(.*)$/s.exec(op);
  if (pm) {
    const re = globToRe(expand(pm[2]), "start", pm[1] === "##");
    return v.replace(re, "");
  }
  pm = /^(%%?)(.*)$/s.exec(op);
  if (pm) return trimSuffix(v, expand(pm[2]), pm[1] === "%%");
  pm = /^(\/\/?)([^/]*)\/(.*)$/s.exec(op);
  if (pm) return pm[1] === "//" ? v.split(expand(pm[2])).join(expand(pm[3])) : v.replace(expand(pm[2]), expand(pm[3]));
  pm = /^:(-?[0-9]+)(?::([0-9]+))?$/.exec(op);
  if (pm) {
    const start = Number(pm[1]) < 0 ? Math.max(0, v.length + Number(pm[1])) : Math.min(Number(pm[1]), v.length);
    return pm[2] === undefined ? v.slice(start) : v.slice(start, start + Number(pm[2]));
  }
  throw new SubstitutionError(`bad substitution "\${${body}}"`);
}

function mark(name: string, unknown: string[], body: string): string {
  if (!unknown.includes(name)) unknown.push(name);
  return `\${${body}}`;
}

/** Substitutes `${...}` in text. */
export function substitute(text: string, vars: ReadonlyMap<string, string>, opts: { strict: boolean; unknownSource: boolean }): SubstituteResult {
  const unknown: string[] = [];
  const expand = (s: string): string => {
    let out = "";
    let i = 0;
    while (i < s.length) {
      const j = s.indexOf("$", i);
      if (j < 0) {
        out += s.slice(i);
        break;
      }
      out += s.slice(i, j);
      if (s.startsWith("$${", j)) {
        out += "${";
        i = j + 3;
        continue;
      }
      if (s[j + 1] !== "{") {
        out += "$";
        i = j + 1;
        continue;
      }
      let depth = 1;
      let k = j + 2;
      for (; k < s.length && depth > 0; k++) {
        if (s[k] === "{") depth++;
        else if (s[k] === "}") depth--;
      }
      if (depth > 0) throw new SubstitutionError(`unterminated "\${" at offset ${j}`);
      out += evaluate(s.slice(j + 2, k - 1), vars, opts.strict, opts.unknownSource, unknown, expand);
      if (out.length > MAX_SUBSTITUTED_BYTES) throw new SubstitutionError(`the substituted object is larger than ${MAX_SUBSTITUTED_BYTES} bytes`);
      i = k;
    }
    return out;
  };
  return { text: expand(text), unknown };
}
