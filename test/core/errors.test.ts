import { describe, expect, it } from "@jest/globals";
import { AppError, formatProblem, problem, uniqueProblems } from "../../src/core/errors.js";

describe("errors", () => {
  it("keeps each problem once, in first-seen order", () => {
    const a = problem("policy.invalid-range", "bad range", { file: "p.yaml", line: 3, object: "ImagePolicy flux-system/app" });
    const b = problem("policy.invalid-range", "bad range", { file: "q.yaml", line: 3, object: "ImagePolicy flux-system/app" });
    expect(uniqueProblems([a, b, { ...a }, b])).toEqual([a, b]);
  });

  it("formats a problem with its location", () => {
    const p = problem("manifest.invalid", "spec.interval is missing", { file: "a.yaml", line: 3, object: "ImagePolicy/ns/x" });
    expect(formatProblem(p)).toBe("error [manifest.invalid] a.yaml:3 ImagePolicy/ns/x: spec.interval is missing");
  });
  it("keeps code and subject on AppError", () => {
    const e = new AppError("registry.auth", "registry.auth: denied", { subject: "ghcr.io/x", retryable: false });
    expect(e.toJSON()).toMatchObject({ code: "registry.auth", subject: "ghcr.io/x" });
    expect(e).toBeInstanceOf(Error);
  });
});
