/**
 * What a multi-class resource validation (define.ts) does with a resource of a type it does not handle: it
 * reports the policy not applicable, with this reason. The function carries that knowledge, so the offline
 * evaluator (evaluate.ts) records the same outcome without the call: the call would build the validation's
 * arguments and throw, thousands of times per stack. The SDK's own analyzer ignores the property and calls the
 * function, with the same result (test/policy-emulator/evaluate-semantics.test.ts compares both).
 */
export const APPLIES_TO = Symbol.for("msp.policy.appliesTo");

export interface AppliesTo {
  /** The Pulumi types the validation handles. */
  types: ReadonlySet<string>;
  /** The reason it gives `notApplicable` for any other type. */
  reason: string;
}

/** The `AppliesTo` a validation function carries, if any. */
export const appliesToOf = (validation: unknown): AppliesTo | undefined =>
  typeof validation === "function"
    ? ((validation as unknown as Record<symbol, AppliesTo | undefined>)[APPLIES_TO] ?? undefined)
    : undefined;
