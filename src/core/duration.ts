/**
 * Flux interval/timeout strings. The CRDs validate them with the regexes
 * below (IRC api/v1 imagerepository_types.go), then Go's time.ParseDuration
 * reads them.
 */
const INTERVAL = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;
const TIMEOUT = /^([0-9]+(\.[0-9]+)?(ms|s|m))+$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function isValidInterval(s: string): boolean {
  return INTERVAL.test(s);
}

export function isValidTimeout(s: string): boolean {
  return TIMEOUT.test(s);
}

/** Milliseconds of a duration accepted by isValidInterval, or null. */
export function durationMs(s: string): number | null {
  if (!INTERVAL.test(s)) return null;
  let total = 0;
  for (const m of s.matchAll(/([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)/g)) total += Number(m[1]) * UNIT_MS[m[2]];
  return Number.isFinite(total) ? total : null;
}

/** Renders milliseconds the way Go prints a time.Duration (e.g. 1h0m0s, 5m0s, 30s, 500ms). */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
