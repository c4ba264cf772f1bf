/**
 * One stack planned offline for msp diff (as after `pulumi up`: the state the diff compares) and checked by the
 * policy pack. Loads the Pulumi SDKs: required only when msp diff plans a stack.
 */
import { loadServicesForStack } from "../../servicespec/loader";
import { findStack, type StackTarget } from "../../program/stack-targets";
import type { OfflineResult } from "../../engine/plan";
import type { PlatformSettings } from "../../platform/settings";
import { runStackOffline } from "../../runner/run";
import { toStackExport, type StackExport } from "../../engine/export";
import { platformSettingsFor } from "../../program/config";
import { checkPlan } from "../../policy-emulator/offline";
import { mandatory } from "../../policy-emulator/evaluate";
import { nameOfAnyUrn } from "../../engine/urn";
import { readPackConfig } from "../pack-config";
import { progress } from "../progress";
import type { PolicySummary } from "../../delivery/diff-report";
import { SDK_VERSION } from "../../pulumi-sdk/versions";

export interface StackPlan {
  export: StackExport;
  policies: PolicySummary;
}

/**
 * The plan of `stack` from the services in `dir` and the project in `root` (Pulumi.yaml, stacks/), or
 * undefined when those specs do not define the stack. `where` names the side in progress messages.
 */
export async function planStack(
  dir: string,
  root: string,
  stack: string,
  where: string,
): Promise<StackPlan | undefined> {
  const target = findStack(loadServicesForStack(dir, stack), stack);
  if (!target) return undefined;
  progress()(`planning ${stack} as ${where} defines it, offline`);
  const planned = await appliedExport(target, platformSettingsFor(stack, root));
  const category = target.env.category;
  const result = checkPlan(
    planned.result,
    target.service.spec.service.id,
    category,
    readPackConfig(category),
  );
  const m = mandatory(result).length;
  return {
    export: planned.export,
    policies: {
      category,
      mandatory: m,
      advisory: result.violations.length - m,
      violations: result.violations.map((v) => ({
        policy: v.policy,
        level: v.level,
        ...(v.urn !== undefined && { resource: nameOfAnyUrn(v.urn) }),
        message: v.message,
      })),
    },
  };
}

/** The stack planned offline as after `pulumi up`, and its stack export. */
export async function appliedExport(
  target: StackTarget,
  settings: PlatformSettings,
): Promise<{ result: OfflineResult; export: StackExport }> {
  const previous = Error.stackTraceLimit;
  Error.stackTraceLimit = 0; // The SDK captures a stack per output; nobody reads them here.
  try {
    const result = await runStackOffline(target, settings);
    return { result, export: structuredClone(toStackExport(result, SDK_VERSION)) };
  } finally {
    Error.stackTraceLimit = previous;
  }
}
