import * as fs from "node:fs";
import { execFileSync } from "node:child_process";
import type { Command } from "commander";
import { loadServices } from "../../spec/loader";
import { listStacks } from "../../program/stack";
import { affectedStacks, deployOrder, type StackRef } from "../../delivery/affected";
import { diffExports, renderDiff } from "../../delivery/diff";
import type { StackExport } from "../../engine/export";
import { EXIT_FAILURE, UsageError } from "../errors";
import { servicesDir } from "../options";

function readExport(file: string): StackExport {
  try {
    const doc = JSON.parse(fs.readFileSync(file, "utf8")) as StackExport;
    if (!Array.isArray(doc?.deployment?.resources)) throw new Error("no deployment.resources");
    return doc;
  } catch (e) {
    throw new UsageError(`cannot read stack export ${file}: ${(e as Error).message}`);
  }
}

export function registerDelivery(program: Command): void {
  program
    .command("affected")
    .description("list the stacks a change touches since a git ref (text, or JSON for a CI matrix)")
    .option("--base <ref>", "git ref to compare with, e.g. origin/main")
    .option("--all", "every stack (for scheduled jobs such as drift detection)")
    .option("--json", 'print {"include": [{stack, service, env, category}]} for a GitHub Actions matrix')
    .action((opts: { base?: string; all?: boolean; json?: boolean }) => {
      if (!!opts.base === !!opts.all) throw new UsageError("give --base <ref> or --all");
      let changed: string[] = [];
      if (opts.base)
        try {
          const out = execFileSync("git", ["diff", "--name-only", `${opts.base}...HEAD`], {
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
          });
          changed = out.split("\n").filter(Boolean);
        } catch (e) {
          throw new UsageError(
            `git diff against ${opts.base} failed: ${
              String((e as { stderr?: string }).stderr ?? e)
                .trim()
                .split("\n")[0]
            }`,
          );
        }
      const stacks: StackRef[] = listStacks(loadServices(servicesDir(program))).map((t) => ({
        stack: t.name,
        service: t.service.spec.service.id,
        env: t.env.id,
        category: t.env.category,
      }));
      const hit = deployOrder(opts.all ? stacks : affectedStacks(changed, stacks));
      if (opts.json) console.log(JSON.stringify({ include: hit }));
      else console.log(hit.map((s) => s.stack).join("\n"));
    });
  program
    .command("diff")
    .description("what changes between two stack exports; exit 1 if a stateful resource would be lost")
    .argument("<before>", "export of the base (e.g. main)")
    .argument("<after>", "export of the change")
    .action((before: string, after: string) => {
      const d = diffExports(readExport(before), readExport(after));
      console.log(renderDiff(d));
      if (d.losses.length) process.exitCode = EXIT_FAILURE;
    });
}
