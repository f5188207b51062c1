import { describe, expect, it } from "@jest/globals";
import { isActing, parseCommand } from "../../../src/core/commands/parse.js";
import { getReply } from "../../../src/core/commands/tables.js";
import { commandUsage } from "../../../src/core/commands/usage.js";
import { allProblems } from "../../../src/app/state.js";
import { fleetState, NOW } from "../../fixtures/dashboard/repo-state.js";

describe("parseCommand", () => {
  it.each<{ body: string; command: unknown }>`
    body                                                                  | command
    ${"/flux reconcile image repository podinfo"}                         | ${{ kind: "reconcile-repository", name: "podinfo" }}
    ${"/flux reconcile image repository podinfo -n apps"}                 | ${{ kind: "reconcile-repository", name: "podinfo", namespace: "apps" }}
    ${"  /flux  reconcile images repo podinfo --namespace=apps\nthanks!"} | ${{ kind: "reconcile-repository", name: "podinfo", namespace: "apps" }}
    ${"/flux reconcile image update flux-system --with-source"}           | ${{ kind: "reconcile-update", name: "flux-system" }}
    ${"/flux reconcile source git"}                                       | ${{ kind: "reconcile-source" }}
    ${"/flux reconcile source git flux-system"}                           | ${{ kind: "reconcile-source" }}
    ${"/flux get images all"}                                             | ${{ kind: "get", what: "all" }}
    ${"/flux get images -A"}                                              | ${{ kind: "get", what: "all" }}
    ${"/flux get images repository"}                                      | ${{ kind: "get", what: "repository" }}
    ${"/flux get image policy"}                                           | ${{ kind: "get", what: "policy" }}
    ${"/flux get images update"}                                          | ${{ kind: "get", what: "update" }}
    ${"/flux suspend image update apps-weekly -n apps"}                   | ${{ kind: "suspend", name: "apps-weekly", namespace: "apps" }}
    ${"/flux resume image update apps-weekly"}                            | ${{ kind: "resume", name: "apps-weekly" }}
    ${"/flux help"}                                                       | ${{ kind: "help" }}
    ${"/flux"}                                                            | ${{ kind: "help" }}
    ${"/flux delete everything"}                                          | ${{ kind: "invalid", message: "unknown command" }}
    ${"/flux reconcile image repository"}                                 | ${{ kind: "invalid", message: "a name is missing" }}
    ${"/flux reconcile image repository a b"}                             | ${{ kind: "invalid", message: "give one name" }}
    ${"/flux reconcile image repository <img>"}                           | ${{ kind: "invalid", message: "the name is not a valid Kubernetes name" }}
    ${"/flux reconcile image repository x -n"}                            | ${{ kind: "invalid", message: "-n needs a namespace" }}
    ${"/flux reconcile image repository x -n `a|b`"}                      | ${{ kind: "invalid", message: "the namespace is not a valid Kubernetes name" }}
    ${"/flux get images all --output json"}                               | ${{ kind: "invalid", message: "unknown flag --output" }}
    ${"/flux suspend image repository x"}                                 | ${{ kind: "invalid", message: "only image update automations can be suspended" }}
    ${"/flux reconcile kustomization x"}                                  | ${{ kind: "invalid", message: "reconcile what? image repository, image update or source git" }}
    ${"/flux get images tags"}                                            | ${{ kind: "invalid", message: "get what? images all, repository, policy or update" }}
  `("$body", ({ body, command }) => {
    expect(parseCommand(body, "/flux")).toEqual(command);
  });

  it.each`
    body
    ${"hello /flux help"}
    ${"/fluxcd help"}
    ${"> /flux help"}
    ${""}
  `("$body is not a command", ({ body }) => {
    expect(parseCommand(body, "/flux")).toBeNull();
  });

  it("uses the configured prefix", () => {
    expect(parseCommand("/image-bot get images update", "/image-bot")).toEqual({ kind: "get", what: "update" });
    expect(parseCommand("/flux help", "/image-bot")).toBeNull();
  });

  it("tells acting commands from reading ones", () => {
    expect(isActing({ kind: "get", what: "all" })).toBe(false);
    expect(isActing({ kind: "help" })).toBe(false);
    expect(isActing({ kind: "reconcile-source" })).toBe(true);
    expect(isActing({ kind: "suspend", name: "x" })).toBe(true);
  });
});

describe("replies", () => {
  it("renders the flux get tables and the usage", () => {
    const s = fleetState();
    const input = { ...s, problems: allProblems(s) };
    expect(getReply(input, "all", NOW)).toMatchSnapshot();
    expect(getReply(input, "policy", NOW)).not.toContain("Image repositories");
    expect(commandUsage("/flux")).toMatchSnapshot();
  });

  it("answers in a fenced block in the flux CLI's column layout", () => {
    const s = fleetState();
    const reply = getReply({ ...s, problems: allProblems(s) }, "repository", NOW);
    const lines = reply.split("\n");
    expect(lines.slice(0, 3)).toEqual(["**Image repositories**", "", "```"]);
    expect(lines[3]).toBe("NAMESPACE  \tNAME       \tLAST SCAN           \tSUSPENDED\tREADY\tMESSAGE");
    expect(lines[4]).toBe("apps       \thomepage   \t2024-04-30T09:00:00Z\tFalse    \tTrue \tsuccessful scan: found 12 tags");
    expect(lines.at(-1)).toBe("```");
    // every row's columns start at the same offsets, whatever the tab width
    const starts = (l: string) =>
      l
        .split("\t")
        .slice(0, -1)
        .map((c) => c.length);
    for (const l of lines.slice(4, -1)) expect(starts(l)).toEqual(starts(lines[3]!));
  });

  it("a cell cannot close the fence or add lines", () => {
    const s = fleetState();
    s.scans["apps/private-api"]!.error = { code: "x", message: "````\n@admin <img src=x>" };
    const reply = getReply({ ...s, problems: allProblems(s) }, "repository", NOW);
    const fence = reply.split("\n")[2]!;
    expect(fence).toBe("`````");
    expect(reply.split("\n").filter((l) => l === fence)).toHaveLength(2);
  });
});
