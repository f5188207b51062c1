/** Go RE2 regular expressions and Go's `Regexp.Expand`, see go-regexp.ts and expand.ts. */
export { compileGo, quoteMeta } from "./go-regexp.js";
export type { GoRegexp } from "./go-regexp.js";
export { expandTemplate } from "./expand.js";
