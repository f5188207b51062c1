import { describe, expect, it } from "@jest/globals";
import { mapLimit } from "../../src/app/map-limit.js";

describe("mapLimit", () => {
  it("keeps the input order and never runs more than the limit at once", async () => {
    let running = 0;
    let most = 0;
    const gates: Array<() => void> = [];
    const done = mapLimit([1, 2, 3, 4, 5], 2, async (n) => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((r) => gates.push(r));
      running--;
      return n * 10;
    });
    // release the calls one by one, last started first, until all five have run
    for (let released = 0; released < 5; released++) {
      while (gates.length === 0) await Promise.resolve();
      gates.pop()!();
      await Promise.resolve();
    }
    expect(await done).toEqual([10, 20, 30, 40, 50]);
    expect(most).toBe(2);
  });

  it("handles no items", async () => {
    expect(await mapLimit([], 4, async (n: number) => n)).toEqual([]);
  });
});
