/** The `/flux help` text, also sent after a command that could not be understood. */
import { code } from "../dashboard/escape.js";

export function commandUsage(prefix = "/flux"): string {
  const p = (s: string) => code(`${prefix} ${s}`, 120);
  return [
    "Commands (the Flux CLI's, after the prefix):",
    "",
    `- ${p("reconcile image repository <name> [-n <namespace>]")}: scan an image repository now`,
    `- ${p("reconcile image update <name> [-n <namespace>]")}: run an image update automation now`,
    `- ${p("reconcile source git")}: read the repository again`,
    `- ${p("get images all|repository|policy|update")}: show the objects and their state`,
    `- ${p("suspend image update <name> [-n <namespace>]")} and ${p("resume image update <name> [-n <namespace>]")}: stop and restart an automation`,
    `- ${p("help")}: this text`,
    "",
    `Without ${code("-n")}, the namespace is the one object of that name, or ${code("flux-system")} when several namespaces have it. Commands that change something need write access to the repository.`,
  ].join("\n");
}
