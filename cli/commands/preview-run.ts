/** msp preview: one stack offline (plan, exports, policies), or every stack with --all. */
import type { Command } from "commander";
import { Presets, SingleBar } from "cli-progress";
import { loadServices, loadServicesForStack } from "../../spec/loader";
import { findStack, listStacks } from "../../program/stack-targets";
import { runStackOffline } from "../../engine/run";
import { stackExportJson } from "../../engine/export";
import {
  hasUnknown,
  renderDetails,
  renderOutputs,
  renderSummary,
  renderTree,
  UNKNOWN_LEGEND,
} from "../../engine/render";
import { platformSettingsFor } from "../../program/config";
import { previewFleet, type FleetStackResult } from "../../engine/fleet";
import { EXIT_FAILURE, UsageError } from "../errors";
import { checkPlan } from "../../policy/offline";
import { readPackConfig } from "./policy";
import { policyVerdict, printViolations } from "./policy-check";
import { servicesDir, repoRoot } from "../options";
import { progress } from "../progress";
import { outputArgument, writeOutput, type OutputTarget } from "../arguments";
import { makeStyle, planPaint, stdoutStyle, wantsStyle } from "../terminal";

const SDK_VERSION = (require("@pulumi/pulumi/package.json") as { version: string }).version;

export interface PreviewOptions {
  json?: string;
  previewJson?: string;
  diff?: boolean;
  all?: boolean;
}

const toStdout = (t: OutputTarget | undefined) => t !== undefined && "stdout" in t;

export async function runPreview(
  program: Command,
  stack: string | undefined,
  opts: PreviewOptions,
): Promise<void> {
  const dir = servicesDir(program);
  const allStacks = () => listStacks(loadServices(dir)).map((s) => s.name);
  if (opts.all) {
    if (stack) throw new UsageError("give a stack name or --all, not both");
    if (opts.json !== undefined || opts.previewJson !== undefined || opts.diff)
      throw new UsageError("--json, --preview-json and --diff show one stack: use them without --all");
    return previewAll(dir, allStacks());
  }
  if (!stack) throw new UsageError(`name a stack to preview (or --all); stacks: ${allStacks().join(", ")}`);
  // Output options are checked before the (slow) run: `-` is standard output, a folder is refused.
  const json = opts.json === undefined ? undefined : outputArgument(opts.json, "--json");
  const previewJson =
    opts.previewJson === undefined ? undefined : outputArgument(opts.previewJson, "--preview-json");
  if (toStdout(json) && toStdout(previewJson))
    throw new UsageError("--json and --preview-json cannot both write to standard output (-)");
  // With an export on standard output, everything meant for people goes to standard error.
  const human = toStdout(json) || toStdout(previewJson) ? process.stderr : process.stdout;
  const say = (text: string) => void human.write(`${text}\n`);
  const style = makeStyle(wantsStyle(human));
  const paint = planPaint(style);

  // Only the service the stack belongs to is loaded and validated: a broken spec elsewhere does not matter.
  const target = findStack(loadServicesForStack(dir, stack), stack);
  if (!target) throw new UsageError(`unknown stack "${stack}"; stacks: ${allStacks().join(", ")}`);
  const previous = Error.stackTraceLimit;
  Error.stackTraceLimit = 0; // The SDK captures a stack per output; nobody reads them here.
  const settings = platformSettingsFor(stack, repoRoot());
  const step = progress();
  step(`running the stack program of ${stack} offline, as pulumi preview and as pulumi up`);
  let applied, preview;
  try {
    // Two runs of the program: what `pulumi preview` knows (shown), and the state after `pulumi up`
    // (checked by the policies, as CrossGuard does during `pulumi up`).
    preview = await runStackOffline(target, settings, { mode: "preview" });
    applied = await runStackOffline(target, settings);
  } finally {
    Error.stackTraceLimit = previous;
  }
  say(renderTree(stack, preview.resources, paint));
  say("");
  if (opts.diff) say(renderDetails(preview.resources) + "\n");
  const outputs = renderOutputs(preview.outputs);
  if (outputs) say(outputs + "\n");
  say(renderSummary(preview.resources, paint));
  if (hasUnknown(preview.outputs) || (opts.diff && preview.resources.some((r) => hasUnknown(r.inputs))))
    say(`\n${UNKNOWN_LEGEND}`);
  if (json) {
    const file = writeOutput(json, stackExportJson(applied, SDK_VERSION));
    if (file) say(`\nWrote the stack export (state after apply) to ${file}`);
  }
  if (previewJson) {
    const file = writeOutput(previewJson, stackExportJson(preview, SDK_VERSION));
    if (file) say(`\nWrote the stack export (as previewed, with unknowns) to ${file}`);
  }
  const category = target.env.category;
  step(`checking the policy pack (${category})`);
  const policies = checkPlan(applied, target.service.spec.service.id, category, readPackConfig(category));
  const mandatory = printViolations(policies, say, style);
  say(`\n${policyVerdict(`Policies: msp pack (${category})`, policies, style)}`);
  if (mandatory) process.exitCode = EXIT_FAILURE;
}

async function previewAll(dir: string, stacks: string[]): Promise<void> {
  const tty = process.stderr.isTTY === true;
  const bar = tty
    ? new SingleBar(
        { format: "previewing {bar} {value}/{total} stacks {stack}", hideCursor: true },
        Presets.shades_classic,
      )
    : undefined;
  bar?.start(stacks.length, 0, { stack: "" });
  const onDone = (r: FleetStackResult) => {
    if (bar) bar.increment({ stack: r.stack });
    else
      console.log(
        `${r.ok ? "ok  " : "FAIL"} ${r.stack} (${r.resources} resources, ${Math.round(r.ms)} ms)${r.error ? `: ${r.error}` : ""}`,
      );
  };
  const fleet = await previewFleet({ servicesDir: dir, root: repoRoot() }, stacks, onDone);
  bar?.stop();
  const style = stdoutStyle();
  const w = Math.max(5, ...fleet.results.map((r) => r.stack.length));
  console.log(style.strong(`\n${"STACK".padEnd(w)}  STATUS  RESOURCES  MANDATORY  TIME`));
  for (const r of fleet.results) {
    const status = r.ok ? style.ok("ok".padEnd(6)) : style.danger("FAILED");
    const mandatory = String(r.mandatory ?? "-").padStart(9);
    console.log(
      `${r.stack.padEnd(w)}  ${status}  ${String(r.resources).padStart(9)}  ${r.mandatory ? style.danger(mandatory) : mandatory}  ${Math.round(r.ms)} ms`,
    );
  }
  const failed = fleet.results.filter((r) => !r.ok);
  for (const f of failed) console.error(`${f.stack}: ${f.error}`);
  console.log(
    `\n${fleet.results.length} stacks in ${(fleet.wallMs / 1000).toFixed(1)} s on ${fleet.workers} workers ` +
      `(${(fleet.wallMs / fleet.results.length).toFixed(0)} ms per stack, peak memory ${Math.round(fleet.peakRssMiB)} MiB); ${failed.length} failed`,
  );
  if (failed.length) process.exitCode = EXIT_FAILURE;
}
