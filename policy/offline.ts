/** Runs the pack on an offline plan, with the stack's category, as `pulumi preview --policy-pack` would. */
import type { OfflineResult } from "../engine/run";
import type { Category } from "../spec/schema";
import { POLICIES } from "./policies";
import { evaluatePolicies, type EvaluationResult, type PackConfig } from "./evaluate";
import { categoryConfig } from "./generate";

/** The stack tags the policies read (the deploy workflow sets the same tags on real stacks). */
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
  return evaluatePolicies(POLICIES, plan.resources, config, stackTags(plan.stack, service, category));
}
