/**
 * msp preview for one stack: runs the stack program offline (as `pulumi preview` and as `pulumi up`), shows the
 * plan, writes the exports asked for and checks the policy pack. Required by preview-run.ts only when one stack
 * is previewed: it loads the Pulumi SDKs.
 */
import { loadServicesForStack } from "../../servicespec/loader";
import { findStack } from "../../program/stack-targets";
import { runStackOffline } from "../../runner/run";
import { stackExportJson } from "../../engine/export";
import {
  hasUnknown,
  renderDetails,
  renderOutputs,
  renderStateDetails,
  renderStateSummary,
  renderStateTree,
  renderSummary,
  renderTree,
  UNKNOWN_LEGEND,
} from "../../engine/render";
import { readStackExport, StackExportError } from "../../engine/read-export";
import type { PriorState } from "../../engine/prior-state";
import { platformSettingsFor } from "../../program/config";
import { EXIT_FAILURE, UsageError } from "../errors";
import { unknownStack } from "../lookup";
import { checkPlan } from "../../policy-emulator/offline";
import { readPackConfig } from "../pack-config";
import { policyVerdict, printViolations } from "./policy-check";
import { repoRoot } from "../options";
import { progress } from "../progress";
import { outputArgument, writeOutput, type OutputTarget } from "../arguments";
import { makeStyle, planPaint, wantsStyle } from "../terminal";
import type { PreviewOptions } from "./preview-run";
import { reportFirstDeploy } from "./first-deploy";
import { SDK_VERSION } from "../../pulumi-sdk/versions";

const toStdout = (t: OutputTarget | undefined) => t !== undefined && "stdout" in t;

export async function previewStack(
  dir: string,
  stack: string,
  opts: PreviewOptions,
  allStacks: () => string[],
): Promise<void> {
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
  if (!target) throw unknownStack(stack, allStacks());
  const state = opts.state === undefined ? undefined : readState(opts.state, stack);
  const previous = Error.stackTraceLimit;
  Error.stackTraceLimit = 0; // The SDK captures a stack per output; nobody reads them here.
  const settings = platformSettingsFor(stack, repoRoot());
  const step = progress();
  step(`running the stack program of ${stack} offline, as pulumi preview and as pulumi up`);
  let applied, preview;
  try {
    // Two runs of the program: what `pulumi preview` knows (shown), and the state after `pulumi up`
    // (checked by the policies, as CrossGuard does during `pulumi up`).
    // Against a state, each run matches the program's resources with the state's afresh.
    preview = await runStackOffline(target, settings, { mode: "preview", prior: state?.prior() });
    applied = await runStackOffline(target, settings, { prior: state?.prior() });
  } finally {
    Error.stackTraceLimit = previous;
  }
  const deletes = preview.deletes ?? [];
  say(
    state
      ? renderStateTree(stack, opts.state!, preview.resources, deletes, paint)
      : renderTree(stack, preview.resources, paint),
  );
  say("");
  if (opts.diff) {
    const details = state ? renderStateDetails(preview.resources, deletes) : renderDetails(preview.resources);
    if (details) say(details + "\n");
  }
  const outputs = renderOutputs(preview.outputs);
  if (outputs) say(outputs + "\n");
  say(
    state ? renderStateSummary(preview.resources, deletes, paint) : renderSummary(preview.resources, paint),
  );
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
  // Where the first real `pulumi up` would stop (the applied plan: IDs, numbers and emails are known there).
  reportFirstDeploy(stack, applied.resources, opts, say, style);
  if (mandatory) process.exitCode = EXIT_FAILURE;
}

/**
 * The state to plan against: a readable export (exit 2 otherwise) of this stack, after apply, and a fresh
 * matcher per run. The planner loads only then: a plain preview does not pay for it.
 */
function readState(file: string, stack: string): { prior: () => PriorState } {
  const plan = require("../../delivery/state-plan") as typeof import("../../delivery/state-plan");
  try {
    const state = readStackExport(file);
    plan.checkState(state, stack);
    return { prior: () => plan.priorState(state) };
  } catch (e) {
    if (e instanceof StackExportError) throw new UsageError(`--state: ${e.message}`);
    if (e instanceof plan.NotAStateError) throw new UsageError(`--state: ${file}: ${e.message}`);
    throw e;
  }
}
