/**
 * Runs the pack on an offline plan or a stack export, with the stack's category, as
 * `pulumi preview --policy-pack policy --policy-pack-config policy/config/<category>.json` would.
 * A plan is first written as a stack export, so `msp preview` and `msp policy check` evaluate the same data.
 */
import type { OfflineResult } from "../engine/plan";
import { toStackExport, type StackExport } from "../engine/export";
import type { Category } from "../platform/categories";
import { POLICIES } from "../policy/policies";
import {
  evaluatePolicies,
  type EvaluationResult,
  type PolicyInput,
  type PolicyPackConfigFile,
} from "./evaluate";
import { categoryConfig } from "./generate";
import { nameOfAnyUrn, scopeOfAnyUrn } from "../engine/urn";

/** The stack tags the policies read (the deploy workflow sets the same tags on real stacks). */
export function stackTags(stack: string, service: string, category: Category): Map<string, string> {
  return new Map([
    ["msp:category", category],
    ["msp:service", service],
    ["msp:stack", stack],
  ]);
}

const isEmpty = (o: Record<string, unknown> | undefined) => !o || Object.keys(o).length === 0;

/**
 * Resources of a `pulumi stack export` document (ours or the real CLI's), as the engine would analyse them.
 * A resource whose export carries inputs but no outputs (a create that never finished, an edited or foreign
 * export) is judged on its inputs by the stack policies too, as the engine's planned state of a resource it
 * has not created carries its inputs as outputs: judged on an empty object, an allUsers grant of
 * roles/run.developer written that way passed every policy.
 */
export function exportResources(doc: StackExport): PolicyInput[] {
  return doc.deployment.resources
    .filter((r) => !(r as { delete?: boolean }).delete) // pending deletes are not part of the stack
    .map((r) => ({
      urn: r.urn,
      type: r.type,
      name: nameOfAnyUrn(r.urn),
      inputs: r.inputs ?? {},
      outputs: isEmpty(r.outputs) && !isEmpty(r.inputs) ? r.inputs : r.outputs,
      parent: r.parent,
      provider: r.provider,
      protect: r.protect,
      ignoreChanges: r.ignoreChanges,
      deleteBeforeReplace: r.deleteBeforeReplace,
      additionalSecretOutputs: (r as { additionalSecretOutputs?: string[] }).additionalSecretOutputs,
      dependencies: r.dependencies,
      propertyDependencies: r.propertyDependencies,
    }));
}

/** The stack name of an export: the project-scoped part of its URNs. */
export function exportStackName(doc: StackExport): string | undefined {
  const first = doc.deployment.resources[0];
  return first && scopeOfAnyUrn(first.urn)?.stack;
}

export function checkExport(
  doc: StackExport,
  service: string,
  category: Category,
  config: PolicyPackConfigFile = categoryConfig(category),
): EvaluationResult {
  const stack = exportStackName(doc) ?? "stack";
  return evaluatePolicies(POLICIES, exportResources(doc), config, stackTags(stack, service, category));
}

export function checkPlan(
  plan: OfflineResult,
  service: string,
  category: Category,
  config: PolicyPackConfigFile = categoryConfig(category),
): EvaluationResult {
  return checkExport(toStackExport(plan, "offline"), service, category, config);
}
