/**
 * Masterminds/semver v3.5.0 semantics (as pinned by Flux). See version.ts and
 * constraints.ts for the details and sources.
 */
export { Version, newVersion, strictNewVersion, tryNewVersion, SEMVER_ERRORS, MAX_VERSION_LEN } from "./version.js";
export type { Segment } from "./version.js";
export { newConstraint, CONSTRAINT_ERRORS, MAX_CONSTRAINT_LEN, MAX_CONSTRAINT_GROUPS } from "./constraints.js";
export type { Constraints, ConstraintOptions } from "./constraints.js";
