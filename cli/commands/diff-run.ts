/**
 * msp diff: two exports compared, or one stack planned here and compared with its base (the specs at a git
 * ref planned with this checkout's code, or an export of the base). Every changed input is shown before ->
 * after (delivery/value-changes.ts); for a stack the policy pack's verdict on the change is part of the report.
 */
import * as path from "node:path";
import * as fs from "node:fs";
import type { Command } from "commander";
import { codeChanges } from "../../delivery/affected";
import { repoRelative, stacksAt } from "../../delivery/base-specs";
import { treeAt } from "../../delivery/base-tree";
import { diffExports, renderDiff, type ExportDiff } from "../../delivery/diff";
import { diffReport, renderMarkdown, type DiffReport, type PolicySummary } from "../../delivery/diff-report";
import { Git } from "../../delivery/git";
import type { StackExport } from "../../engine/export";
import { readStackExport } from "../../engine/read-export";
import { usage } from "../usage";
import { EXIT_FAILURE, UsageError } from "../errors";
import { SpecError } from "../../servicespec/loader";
import type { OutputFormat } from "../format-option";
import { repoRoot, servicesDir } from "../options";
import { diffPaint, stdoutStyle } from "../terminal";
import { outputArgument, writeOutput } from "../arguments";

export interface DiffOptions {
  base?: string;
  before?: string;
  json?: string;
  summary?: string;
  allowDowngrade?: boolean;
  format: OutputFormat;
}

const EMPTY: StackExport = { version: 3, deployment: { resources: [] } } as unknown as StackExport;

export async function runDiff(
  program: Command,
  first: string,
  second: string | undefined,
  opts: DiffOptions,
): Promise<void> {
  const stackMode = opts.base !== undefined || opts.before !== undefined;
  if (opts.base !== undefined && opts.before !== undefined)
    throw new UsageError("give --base <ref> or --before <export.json>, not both");
  if (stackMode && second !== undefined)
    throw new UsageError(`with --base or --before, name one stack, not two exports ("${second}")`);
  if (!stackMode && second === undefined)
    throw new UsageError(
      "give two exports (msp diff <before.json> <after.json>), or a stack with --base <ref> or --before <export.json>",
    );
  if (!stackMode && opts.json !== undefined)
    throw new UsageError("--json writes a stack's plan: use it with --base or --before");
  const allowDowngrade = !!opts.allowDowngrade;
  let report: DiffReport;
  let d: ExportDiff;
  if (!stackMode) {
    d = diffExports(
      usage(() => readStackExport(first)),
      usage(() => readStackExport(second!)),
    );
    report = diffReport(d, { allowDowngrade });
  } else {
    const planned = await planBoth(program, first, opts);
    d = diffExports(planned.before, planned.after);
    report = diffReport(d, {
      allowDowngrade,
      stack: first,
      base: planned.base,
      policies: planned.policies,
      notes: planned.notes,
    });
  }
  if (opts.summary !== undefined)
    writeOutput(outputArgument(opts.summary, "--summary"), renderMarkdown(report, allowDowngrade) + "\n");
  print(report, d, opts.format, allowDowngrade);
  if (report.verdict.exitCode) process.exitCode = EXIT_FAILURE;
}

function print(report: DiffReport, d: ExportDiff, format: OutputFormat, allowDowngrade: boolean): void {
  if (format === "json") return void console.log(JSON.stringify(report, null, 2));
  if (format === "markdown") return void console.log(renderMarkdown(report, allowDowngrade));
  const style = stdoutStyle();
  const lines: string[] = [];
  if (report.stack !== undefined)
    lines.push(style.strong(`msp diff ${report.stack}: ${report.base ?? "(no base)"} -> this checkout`), "");
  // Without changes the diff starts with its blank line before the counts.
  lines.push(renderDiff(d, allowDowngrade, diffPaint(style)).replace(/^\n/, ""));
  const p = report.policies;
  if (p) {
    lines.push(
      "",
      `Policies: msp pack (${p.category}): ${p.mandatory} mandatory, ${p.advisory} advisory violation(s)`,
    );
    for (const v of p.violations)
      lines.push(
        `    [${v.level}] ${v.policy}${v.resource ? ` (${v.resource})` : ""}: ${v.message.split("\n")[0]}`,
      );
  }
  for (const n of report.notes) lines.push("", `note: ${n}`);
  if (report.verdict.exitCode)
    lines.push("", `${style.mark.error}${style.danger(`msp diff: ${report.verdict.reasons.join(", ")}`)}`);
  console.log(lines.join("\n"));
}

interface Planned {
  before: StackExport;
  after: StackExport;
  base: string;
  policies?: PolicySummary;
  notes: string[];
}

/** The stack planned here (and checked by the pack) and its base, from git or an export. */
async function planBoth(program: Command, stack: string, opts: DiffOptions): Promise<Planned> {
  const json = opts.json === undefined ? undefined : outputArgument(opts.json, "--json");
  const plan = require("./diff-plan") as typeof import("./diff-plan");
  const dir = servicesDir(program);
  const notes: string[] = [];
  let before: StackExport;
  let base: string;
  let inBase: boolean;
  if (opts.before !== undefined) {
    before = usage(() => readStackExport(opts.before!));
    base = opts.before;
    inBase = before.deployment.resources.length > 0;
  } else {
    const git = new Git();
    const commit = usage(() => git.resolveCommit(opts.base!));
    const top = usage(() => git.topLevel());
    const at = new Git(top);
    const servicesRel = usage(() => repoRelative(git, dir));
    const project = path.relative(fs.realpathSync(top), fs.realpathSync(repoRoot()));
    const projectRel =
      project.startsWith("..") || path.isAbsolute(project)
        ? undefined
        : project.split(path.sep).join("/") || ".";
    base = commit.startsWith(opts.base!) ? commit.slice(0, 12) : `${opts.base!} (${commit.slice(0, 12)})`;
    const stacks = usage(() => stacksAt(at, commit, servicesRel));
    inBase = stacks.stacks.some((s) => s.stack === stack);
    const code = codeChanges(usage(() => git.changedSince(commit)));
    if (code.length)
      notes.push(
        `the base was planned with this checkout's code, and ${code.length} changed file(s) besides specs can change what is built (${code.slice(0, 5).join(", ")}${code.length > 5 ? ", ..." : ""}): for their effect, diff against an export of the base made with its own code (--before)`,
      );
    if (projectRel === undefined)
      notes.push("this checkout's Pulumi.yaml is outside the git repository: the base used it too");
    if (inBase) {
      const tree = usage(() => treeAt(at, commit, servicesRel, projectRel));
      // Problems of the base's files name them as `<commit>:<path>`, not the temporary copy.
      const shown = (file: string) =>
        file.startsWith(tree.root)
          ? `${commit.slice(0, 12)}:${path.relative(tree.root, file).split(path.sep).join("/")}`
          : file;
      try {
        before =
          (
            await plan.planStack(
              tree.services,
              projectRel === undefined ? repoRoot() : tree.root,
              stack,
              `the base (${opts.base!})`,
            )
          )?.export ?? EMPTY;
      } catch (e) {
        console.error(
          `msp diff: ${stack} is in the base (${opts.base!}), but its plan there failed: the change cannot be checked for data loss`,
        );
        if (e instanceof SpecError) throw new SpecError(e.issues.map((i) => ({ ...i, file: shown(i.file) })));
        throw e;
      } finally {
        tree.remove();
      }
    } else before = EMPTY;
  }
  if (!inBase) notes.push(`${stack} is not in the base: it is new, nothing can be lost`);
  const head = await plan.planStack(dir, repoRoot(), stack, "this checkout");
  if (!head) notes.push(`${stack} is not in this checkout's specs: it is removed`);
  if (!head && !inBase) throw new UsageError(`${stack} is a stack neither of this checkout nor of the base`);
  if (json) {
    const file = writeOutput(json, JSON.stringify(head?.export ?? EMPTY, null, 2) + "\n");
    if (file) console.error(`msp diff: wrote the plan of the change (state after apply) to ${file}`);
  }
  return { before, after: head?.export ?? EMPTY, base, policies: head?.policies, notes };
}
