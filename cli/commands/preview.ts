import * as fs from "node:fs";
import type { Command } from "commander";
import { Presets, SingleBar } from "cli-progress";
import { loadServices, loadServicesForStack } from "../../spec/loader";
import { findStack, listStacks } from "../../program/stack";
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
import { printViolations, readPackConfig } from "./policy";
import { servicesDir, repoRoot } from "../options";
import { progress } from "../progress";

const SDK_VERSION = (require("@pulumi/pulumi/package.json") as { version: string }).version;

interface PreviewOptions {
  json?: string;
  previewJson?: string;
  diff?: boolean;
  all?: boolean;
}

export function registerPreview(program: Command): void {
  program
    .command("preview")
    .description(
      "show what `pulumi preview` would create for a stack, offline (no cloud account, no Pulumi CLI)",
    )
    .argument("[stack]", "stack name <service>-<env>, e.g. releaseregistry-prod")
    .option(
      "--json <file>",
      "also write the plan as a `pulumi stack export` document of the state after `pulumi up` (modelled IDs and computed values; what the policies check)",
    )
    .option(
      "--preview-json <file>",
      "also write the same document as `pulumi preview` knows it: no IDs, Pulumi's unknown sentinel for values known only after apply",
    )
    .option("--diff", "also show every resource's inputs, as `pulumi preview --diff` does")
    .option("--all", "preview every stack of every service, spread over the machine's cores")
    .action(async (stack: string | undefined, opts: PreviewOptions) => {
      const dir = servicesDir(program);
      const allStacks = () => listStacks(loadServices(dir)).map((s) => s.name);
      if (opts.all) {
        if (stack) throw new UsageError("give a stack name or --all, not both");
        if (opts.json || opts.previewJson || opts.diff)
          throw new UsageError("--json, --preview-json and --diff show one stack: use them without --all");
        return previewAll(dir, allStacks());
      }
      if (!stack)
        throw new UsageError(`name a stack to preview (or --all); stacks: ${allStacks().join(", ")}`);
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
      console.log(renderTree(stack, preview.resources));
      console.log("");
      if (opts.diff) console.log(renderDetails(preview.resources) + "\n");
      const outputs = renderOutputs(preview.outputs);
      if (outputs) console.log(outputs + "\n");
      console.log(renderSummary(preview.resources));
      if (hasUnknown(preview.outputs) || (opts.diff && preview.resources.some((r) => hasUnknown(r.inputs))))
        console.log(`\n${UNKNOWN_LEGEND}`);
      if (opts.json) {
        fs.writeFileSync(opts.json, stackExportJson(applied, SDK_VERSION));
        console.log(`\nWrote the stack export (state after apply) to ${opts.json}`);
      }
      if (opts.previewJson) {
        fs.writeFileSync(opts.previewJson, stackExportJson(preview, SDK_VERSION));
        console.log(`\nWrote the stack export (as previewed, with unknowns) to ${opts.previewJson}`);
      }
      const category = target.env.category;
      step(`checking the policy pack (${category})`);
      const policies = checkPlan(applied, target.service.spec.service.id, category, readPackConfig(category));
      const mandatory = printViolations(policies);
      console.log(
        `\nPolicies: msp pack (${category}): ${mandatory} mandatory, ${policies.violations.length - mandatory} advisory violation(s)`,
      );
      if (mandatory) process.exitCode = EXIT_FAILURE;
    });
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
  const w = Math.max(5, ...fleet.results.map((r) => r.stack.length));
  console.log(`\n${"STACK".padEnd(w)}  STATUS  RESOURCES  MANDATORY  TIME`);
  for (const r of fleet.results)
    console.log(
      `${r.stack.padEnd(w)}  ${(r.ok ? "ok" : "FAILED").padEnd(6)}  ${String(r.resources).padStart(9)}  ${String(r.mandatory ?? "-").padStart(9)}  ${Math.round(r.ms)} ms`,
    );
  const failed = fleet.results.filter((r) => !r.ok);
  for (const f of failed) console.error(`${f.stack}: ${f.error}`);
  console.log(
    `\n${fleet.results.length} stacks in ${(fleet.wallMs / 1000).toFixed(1)} s on ${fleet.workers} workers ` +
      `(${(fleet.wallMs / fleet.results.length).toFixed(0)} ms per stack, peak memory ${Math.round(fleet.peakRssMiB)} MiB); ${failed.length} failed`,
  );
  if (failed.length) process.exitCode = EXIT_FAILURE;
}
