/**
 * Masterminds/semver v3 semantics (as pinned by Flux) plus fluxcd/pkg's tag
 * parser. See version.ts and constraints.ts for the details and sources.
 */
export { Version, newVersion, strictNewVersion, tryNewVersion, SEMVER_ERRORS } from "./version.js";
export type { Segment } from "./version.js";
export { newConstraint } from "./constraints.js";
export type { Constraints, ConstraintOptions } from "./constraints.js";
export { parseFluxVersion } from "./flux-version.js";
