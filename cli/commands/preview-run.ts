/** msp preview: one stack offline (plan, exports, policies), or every stack with --all. */
import type { Command } from "commander";
import { Presets, SingleBar } from "cli-progress";
import { loadServices } from "../../servicespec/loader";
import { listStacks, type StackTarget } from "../../program/stack-targets";
import { previewFleet, type FleetStackResult } from "../../runner/fleet";
import { EXIT_FAILURE, UsageError } from "../errors";
import { servicesDir, repoRoot } from "../options";
import { stdoutStyle } from "../terminal";
import type { FirstDeployOptions } from "./first-deploy";

export interface PreviewOptions extends FirstDeployOptions {
  json?: string;
  previewJson?: string;
  diff?: boolean;
  all?: boolean;
  state?: string;
}

export async function runPreview(
  program: Command,
  stack: string | undefined,
  opts: PreviewOptions,
): Promise<void> {
  const dir = servicesDir(program);
  const allTargets = () => listStacks(loadServices(dir));
  const allStacks = () => allTargets().map((s) => s.name);
  if (opts.all) {
    if (stack) throw new UsageError("give a stack name or --all, not both");
    if (opts.deployReady || opts.deployed !== undefined || opts.checkSecretsInCloud || opts.firstStepTargets)
      throw new UsageError(
        "--deploy-ready, --deployed, --check-secrets-in-cloud and --first-step-targets check one stack: use them without --all",
      );
    if (opts.json !== undefined || opts.previewJson !== undefined || opts.diff || opts.state !== undefined)
      throw new UsageError(
        "--json, --preview-json, --diff and --state are about one stack: use them without --all",
      );
    return previewAll(allTargets);
  }
  if (!stack) throw new UsageError(`name a stack to preview (or --all); stacks: ${allStacks().join(", ")}`);
  // One stack: the Pulumi SDKs load only now (preview-stack.ts), so that --all does not load them here too:
  // its workers do.
  return (require("./preview-stack") as typeof import("./preview-stack")).previewStack(
    dir,
    stack,
    opts,
    allStacks,
  );
}

async function previewAll(allTargets: () => StackTarget[]): Promise<void> {
  const tty = process.stderr.isTTY === true;
  const bar = tty
    ? new SingleBar(
        { format: "previewing {bar} {value}/{total} stacks {stack}", hideCursor: true },
        Presets.shades_classic,
      )
    : undefined;
  // The fleet's workers start loading the SDKs while the specs are validated and the stacks listed.
  const stacks = () => {
    const targets = allTargets();
    bar?.start(targets.length, 0, { stack: "" });
    return targets;
  };
  const onDone = (r: FleetStackResult) => {
    if (bar) bar.increment({ stack: r.stack });
    else
      console.log(
        `${r.ok ? "ok  " : "FAIL"} ${r.stack} (${r.resources} resources, ${Math.round(r.ms)} ms)${r.error ? `: ${r.error}` : ""}`,
      );
  };
  const fleet = await previewFleet({ root: repoRoot() }, stacks, onDone);
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
