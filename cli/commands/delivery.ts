import type { Command } from "commander";
import { loadServices } from "../../servicespec/loader";
import {
  affectedStacks,
  codeChanges,
  deployOrder,
  removedStacks,
  type StackRef,
} from "../../delivery/affected";
import { repoRelative, stacksAt, stacksOf, type StackAt } from "../../delivery/base-specs";
import { deployedRecords, planDeploy, removedSinceDeployed } from "../../delivery/deployed";
import { Git } from "../../delivery/git";
import { UsageError } from "../errors";
import { servicesDir } from "../options";
import { usage } from "../usage";
import { formatOption, type OutputFormat } from "../format-option";

interface AffectedOptions {
  base?: string;
  all?: boolean;
  sinceDeployed?: boolean;
  format: OutputFormat;
  json?: boolean;
}

const strip = ({ allowDestroys: _a, ...s }: StackAt): StackRef => s;
const warn = (ignored: readonly string[]) => {
  for (const w of ignored) console.error(`msp: note: ignored deploy record ${w}`);
};

export function registerDelivery(program: Command): void {
  program
    .command("affected")
    .description(
      "list the stacks a change touches and the stacks it removes (text, or JSON for a CI matrix): against a base ref (pull requests), against each stack's last deployed commit (deploys), or all",
    )
    .option("--base <ref>", "git ref to compare with, e.g. origin/main")
    .option(
      "--since-deployed",
      "compare each stack with the commit it was last deployed from (refs/msp/deployed/*)",
    )
    .option(
      "--all",
      "every stack (for scheduled jobs such as drift detection), plus recorded stacks since removed",
    )
    .addOption(formatOption(["text", "json"]))
    .option("--json", "same as --format json")
    .action((opts: AffectedOptions) => {
      const modes = [opts.base !== undefined, !!opts.all, !!opts.sinceDeployed].filter(Boolean).length;
      if (modes !== 1) throw new UsageError("give exactly one of --base <ref>, --since-deployed or --all");
      const format = opts.json ? "json" : opts.format;
      const dir = servicesDir(program);
      const git = new Git();
      // Resolve and check the ref before anything else reads it.
      const base = opts.base !== undefined ? usage(() => git.resolveCommit(opts.base!)) : undefined;
      const head = stacksOf(loadServices(dir));
      const rel = () => usage(() => repoRelative(git, dir));
      const at = new Map<string, StackAt[]>();
      const stacksAtCommit = (commit: string) => {
        let s = at.get(commit);
        if (!s) {
          const read = usage(() => stacksAt(git, commit, rel()));
          for (const note of read.notes) console.error(`msp: note: ${note}`);
          at.set(commit, (s = read.stacks));
        }
        return s;
      };

      let result: { base?: string; code?: string[]; include: object[]; removed: StackAt[] };
      if (base !== undefined) {
        const changed = usage(() => git.changedSince(base));
        const before = stacksAtCommit(base);
        const inBase = new Set(before.map((s) => s.stack));
        result = {
          base,
          // Changed files besides specs: the base then needs its own code to be planned (msp diff --before).
          code: codeChanges(changed),
          include: deployOrder(affectedStacks(changed, head)).map((s) => ({
            ...strip(s),
            inBase: inBase.has(s.stack),
          })),
          removed: deployOrder(removedStacks(before, head)),
        };
      } else if (opts.sinceDeployed) {
        const plan = usage(() => planDeploy(git, head.map(strip), stacksAtCommit));
        warn(plan.ignored);
        result = { include: plan.include, removed: plan.removed };
      } else {
        // Stacks removed from the specs but still recorded as deployed are still checked for drift.
        let removed: StackAt[] = [];
        const ignored: string[] = [];
        if (git.isRepository()) {
          const { records, ignored: bad } = usage(() => deployedRecords(git));
          ignored.push(...bad);
          removed = usage(() => removedSinceDeployed(records, head, stacksAtCommit, ignored));
        }
        warn(ignored);
        result = { include: deployOrder(head).map(strip), removed };
      }
      if (format === "json") return void console.log(JSON.stringify(result));
      const lines = result.include.map((s) => (s as StackRef).stack);
      for (const r of result.removed)
        lines.push(`removed: ${r.stack} (allowDestroys ${r.allowDestroys ? "set" : "not set"} there)`);
      if (lines.length) console.log(lines.join("\n"));
    });
}
