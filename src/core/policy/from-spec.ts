/**
 * Factory (Flux `internal/policy/factory.go`): the first of semver,
 * alphabetical, numerical that is present decides the policy; none present
 * is an invalid policy. filterTags, when present (even with an empty
 * pattern), is compiled here too so that a bad pattern is an invalid policy.
 */
import type { FilterTags, PolicyChoice } from "../types.js";
import { newAlphabeticalPolicer } from "./alphabetical.js";
import { newRegexFilter, type RegexFilter } from "./filter.js";
import { newNumericalPolicer } from "./numerical.js";
import type { Build, Policer } from "./policer.js";
import { newSemVerPolicer } from "./semver.js";

export interface PolicySpec {
  policy: PolicyChoice;
  filterTags?: FilterTags;
}

export interface CompiledPolicy {
  policer: Policer;
  filter: RegexFilter | null;
  /** What the policy is, for messages. */
  describe: string;
}

export function policerFromSpec(choice: PolicyChoice): Build<{ policer: Policer; describe: string }> {
  if (choice.semver) {
    const range = choice.semver.range ?? "";
    const p = newSemVerPolicer(range);
    return p.ok
      ? { ok: true, value: { policer: p.value, describe: `semver range '${range}'` } }
      : {
          ok: false,
          error: `invalid semver range '${range}': ${p.error} (use a Masterminds semver v3 range such as '>=1.0.0 <2.0.0', '~1.2' or '1.x')`,
        };
  }
  const ordered = choice.alphabetical
    ? { kind: "alphabetical", build: newAlphabeticalPolicer(choice.alphabetical.order) }
    : choice.numerical
      ? { kind: "numerical", build: newNumericalPolicer(choice.numerical.order) }
      : null;
  if (ordered === null) {
    return {
      ok: false,
      error: "given ImagePolicyChoice object is invalid (set one of policy.semver, policy.alphabetical or policy.numerical)",
    };
  }
  const b = ordered.build;
  return b.ok
    ? { ok: true, value: { policer: b.value, describe: `${ordered.kind} order '${b.value.order.toLowerCase()}'` } }
    : { ok: false, error: `${b.error} (set policy.${ordered.kind}.order to 'asc' or 'desc')` };
}

export function compilePolicy(spec: PolicySpec): Build<CompiledPolicy> {
  const p = policerFromSpec(spec.policy);
  if (!p.ok) return p;
  let filter: RegexFilter | null = null;
  if (spec.filterTags !== undefined && spec.filterTags !== null) {
    const f = newRegexFilter(spec.filterTags.pattern ?? "", spec.filterTags.extract ?? "");
    if (!f.ok) {
      return { ok: false, error: `${f.error} (filterTags.pattern must be Go RE2 syntax: no lookaround, no backreferences)` };
    }
    filter = f.value;
  }
  return { ok: true, value: { policer: p.value.policer, filter, describe: p.value.describe } };
}
