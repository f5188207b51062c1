/** The LRU lives in src/core (the registry adapter uses it too); kept here as a name for the GitHub caches. */
export { LruCache } from "../../core/lru-cache.js";
