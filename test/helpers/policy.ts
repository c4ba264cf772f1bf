/** Harness for policy tests: builds analyzer inputs, runs one policy with the engine's semantics. */
import type { MspPolicy } from "../../policy/define";
import {
  evaluatePolicies,
  type EvaluationResult,
  type PackConfig,
  type PolicyInput,
} from "../../policy/evaluate";
import type { Category } from "../../spec/schema";

/** The SDK's sentinel for a string unknown at preview (internal in its typings, exported at run time). */
export const UNKNOWN = (require("@pulumi/policy/proxy") as { unknownStringValue: string }).unknownStringValue;

let n = 0;
/** A resource as the analyzer sees it; `parent` defaults to an msp component. */
export function res(
  type: string,
  inputs: Record<string, unknown>,
  extra: Partial<PolicyInput> = {},
): PolicyInput {
  const name = extra.name ?? `r${n++}`;
  return {
    urn: `urn:pulumi:svc-prod::msp::msp:gcp:X$${type}::${name}`,
    type,
    name,
    inputs,
    parent: "urn:pulumi:svc-prod::msp::msp:gcp:X::x",
    ...extra,
  };
}

export const TAGS = (category: Category = "external", service = "svc") =>
  new Map([
    ["msp:category", category],
    ["msp:service", service],
  ]);

/** Runs one policy at `level` (mandatory unless said otherwise) with extra config values. */
export function run(
  policy: MspPolicy,
  resources: PolicyInput[],
  config: Record<string, unknown> = {},
  tags = TAGS(),
): EvaluationResult {
  const pack: PackConfig = { [policy.name]: { enforcementLevel: "mandatory", ...config } };
  return evaluatePolicies([policy], resources, pack, tags);
}

export const messages = (r: EvaluationResult) => r.violations.map((v) => v.message);

/** Deep copy with one nested value replaced (path like "settings.ipConfiguration.ipv4Enabled"). */
export function withValue<T>(obj: T, dotted: string, value: unknown): T {
  const copy = structuredClone(obj) as Record<string, unknown>;
  const keys = dotted.split(".");
  let cur: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) cur = (cur[k] ??= {}) as Record<string, unknown>;
  if (value === undefined) delete cur[keys.at(-1)!];
  else cur[keys.at(-1)!] = value;
  return copy as T;
}
