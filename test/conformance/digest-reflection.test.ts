/** Flux's digest reflection transitions (conformance/digest-reflection.json), two passes each. */
import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { needsDigestFetch, reflectDigest, type DigestReflectionPolicy } from "../../src/core/digest-reflection.js";
import { durationMs } from "../../src/core/duration.js";
import { applyExclusionList, selectLatest } from "../../src/core/policy/index.js";
import { conformanceDir } from "../helpers/conformance.js";

interface Pass {
  digestReflectionPolicy: string;
  range: string;
  expectedDigest: string;
  expectedRequeueAfter: string;
  expectedObservedPreviousRef?: { tag: string; digest: string } | null;
}
const data = JSON.parse(readFileSync(`${conformanceDir()}/digest-reflection.json`, "utf8")) as {
  cases: Array<{ name: string; firstPass: Pass; secondPass: Pass }>;
};
const TAGS = ["v1.0.0", "v1.1.0", "v1.1.1", "v2.0.0"];
const IMAGE = "registry.example/app";
// "between the passes every tag is re-pushed with a NEW digest"
const digestOf = (tag: string, pass: number) => `digest of ${tag} at pass ${pass}`;
const expectedText = (s: string) => s.replace(/ \(image re-pushed under the same tag\)$/, "");

describe("digest reflection (conformance)", () => {
  it.each(data.cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    let prev: ReturnType<typeof reflectDigest> | undefined;
    [c.firstPass, c.secondPass].forEach((pass, i) => {
      const policy = pass.digestReflectionPolicy as DigestReflectionPolicy;
      const stored = applyExclusionList(TAGS);
      if (!stored.ok) throw new Error(stored.error);
      const chosen = selectLatest(stored.tags, { policy: { semver: { range: pass.range } } });
      if (!chosen.ok) throw new Error(chosen.error);
      const selected = { name: IMAGE, tag: chosen.tag };
      const fetched = needsDigestFetch(prev, selected, policy) ? digestOf(chosen.tag, i + 1) : undefined;
      const next = reflectDigest(prev, selected, policy, fetched, durationMs("10m") ?? undefined);
      expect(next.latestRef?.digest ?? "").toBe(expectedText(pass.expectedDigest));
      expect(next.requeueAfterMs).toBe(pass.expectedRequeueAfter === "0" ? 0 : durationMs(pass.expectedRequeueAfter));
      if (i === 1) {
        const want = pass.expectedObservedPreviousRef;
        if (want === null || want === undefined) expect(next.observedPreviousRef).toBeUndefined();
        else
          expect({ tag: next.observedPreviousRef?.tag, digest: next.observedPreviousRef?.digest ?? "" }).toEqual({
            tag: want.tag,
            digest: expectedText(want.digest),
          });
      }
      prev = next;
    });
  });
});
