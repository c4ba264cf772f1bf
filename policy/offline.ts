/** Runs the pack on an offline plan, with the stack's category, as `pulumi preview --policy-pack` would. */
import type { OfflineResult } from "../engine/run";
import type { Category } from "../spec/schema";
import { POLICIES } from "./policies";
import { evaluatePolicies, type EvaluationResult, type PackConfig, type PolicyInput } from "./evaluate";
import { categoryConfig } from "./generate";

export function planResources(plan: OfflineResult): PolicyInput[] {
  return plan.resources.map((r) => ({ ...r, inputs: r.inputs, outputs: r.outputs }));
}

export function stackTags(stack: string, service: string, category: Category): Map<string, string> {
  return new Map([
    ["msp:category", category],
    ["msp:service", service],
    ["msp:stack", stack],
  ]);
}

export function checkPlan(
  plan: OfflineResult,
  service: string,
  category: Category,
  config: PackConfig = categoryConfig(category),
): EvaluationResult {
  return evaluatePolicies(POLICIES, planResources(plan), config, stackTags(plan.stack, service, category));
}
