/** Order argument handling shared by the numerical and alphabetical policies (Flux upper-cases it first). */
import type { Build } from "./policer.js";

export type OrderArg = "ASC" | "DESC";

export function parseOrder(order: string | undefined): Build<OrderArg> {
  const o = (order ?? "").toUpperCase();
  if (o === "") return { ok: true, value: "ASC" };
  if (o === "ASC" || o === "DESC") return { ok: true, value: o };
  return { ok: false, error: `invalid order argument provided: '${o}', must be one of: ASC, DESC` };
}
