/** Release intelligence: what changed, how old it is, and when to adopt it. */
export * from "./annotations.js";
export * from "./info.js";
export * from "./age.js";
export * from "./text.js";
export * from "./adopt.js";
export * from "./policy-gate.js";
export * from "./view.js";
export * from "./section.js";
export * from "./dashboard.js";
