/**
 * The machine-readable results of `msp policy check --format json` and `msp validate --format json`. The shapes
 * are stable: fields are only ever added, and `version` changes if one is removed or changes meaning.
 *
 * Policy check:
 *   { version: 1, kind: "policy-check", stack, category, pack: { name, version },
 *     summary: { policies, resources, mandatory, advisory, notApplicable },
 *     violations: [{ policy, level, severity, message, description, urn, resource: { name, type } | null,
 *                    remediation, frameworks, location: { file, line, column, field } | null }] }
 * Validate:
 *   { version: 1, kind: "validate", valid, services, environments,
 *     issues: [{ file, line, column, field, message }] }
 *   (`services` and `environments` count what was validated; null when a spec is invalid)
 *
 * `message` is the engine's (the policy's description, a newline, the finding); `urn` and `resource` are null
 * for a finding about the whole stack; `location` is the line of `services/<id>/service.yaml` the resource comes
 * from, null when the spec cannot be found.
 */
import type { Policy } from "@pulumi/policy";
import type { SpecIssue } from "../servicespec/loader";
import type { Diagnostic, EvaluationResult } from "../policy-emulator/evaluate";
import { nameOfAnyUrn } from "../engine/urn";
import { typeChain, type SpecLocation } from "./spec-location";

export const REPORT_VERSION = 1;

/** The scanner and benchmark ids a policy corresponds to (its CrossGuard tags). */
export function frameworksOf(p: Policy | undefined): string[] {
  const meta = (p as { meta?: { frameworks?: readonly string[] } } | undefined)?.meta;
  return [...(meta?.frameworks ?? p?.tags ?? [])];
}

export interface PolicyCheckContext {
  stack: string;
  category: string;
  pack: { name: string; version: string };
  policies: readonly Policy[];
  resources: number;
  /** The spec line a violation's resource comes from; undefined when the spec is unknown. */
  locate?: (urn: string | undefined) => SpecLocation;
}

const jsonLocation = (l: SpecLocation | undefined) =>
  l ? { file: l.file, line: l.line, column: l.col, field: l.field } : null;

function violationJson(v: Diagnostic, ctx: PolicyCheckContext) {
  const policy = ctx.policies.find((p) => p.name === v.policy);
  return {
    policy: v.policy,
    level: v.level,
    severity: v.severity,
    message: v.message,
    description: v.description ?? null,
    urn: v.urn ?? null,
    resource: v.urn ? { name: nameOfAnyUrn(v.urn), type: typeChain(v.urn)[0] ?? null } : null,
    remediation: v.remediation ?? null,
    frameworks: frameworksOf(policy),
    location: jsonLocation(ctx.locate?.(v.urn)),
  };
}

export function policyCheckJson(result: EvaluationResult, ctx: PolicyCheckContext) {
  const count = (level: string) => result.violations.filter((v) => v.level === level).length;
  return {
    version: REPORT_VERSION,
    kind: "policy-check",
    stack: ctx.stack,
    category: ctx.category,
    pack: ctx.pack,
    summary: {
      policies: ctx.policies.length,
      resources: ctx.resources,
      mandatory: count("mandatory"),
      advisory: count("advisory"),
      notApplicable: result.notApplicable.length,
    },
    violations: result.violations.map((v) => violationJson(v, ctx)),
  };
}

export function validateJson(
  issues: readonly SpecIssue[],
  counts: { services: number; environments: number },
) {
  return {
    version: REPORT_VERSION,
    kind: "validate",
    valid: issues.length === 0,
    services: issues.length ? null : counts.services,
    environments: issues.length ? null : counts.environments,
    issues: issues.map((i) => ({
      file: i.file,
      line: i.line,
      column: i.col,
      field: i.field,
      message: i.message,
    })),
  };
}
