/**
 * A plan against a deployed state, as `pulumi preview` makes one for a stack that exists: each registration is
 * matched with the state's resource it is (its URN, else one of its aliases) and becomes a step. The engine
 * defines the question; delivery/state-plan.ts answers it with the replacement table msp diff uses.
 */
import type { ExportedResource } from "./export";

/** `same`: nothing to do; the rest as `pulumi preview` shows them. */
export type StepOp = "same" | "create" | "update" | "replace";

export interface PlanStep {
  op: StepOp;
  /** Changed inputs (update), or the inputs that force the replacement (replace). */
  fields: string[];
  /** For each of `fields`: the state's value (as the API returned it) and the planned one, for --diff. */
  values?: Record<string, [before: unknown, after: unknown]>;
}

export interface PriorState {
  /** The step for a resource registered now (as it would be exported), and the state's resource it is. */
  step(next: ExportedResource): { step: PlanStep; prior?: ExportedResource };
  /** The state's resources no registration was, once the program has run: the plan deletes them. */
  deleted(): ExportedResource[];
}
