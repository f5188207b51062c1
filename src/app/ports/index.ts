/**
 * Ports: the interfaces the use cases need from the outside world, all in this
 * folder. Adapters implement them (`implements` or typed by the port); the
 * core and app layers only see these types.
 */
export * from "./github.js";
export * from "./jobs.js";
export * from "./metrics.js";
export * from "./registry.js";
export * from "./repo.js";
export * from "./state.js";
export * from "./template.js";
export * from "./throttle.js";
