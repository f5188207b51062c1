/** Scan cache: one registry scan per image, credential and interval. */
export { scanCacheKey } from "./key.js";
export { MemoryScanCache } from "./memory.js";
export { RedisScanCache, type RedisScanCacheOptions } from "./redis.js";
