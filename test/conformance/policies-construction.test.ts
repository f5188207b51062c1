import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { validatePolicy } from "../../src/core/policy/index.js";
import type { Order, PolicyChoice } from "../../src/core/types.js";
import { conformanceDir } from "../helpers/conformance.js";

interface ConstructionCase {
  kind: "semver" | "numerical" | "alphabetical" | "none";
  range?: string;
  order?: string;
  valid: boolean;
}
const cases = JSON.parse(fs.readFileSync(path.join(conformanceDir(), "policy-construction.json"), "utf8")) as ConstructionCase[];

function choice(c: ConstructionCase): PolicyChoice {
  // The upstream tests pass upper-case constants; manifests carry lower case. Both must work.
  const order = c.order as Order | undefined;
  switch (c.kind) {
    case "semver":
      return { semver: { range: c.range ?? "" } };
    case "numerical":
      return { numerical: { order } };
    case "alphabetical":
      return { alphabetical: { order } };
    default:
      return {};
  }
}

describe("conformance: policy-construction.json", () => {
  it.each(cases.map((c, i) => [`${i} ${c.kind} ${JSON.stringify(c.range ?? c.order ?? "")}`, c] as const))("%s", (_n, c) => {
    const err = validatePolicy({ policy: choice(c) });
    if (c.valid) expect(err).toBeNull();
    else expect(err).toEqual(expect.any(String));
  });

  it("first of semver, alphabetical, numerical wins when several are set", () => {
    expect(validatePolicy({ policy: { semver: { range: "1.x" }, numerical: { order: "bad" as Order } } })).toBeNull();
    expect(validatePolicy({ policy: { alphabetical: {}, numerical: { order: "bad" as Order } } })).toBeNull();
    expect(validatePolicy({ policy: { numerical: { order: "bad" as Order }, alphabetical: {} } })).toBeNull();
  });
});
