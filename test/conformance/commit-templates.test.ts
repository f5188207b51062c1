import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { renderCommitMessage } from "../../src/core/template/index.js";
import type { UpdateResult } from "../../src/core/types.js";
import { conformanceDir } from "../helpers/conformance.js";

interface Case {
  name: string;
  messageTemplate: string;
  messageTemplateValues?: Record<string, string> | null;
  automationObject?: { namespace: string; name: string };
  changed: UpdateResult["fileChanges"];
  expectedMessage?: string;
  expectedMessageContains?: string[];
  expectError: boolean;
}

const dir = conformanceDir();
const data = JSON.parse(readFileSync(path.join(dir, "commit-templates.json"), "utf8")) as { cases: Case[] };

describe("conformance: commit-templates.json", () => {
  it("has cases", () => expect(data.cases.length).toBeGreaterThan(0));
  for (const c of data.cases) {
    it(c.name, () => {
      const r = renderCommitMessage(c.messageTemplate, {
        automation: c.automationObject ?? { namespace: "test-ns", name: "test-update" },
        result: { fileChanges: c.changed },
        values: c.messageTemplateValues ?? undefined,
      });
      if (c.expectError) {
        expect(r).toMatchObject({
          ok: false,
          code: "template.removed-field",
          error: expect.stringMatching(/^template uses removed '\.(Updated|Changed\.ImageResult)' field/),
        });
        return;
      }
      expect(r).toMatchObject({ ok: true });
      const message = r.ok ? r.message : "";
      if (c.expectedMessage !== undefined) expect(message).toBe(c.expectedMessage);
      for (const s of c.expectedMessageContains ?? []) expect(message).toContain(s);
    });
  }
});
