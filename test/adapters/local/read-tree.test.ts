import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readTree, writeFiles } from "../../../src/adapters/local/read-tree.js";
import { isSetterCandidate } from "../../../src/core/setters/index.js";

let dir = "";
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "read-tree-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(rel: string, content = "a: 1\n"): Promise<void> {
  await mkdir(join(dir, rel, ".."), { recursive: true });
  await writeFile(join(dir, rel), content);
}

describe("readTree", () => {
  it("walks like Flux's reader and screens names", async () => {
    await put("a.yaml");
    await put("b.yml");
    await put("Kustomization");
    await put("kustomization");
    await put("c.YAML");
    await put("d.json");
    await put(".github/workflows/ci.yaml");
    await put(".git/config.yaml");
    await put("sub/deep/e.yaml", "é: ü\n");
    await mkdir(join(dir, "outside"));
    await put("outside/linked.yaml");
    await symlink(join(dir, "outside"), join(dir, "dirlink.yaml"));
    await symlink(join(dir, "outside"), join(dir, "dirlink"));
    await symlink("a.yaml", join(dir, "filelink.yaml"));
    await symlink("missing.yaml", join(dir, "dangling.yaml"));
    const { files, skipped } = await readTree(dir, isSetterCandidate);
    expect(files.map((f) => f.path)).toEqual([
      ".github/workflows/ci.yaml",
      "Kustomization",
      "a.yaml",
      "b.yml",
      "filelink.yaml",
      "outside/linked.yaml",
      "sub/deep/e.yaml",
    ]);
    expect(files.find((f) => f.path === "sub/deep/e.yaml")?.content).toBe("é: ü\n");
    expect(skipped.map((s) => s.path).sort()).toEqual(["dangling.yaml", "dirlink.yaml"]);
  });

  it("skips files over maxFileBytes", async () => {
    await put("big.yaml", "x".repeat(100));
    await put("small.yaml", "x");
    const { files, skipped } = await readTree(dir, () => true, { maxFileBytes: 10 });
    expect(files.map((f) => f.path)).toEqual(["small.yaml"]);
    expect(skipped).toEqual([{ path: "big.yaml", reason: "larger than 10 bytes" }]);
  });
});

describe("writeFiles", () => {
  it("writes files, creating directories, byte for byte", async () => {
    await writeFiles(dir, [{ path: "x/y/z.yaml", content: "a: 1\r\n\uFEFF" }]);
    expect(await readFile(join(dir, "x/y/z.yaml"), "utf8")).toBe("a: 1\r\n\uFEFF");
  });

  it.each(["../evil.yaml", "/abs.yaml", "a//b.yaml", "a/../../b.yaml"])("refuses %s", async (p) => {
    await expect(writeFiles(dir, [{ path: p, content: "" }])).rejects.toMatchObject({ code: "local.invalid-path" });
  });
});
