/**
 * Chatops: a comment's text to a Command. The verbs are the Flux CLI's
 * (`flux reconcile image repository <name> -n <ns>`, `flux get images all`,
 * `flux suspend image update <name>` …) after a prefix such as `/flux`.
 */

export type GetWhat = "all" | "repository" | "policy" | "update";

export type Command =
  | { kind: "reconcile-repository"; name: string; namespace?: string }
  | { kind: "reconcile-update"; name: string; namespace?: string }
  | { kind: "reconcile-source" }
  | { kind: "get"; what: GetWhat }
  | { kind: "suspend"; name: string; namespace?: string }
  | { kind: "resume"; name: string; namespace?: string }
  | { kind: "help" }
  /** starts with the prefix but is not a command we know; `message` says why (fixed text plus the offending word) */
  | { kind: "invalid"; message: string };

/** Kubernetes object names and namespaces (DNS subdomain / label); anything else is refused before it reaches a reply. */
const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

interface Args {
  words: string[];
  namespace?: string;
  error?: string;
}

function splitArgs(tokens: string[]): Args {
  const words: string[] = [];
  let namespace: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const eq = /^(?:-n|--namespace)=(.*)$/.exec(t);
    if (eq) namespace = eq[1];
    else if (t === "-n" || t === "--namespace") {
      namespace = tokens[++i];
      if (namespace === undefined) return { words, error: `${t} needs a namespace` };
    } else if (t === "-A" || t === "--all-namespaces" || t === "--with-source") continue;
    else if (t.startsWith("-")) return { words, error: `unknown flag ${t}` };
    else words.push(t);
  }
  if (namespace !== undefined && !NAME.test(namespace)) return { words, error: "the namespace is not a valid Kubernetes name" };
  return { words, namespace };
}

const IMAGE = new Set(["image", "images"]);
const REPOSITORY = new Set(["repository", "repositories", "repo"]);
const UPDATE = new Set(["update", "updates"]);
const POLICY = new Set(["policy", "policies"]);

function named(kind: "reconcile-repository" | "reconcile-update" | "suspend" | "resume", rest: string[], namespace: string | undefined): Command {
  if (rest.length === 0) return { kind: "invalid", message: "a name is missing" };
  if (rest.length > 1) return { kind: "invalid", message: "give one name" };
  if (!NAME.test(rest[0]!)) return { kind: "invalid", message: "the name is not a valid Kubernetes name" };
  return namespace === undefined ? { kind, name: rest[0]! } : { kind, name: rest[0]!, namespace };
}

function fromWords(w: string[], namespace: string | undefined): Command {
  const [verb, a, b, ...rest] = w;
  if (verb === undefined || verb === "help") return { kind: "help" };
  if (verb === "reconcile") {
    if (a && IMAGE.has(a) && b && REPOSITORY.has(b)) return named("reconcile-repository", rest, namespace);
    if (a && IMAGE.has(a) && b && UPDATE.has(b)) return named("reconcile-update", rest, namespace);
    if (a === "source" && b === "git" && rest.length <= 1) return { kind: "reconcile-source" };
    return { kind: "invalid", message: "reconcile what? image repository, image update or source git" };
  }
  if (verb === "get") {
    if (!a || !IMAGE.has(a) || rest.length) return { kind: "invalid", message: "get what? images all, repository, policy or update" };
    if (!b || b === "all") return { kind: "get", what: "all" };
    if (REPOSITORY.has(b)) return { kind: "get", what: "repository" };
    if (POLICY.has(b)) return { kind: "get", what: "policy" };
    if (UPDATE.has(b)) return { kind: "get", what: "update" };
    return { kind: "invalid", message: "get what? images all, repository, policy or update" };
  }
  if (verb === "suspend" || verb === "resume") {
    if (a && IMAGE.has(a) && b && UPDATE.has(b)) return named(verb, rest, namespace);
    return { kind: "invalid", message: `only image update automations can be ${verb === "suspend" ? "suspended" : "resumed"}` };
  }
  return { kind: "invalid", message: "unknown command" };
}

/**
 * The command in a comment, or null when the comment is not one (it does not
 * start with `prefix` followed by a space or the end of the line). Only the
 * first line counts; the rest of the comment is free text.
 */
export function parseCommand(body: string, prefix = "/flux"): Command | null {
  const first = body.replace(/^\s+/, "").split(/\r?\n/, 1)[0] ?? "";
  if (!first.startsWith(prefix)) return null;
  const after = first.slice(prefix.length);
  if (after !== "" && !/^\s/.test(after)) return null;
  const tokens = after.trim().split(/\s+/).filter(Boolean);
  if (tokens.length > 12) return { kind: "invalid", message: "too many words" };
  const args = splitArgs(tokens);
  if (args.error) return { kind: "invalid", message: args.error };
  return fromWords(
    args.words.map((x) => x),
    args.namespace,
  );
}

/** Whether a command changes something (and so needs write access). */
export function isActing(c: Command): boolean {
  return c.kind === "reconcile-repository" || c.kind === "reconcile-update" || c.kind === "reconcile-source" || c.kind === "suspend" || c.kind === "resume";
}
