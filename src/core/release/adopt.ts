/**
 * When an automation may commit (`flux-image-bot/schedule`, `timezone`,
 * `debounce`) and which policy updates wait for approval
 * (`flux-image-bot/approve`). Pure: the clock comes in.
 */
import type { FlatChange } from "../changes.js";
import type { AutomationGates, PolicyGates } from "./annotations.js";
import { parseSchedule } from "./annotations.js";
import { updateType, type UpdateType } from "./text.js";

export interface WaitState {
  /** fingerprint of the pending changes the wait is for */
  changesKey: string;
  /** ISO time the pending changes were first seen as they are now */
  since: string;
}

export type Adoption =
  | { adopt: true }
  | { adopt: false; reason: "schedule" | "debounce" /** plain text for the dashboard and logs */; text: string; until?: string; wait: WaitState };

/** A stable fingerprint of a set of pending changes. */
export function changesKey(changes: readonly FlatChange[]): string {
  return changes
    .map((c) => `${c.file}\u0000${c.object}\u0000${c.setter}\u0000${c.newValue}`)
    .sort()
    .join("\u0001");
}

/**
 * Whether the automation may commit now. The debounce counts from the time
 * the pending changes last changed (a new tag in a burst restarts it); the
 * schedule admits the minutes its cron expression matches, in its time zone.
 * `force` (the dashboard's "run now" box) skips both.
 */
export function adoptionDecision(gates: AutomationGates, input: { now: Date; changesKey: string; previous?: WaitState; force?: boolean }): Adoption {
  if (input.force || (!gates.schedule && !gates.debounceMs)) return { adopt: true };
  const wait: WaitState = input.previous?.changesKey === input.changesKey ? input.previous : { changesKey: input.changesKey, since: input.now.toISOString() };
  if (gates.debounceMs) {
    const until = Date.parse(wait.since) + gates.debounceMs;
    if (until > input.now.getTime())
      return {
        adopt: false,
        reason: "debounce",
        text: `waits for more tags until ${new Date(until).toISOString()} (debounce)`,
        until: new Date(until).toISOString(),
        wait,
      };
  }
  if (gates.schedule) {
    const s = parseSchedule(gates.schedule, gates.timezone);
    if (s.ok && !s.cron.match(input.now)) {
      const next = s.cron.nextRun(input.now);
      const until = next ? next.toISOString() : undefined;
      return {
        adopt: false,
        reason: "schedule",
        text: `awaiting schedule "${gates.schedule}"${gates.timezone ? ` (${gates.timezone})` : ""}${until ? `, next window at ${until}` : ""}`,
        ...(until ? { until } : {}),
        wait,
      };
    }
  }
  return { adopt: true };
}

export interface ApprovalWait {
  /** ImagePolicy `namespace/name` (as the marker names it) */
  policy: string;
  oldValue: string;
  newValue: string;
  /** the tag that needs approval */
  tag: string;
  type: UpdateType;
}

/**
 * The changes that wait for approval: their policy asks for it for this
 * kind of update and the tag is not approved yet. `gatesOf` and `latestTag`
 * take the policy as `namespace/name`.
 */
export function approvalsNeeded(
  changes: readonly FlatChange[],
  gatesOf: (policy: string) => PolicyGates | undefined,
  latestTag: (policy: string) => string | undefined,
  approved: (policy: string, tag: string) => boolean,
): ApprovalWait[] {
  const out = new Map<string, ApprovalWait>();
  for (const c of changes) {
    const [ns, name] = c.setter.split(":");
    const policy = `${ns}/${name}`;
    const mode = gatesOf(policy)?.approve;
    const tag = latestTag(policy);
    if (!mode || !tag || out.has(policy)) continue;
    const type = updateType(c.oldValue, c.newValue);
    if (mode === "major" && type !== "major") continue;
    if (approved(policy, tag)) continue;
    out.set(policy, { policy, oldValue: c.oldValue, newValue: c.newValue, tag, type });
  }
  return [...out.values()];
}
