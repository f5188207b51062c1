import { describe, expect, it } from "@jest/globals";
import { AppError, formatProblem, problem } from "../../src/core/errors.js";

describe("errors", () => {
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
