import { describe, expect, it } from "@jest/globals";
import { withoutRelativeTimes } from "../../src/app/sync-dashboard.js";

describe("dashboard writes", () => {
  it("ignore a body that differs only in relative times", () => {
    const a = "last scan just now (2024-05-01 12:00 UTC), last run 5 minutes ago (2024-05-01 11:55 UTC)";
    const b = "last scan 1 hour ago (2024-05-01 12:00 UTC), last run 2 days ago (2024-05-01 11:55 UTC)";
    expect(withoutRelativeTimes(a)).toBe(withoutRelativeTimes(b));
    expect(withoutRelativeTimes(a)).not.toBe(withoutRelativeTimes(a.replace("12:00", "12:05")));
  });
});
