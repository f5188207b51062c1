/**
 * The dashboard issue body, markdown in: whether it is ours and the state of
 * its checkboxes. `renderDashboard(input, { ticked: parseDashboard(body).ticked })`
 * gives back `body` for a body rendered from the same input.
 */
import { DASHBOARD_MARKER, parseKey, readBoxes, type BoxAction, type ParsedBox } from "./keys.js";

export interface ParsedDashboard {
  /** the body carries the hidden dashboard marker */
  isDashboard: boolean;
  boxes: ParsedBox[];
  /** keys of ticked boxes */
  ticked: Set<string>;
}

export function isDashboardBody(body: string | null | undefined): boolean {
  return typeof body === "string" && body.includes(DASHBOARD_MARKER);
}

export function parseDashboard(body: string | null | undefined): ParsedDashboard {
  const text = body ?? "";
  const boxes = isDashboardBody(text) ? readBoxes(text) : [];
  return { isDashboard: isDashboardBody(text), boxes, ticked: new Set(boxes.filter((b) => b.checked).map((b) => b.key)) };
}

/** The actions of ticked boxes whose keys the bot understands. */
export function tickedActions(body: string): Array<{ key: string; action: BoxAction }> {
  const out: Array<{ key: string; action: BoxAction }> = [];
  for (const key of parseDashboard(body).ticked) {
    const action = parseKey(key);
    if (action) out.push({ key, action });
  }
  return out;
}
