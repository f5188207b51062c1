/** Times on the dashboard: absolute (UTC, to the minute) and relative to a clock value passed in. */

/** `2024-05-01 12:34 UTC`, or "" for a missing or invalid time. */
export function formatAbsolute(iso: string | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago"; "" for a missing time. */
export function formatAgo(iso: string | undefined, now: Date): string {
  if (!iso) return "";
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return "";
  const s = Math.round((now.getTime() - t) / 1000);
  if (s < 60) return s < -60 ? "in the future" : "just now";
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"} ago`;
  if (s < 3600) return unit(Math.floor(s / 60), "minute");
  if (s < 86400) return unit(Math.floor(s / 3600), "hour");
  return unit(Math.floor(s / 86400), "day");
}

/** "5 minutes ago (2024-05-01 12:34 UTC)", or `never`. */
export function formatWhen(iso: string | undefined, now: Date, never = "never"): string {
  const abs = formatAbsolute(iso);
  return abs ? `${formatAgo(iso, now)} (${abs})` : never;
}
