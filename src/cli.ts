#!/usr/bin/env node
/**
 * flux-image-bot CLI: runs the bot's pipeline on a local checkout, with no
 * GitHub and no Redis.
 */
import { parseArgs } from "node:util";
import { runApply, runPlan, type Io } from "./cli/plan-command.js";
import { runPolicyBatch, runPolicyLive } from "./cli/policy-command.js";
import { UsageError } from "./cli/args.js";

const HELP: Record<string, string> = {
  main: `flux-image-bot: Flux image automation for a repository checkout, without a cluster.

Usage:
  flux-image-bot plan [DIR]     show the updates the automations in DIR would make
  flux-image-bot apply [DIR]    make them (and --commit them in a git checkout)
  flux-image-bot policy ...     which tag does a policy pick (--image live, or --batch)

Run 'flux-image-bot <command> --help' for a command's flags.
Exit codes: 0 done (problems are listed, not fatal), 1 failed, 2 wrong usage.`,
  plan: `Usage: flux-image-bot plan [DIR] [flags]

Reads every ImageRepository, ImagePolicy and ImageUpdateAutomation under DIR
(default .), scans the registries (or reads --tags), picks each policy's latest
tag as Flux does, and prints, per automation, the changes to the marked fields
and the commit message. Nothing is written.

Flags:
  --tags FILE                 read tags from a JSON file {"<spec.image>": ["tag", ...]} instead of the registries
  --set NS:NAME=IMAGE:TAG[@DIGEST]
                              set a policy's result directly (repeatable)
  --branch NAME               the branch the checkout is (default: its current branch): decides which
                              GitRepositories are this repository's, and the branch of automations that name none
  --repository OWNER/REPO|URL this repository, to tell its own GitRepositories apart (default: the origin remote;
                              without either, every GitRepository counts as this repository)
  --json                      machine-readable output
  -h, --help                  this help`,
  apply: `Usage: flux-image-bot apply [DIR] [flags]

Like plan, then writes the changed files in place (only the changed values'
bytes change). With --commit, commits each automation's changes in the git
checkout as the automation's author (spec.git.commit.author) with its rendered
messageTemplate.

Flags:
  --commit                    commit the changes (DIR must be a git checkout)
  --tags FILE, --set ..., --branch NAME, --repository R, --json   as for plan
  -h, --help                  this help`,
  policy: `Usage:
  flux-image-bot policy --image REF (--semver RANGE | --numerical asc|desc | --alphabetical asc|desc)
                        [--filter-pattern P] [--filter-extract E] [--exclude REGEX]... [--insecure]
                        [--provider aws|gcp|azure] [--digest] [--json]
  flux-image-bot policy --batch < lines.jsonl

--image lists REF's tags live (credentials from the Docker config file:
$DOCKER_CONFIG/config.json or ~/.docker/config.json), applies the exclusion
list (default ^.*\\.sig$) and the policy, and prints the selected tag and the
next candidates; --digest also prints the selected tag's digest. --provider
aws|gcp|azure takes a token from your own cloud credentials instead (ECR,
Artifact Registry / GCR, ACR), as an ImageRepository's spec.provider does.

--batch reads JSON lines on stdin, one per evaluation:
  {"id": 1, "tags": ["1.0.0", "1.1.0"], "policy": {"semver": {"range": ">=1.0.0"}},
   "filterTags": {"pattern": "...", "extract": "..."}, "exclusionList": ["..."]}
and prints one line per input line, in order: {"id": 1, "latest": "1.1.0"} or {"id": 1, "error": "..."}.`,
};

const PLAN_OPTIONS = {
  tags: { type: "string" },
  set: { type: "string", multiple: true },
  branch: { type: "string" },
  repository: { type: "string" },
  json: { type: "boolean" },
  commit: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

const POLICY_OPTIONS = {
  image: { type: "string" },
  semver: { type: "string" },
  numerical: { type: "string" },
  alphabetical: { type: "string" },
  "filter-pattern": { type: "string" },
  "filter-extract": { type: "string" },
  exclude: { type: "string", multiple: true },
  insecure: { type: "boolean" },
  provider: { type: "string" },
  digest: { type: "boolean" },
  json: { type: "boolean" },
  batch: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export async function main(argv: string[], io: Io, stdin: NodeJS.ReadableStream = process.stdin): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === "--help" || command === "-h" || command === "help") {
      io.out(HELP.main);
      return command ? 0 : 2;
    }
    if (command === "plan" || command === "apply") {
      const { values, positionals } = parseArgs({ args: rest, options: PLAN_OPTIONS, allowPositionals: true });
      if (values.help) {
        io.out(HELP[command]);
        return 0;
      }
      if (positionals.length > 1) throw new UsageError(`${command} takes one directory, got ${positionals.length}`);
      if (command === "plan" && values.commit) throw new UsageError("--commit goes with apply, not plan");
      const flags = { ...values, set: values.set ? [...values.set] : undefined };
      return command === "plan" ? await runPlan(positionals[0] ?? ".", flags, io) : await runApply(positionals[0] ?? ".", flags, io);
    }
    if (command === "policy") {
      const { values, positionals } = parseArgs({ args: rest, options: POLICY_OPTIONS, allowPositionals: true });
      if (values.help) {
        io.out(HELP.policy);
        return 0;
      }
      if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
      if (values.batch) return await runPolicyBatch(stdin, io);
      return await runPolicyLive({ ...values, exclude: values.exclude ? [...values.exclude] : undefined }, io);
    }
    throw new UsageError(`unknown command "${command}"; run flux-image-bot --help`);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.err(`flux-image-bot: ${(e as Error).message}`);
      return 2;
    }
    io.err(`flux-image-bot: ${(e as Error).message}`);
    return 1;
  }
}

const isEntry = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
const invokedAsBin = process.argv[1]?.endsWith("/flux-image-bot") || process.argv[1]?.endsWith("/cli.js");
if (isEntry || invokedAsBin) {
  const io: Io = { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) };
  main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
