/**
 * Go's behaviour where Flux's answers depend on it: text/template with sprig's hermetic functions,
 * Masterminds semver v3, RE2 regular expressions with Regexp.Expand, strconv (ParseFloat, FormatFloat,
 * Quote) and the time formatting sprig needs. Each subfolder is named after its Go package and cites the
 * upstream file it follows. This layer imports nothing from the rest of the project: src/core consumes it.
 */
export { DEFAULT_LIMITS, executeTemplate, parseTemplate, TemplateError } from "./template/index.js";
export type { ExecOptions, FuncMap, Limits, Template } from "./template/index.js";
export { hermeticFuncMap } from "./sprig/index.js";
export * as goValues from "./template/value.js";
export { GoMap, GoSlice, GoStruct, mapOf, sliceOf, T_ANY, T_MAP_STRING, T_STRING } from "./template/value.js";
export type { GoType, GoValue } from "./template/value.js";
export { sortedEntries } from "./template/sort.js";

export {
  CONSTRAINT_ERRORS,
  MAX_CONSTRAINT_GROUPS,
  MAX_CONSTRAINT_LEN,
  MAX_VERSION_LEN,
  newConstraint,
  newVersion,
  SEMVER_ERRORS,
  strictNewVersion,
  tryNewVersion,
  Version,
} from "./semver/index.js";
export type { ConstraintOptions, Constraints, Segment } from "./semver/index.js";

export { compileGo, expandTemplate, quoteMeta } from "./regexp/index.js";
export type { GoRegexp } from "./regexp/index.js";

export { parseGoFloat } from "./strconv/parse-float.js";
export { formatFloat } from "./strconv/format-float.js";
export { goQuote } from "./strconv/quote.js";
