/** Harness for policy tests: builds analyzer inputs, runs one policy with the engine's semantics. */
import * as assert from "node:assert/strict";
import type { MspPolicy } from "../../policy/define";
import {
  evaluatePolicies,
  mandatory,
  type EvaluationResult,
  type PackConfig,
  type PolicyInput,
} from "../../policy-emulator/evaluate";
import type { Category } from "../../platform/categories";

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

/**
 * The violations' own messages. CrossGuard reports "<policy description>\n<message>"; the description is left
 * out so that an expected message cannot match the description instead.
 */
export const messages = (r: EvaluationResult, policy?: MspPolicy) =>
  r.violations.map((v) =>
    policy && v.message.startsWith(`${policy.description}\n`)
      ? v.message.slice(policy.description.length + 1)
      : v.message,
  );

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

/** One failure mode of a policy: the resources that show it, the message expected, the peer ids it shows. */
export interface Violation {
  label: string;
  resources: PolicyInput[];
  expect: RegExp;
  /** Checkov and CIS ids (as in the policy's frameworks) this fixture demonstrates. */
  ids?: string[];
  tags?: Map<string, string>;
}

export const violation = (
  label: string,
  resources: PolicyInput[],
  expect: RegExp,
  more: { ids?: string[]; tags?: Map<string, string> } = {},
): Violation => ({ label, resources, expect, ...more });

/** Every fixture of one policy (the union of what Checkov, Trivy, KICS and awsguard test per rule). */
export interface PolicyCase {
  compliant: PolicyInput[];
  violations: Violation[];
  /** Values unknown at preview: never a mandatory violation. */
  unknown?: PolicyInput[];
  notApplicable: PolicyInput[];
  /** [label, config values, resources, whether it must violate]. */
  config?: [string, Record<string, unknown>, PolicyInput[], boolean][];
  /** Configuration every run gets (the generated values a category file carries). */
  baseConfig?: Record<string, unknown>;
  tags?: Map<string, string>;
}

/** Values no provider would hand over where an input should be: a policy must read them without throwing. */
const MALFORMED: readonly unknown[] = [null, 42, "x", {}, [null]];

/** Every path of an object's nested inputs (into the first entry of a list only). */
function* pathsOf(value: unknown, at = ""): Generator<string> {
  if (Array.isArray(value)) {
    if (value.length) {
      yield `${at}.0`;
      yield* pathsOf(value[0], `${at}.0`);
    }
  } else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      yield `${at}.${k}`;
      yield* pathsOf(v, `${at}.${k}`);
    }
}

/**
 * Malformed copies of a policy's fixtures: empty props for every type it reads, and each nested input of the
 * compliant fixture set to null, a number, a string, an object and a list holding null.
 */
export function malformedInputs(c: PolicyCase, types: readonly string[] = []): [string, PolicyInput][] {
  const out: [string, PolicyInput][] = [];
  const seeds = [...c.compliant, ...c.violations.flatMap((v) => v.resources)];
  for (const type of new Set([...types, ...seeds.map((r) => r.type)]))
    out.push([`${type} with no props`, res(type, {})]);
  for (const r of c.compliant)
    for (const dotted of pathsOf(r.inputs))
      for (const value of MALFORMED)
        out.push([
          `${r.type} ${dotted.slice(1)} = ${JSON.stringify(value)}`,
          res(r.type, withValue(r.inputs, dotted.slice(1), value)),
        ]);
  return out;
}

/** Runs a fixture's violation and returns the result. */
export function runViolation(policy: MspPolicy, c: PolicyCase, v: Violation): EvaluationResult {
  return run(policy, v.resources, c.baseConfig, v.tags ?? c.tags ?? TAGS());
}

/** The standard tests of each policy of a group. */
export function describePolicies(policies: readonly MspPolicy[], cases: Record<string, PolicyCase>): void {
  it("has a case for each policy of the group, and nothing else", () => {
    assert.deepEqual(Object.keys(cases).sort(), policies.map((p) => p.name).sort());
  });

  for (const policy of policies) {
    const c = cases[policy.name];
    if (!c) continue;
    const base = c.baseConfig ?? {};
    describe(policy.name, () => {
      it("has metadata: sentence description, severity, remediation, frameworks, levels", () => {
        assert.match(policy.description, /^[A-Z].*\.$/);
        assert.ok(["low", "medium", "high", "critical"].includes(String(policy.severity)));
        assert.ok(policy.remediationSteps && policy.remediationSteps.length > 10);
        assert.ok(policy.meta.frameworks.length > 0);
        assert.match(policy.name, /^[a-z0-9]+(-[a-z0-9]+)+$/);
      });

      it("passes the compliant fixture", () => {
        const r = run(policy, c.compliant, base, c.tags ?? TAGS());
        assert.deepEqual(messages(r, policy), []);
      });

      for (const v of c.violations)
        it(`reports: ${v.label}`, () => {
          const r = runViolation(policy, c, v);
          const found = messages({ ...r, violations: mandatory(r) }, policy);
          assert.ok(
            found.some((m) => v.expect.test(m)),
            `expected a mandatory ${v.expect} in ${JSON.stringify(messages(r, policy))}`,
          );
        });

      if (c.unknown)
        it("tolerates values unknown at preview (advisory, never mandatory)", () => {
          const r = run(policy, c.unknown!, base);
          assert.deepEqual(mandatory(r), []);
          assert.ok(r.violations.length > 0, "the unknown value is reported as an advisory");
          assert.ok(r.violations.every((v) => /during preview/.test(v.message)));
        });

      it("is not applicable to other resources", () => {
        assert.ok(c.notApplicable.length > 0, "a not-applicable fixture");
        const r = run(policy, c.notApplicable, base, c.tags ?? TAGS());
        assert.deepEqual(mandatory(r), []);
      });

      it("never throws on empty props, nulls or wrong types (a throwing policy fails the whole preview)", () => {
        const types = (policy as { types?: readonly string[] }).types ?? [];
        const malformed = malformedInputs(c, types);
        assert.ok(malformed.length > types.length, "malformed variants of the compliant fixture");
        const runAll = (resources: PolicyInput[]) => run(policy, resources, base, c.tags ?? TAGS());
        try {
          runAll(malformed.map(([, r]) => r));
        } catch (e) {
          for (const [label, r] of malformed)
            assert.doesNotThrow(() => runAll([r]), `${label}: ${(e as Error).message}`);
          throw e;
        }
      });

      for (const [label, config, resources, violates] of c.config ?? [])
        it(`config variant: ${label}`, () => {
          const r = run(policy, resources, { ...base, ...config }, c.tags ?? TAGS());
          assert.equal(mandatory(r).length > 0, violates, JSON.stringify(messages(r, policy)));
        });

      it("honours a per-resource exemption with a reason, and the disabled and advisory levels", () => {
        const v = c.violations[0]!;
        const reported = new Set(runViolation(policy, c, v).violations.map((x) => x.urn));
        const target = v.resources.find((r) => reported.has(r.urn));
        assert.ok(target, "the first violation names a resource");
        const exempt = run(
          policy,
          v.resources,
          { ...base, exemptions: [{ resource: target.urn, reason: "accepted risk: see ticket SEC-1" }] },
          v.tags ?? c.tags ?? TAGS(),
        );
        assert.equal(mandatory(exempt).filter((x) => x.urn === target.urn).length, 0);
        assert.deepEqual(run(policy, v.resources, { ...base, enforcementLevel: "disabled" }).violations, []);
        const advisory = run(policy, v.resources, { ...base, enforcementLevel: "advisory" }, v.tags);
        assert.deepEqual(mandatory(advisory), []);
      });
    });
  }
}
