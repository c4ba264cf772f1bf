/**
 * msp diff: the command and its options. Planning a stack (with --base or --before) loads the Pulumi SDKs, in
 * ./diff-run, required only when the command runs.
 */
import type { Command } from "commander";
import { formatOption } from "../format-option";
import type { DiffOptions } from "./diff-run";

export function registerDiff(program: Command): void {
  program
    .command("diff")
    .description(
      "what changes, every changed input as before -> after: between two stack exports, or for one stack between a base commit (--base) or export (--before) and this checkout; exit 1 on a data loss, a protection downgrade, an unclassified resource type or (for a stack) a mandatory policy violation, 2 when an input cannot be used",
    )
    .argument("<before>", "export of the base (e.g. main), or with --base/--before the stack <service>-<env>")
    .argument("[after]", "export of the change (not with --base/--before)")
    .option(
      "--base <ref>",
      "plan the stack as the specs at this git ref define it and as this checkout does, and compare (both with this checkout's code: a change to the platform code needs --before)",
    )
    .option(
      "--before <export.json>",
      "compare the stack's plan here with this export of the base (msp preview --json of the base, with the base's own code)",
    )
    .option(
      "--json <file>",
      "with a stack: also write its plan here as a stack export (state after apply, what msp policy check reads)",
    )
    .option(
      "--summary <file>",
      "also write the Markdown summary (the pull request's step summary and comment) here",
    )
    .option(
      "--allow-downgrade",
      "report protection downgrades without failing (the msp/allow-downgrade label)",
    )
    .addOption(formatOption(["text", "json", "markdown"]))
    .action(async (first: string, second: string | undefined, opts: DiffOptions) =>
      (require("./diff-run") as typeof import("./diff-run")).runDiff(program, first, second, opts),
    );
}
