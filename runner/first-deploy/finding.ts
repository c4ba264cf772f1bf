/** What a first-deploy rule reports, and how a rule is written. */
import { describe, type PlanGraph, type PlannedResource } from "./plan-graph";

export interface FirstDeployFinding {
  /** The rule's name (kebab-case). */
  readonly rule: string;
  /** The resource whose creation would fail: the first real `pulumi up` stops there. */
  readonly urn: string;
  /** `type "name"` of that resource. */
  readonly resource: string;
  /** What the cloud does, in one sentence. */
  readonly problem: string;
  /** How to fix it. */
  readonly fix: string;
  /** Commands that fix it, exactly as they are run (secret versions). */
  readonly commands?: readonly string[];
  /** Tells findings of one rule on one resource apart (the secret, the API). */
  readonly key?: string;
  /** Where the behaviour is documented. */
  readonly source: string;
  /** For a missing secret version: the secret, and whether this deploy creates its container. */
  readonly secret?: {
    readonly project: string;
    readonly name: string;
    readonly version: string;
    readonly containerUrn?: string;
  };
}

export interface FirstDeployRule {
  readonly name: string;
  /** The documentation or issue the rule models. */
  readonly source: string;
  check(graph: PlanGraph): FirstDeployFinding[];
}

/** A finding of `rule` on `r`. */
export function finding(
  rule: FirstDeployRule,
  r: PlannedResource,
  details: Omit<FirstDeployFinding, "rule" | "urn" | "resource" | "source">,
): FirstDeployFinding {
  return { rule: rule.name, urn: r.urn, resource: describe(r), source: rule.source, ...details };
}
