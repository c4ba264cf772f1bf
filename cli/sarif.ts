/**
 * SARIF 2.1.0 logs of `msp policy check --format sarif` and `msp validate --format sarif`, for GitHub code
 * scanning: violations and spec problems appear on the lines of `services/<id>/service.yaml`.
 *
 * Policy check: one rule per policy of the pack (id = policy name; short and full description; help = the
 * remediation; default level from the category's config; properties with the severity, the Checkov, Trivy,
 * KICS or CIS ids and a `security-severity` GitHub ranks alerts by), one result per violation (mandatory ->
 * error, advisory -> warning) located on the spec line the resource comes from, with its URN as logical
 * location. Validate: one rule, one error per problem at its file:line:col.
 */
import { createHash } from "node:crypto";
import type { Log, ReportingDescriptor, Result, Location } from "sarif";
import type { SpecIssue } from "../servicespec/loader";
import type { EvaluationResult, Level } from "../policy-emulator/evaluate";
import { nameOfAnyUrn } from "../engine/urn";
import { frameworksOf, type PolicyCheckContext } from "./reports";
import { reportPath, type SpecLocation } from "./spec-location";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
const TOOL_VERSION = (require("../package.json") as { version: string }).version;

/** How GitHub ranks security alerts (0.0-10.0): critical above 9, high 7-9, medium 4-7, low below 4. */
const SECURITY_SEVERITY: Record<string, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

const sarifLevel = (level: Level | undefined): Result.level =>
  level === "mandatory" ? "error" : level === "advisory" ? "warning" : "none";

const fingerprint = (...parts: string[]) => createHash("sha256").update(parts.join("\0")).digest("hex");

function physical(l: SpecLocation): Location["physicalLocation"] {
  return {
    artifactLocation: { uri: l.file, uriBaseId: "%SRCROOT%" },
    region: { startLine: l.line, startColumn: l.col },
  };
}

function log(driver: { name: string; rules: ReportingDescriptor[] }, results: Result[]): Log {
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: { ...driver, version: TOOL_VERSION },
        },
        results,
        // Columns count UTF-16 code units, as JavaScript strings (and the YAML parser) do.
        columnKind: "utf16CodeUnits",
      },
    ],
  };
}

export interface PolicySarifContext extends PolicyCheckContext {
  /** The level each policy has in the category's config (the rule's default level). */
  levels: ReadonlyMap<string, Level>;
  /** Where results go when the spec cannot be found: the export itself. */
  exportFile: string;
}

export function policyCheckSarif(result: EvaluationResult, ctx: PolicySarifContext): Log {
  const rules: ReportingDescriptor[] = ctx.policies.map((p) => {
    const frameworks = frameworksOf(p);
    const severity = p.severity ?? "low";
    return {
      id: p.name,
      shortDescription: { text: p.description },
      fullDescription: {
        text: frameworks.length ? `${p.description} (${frameworks.join(", ")})` : p.description,
      },
      help: { text: p.remediationSteps ?? p.description },
      defaultConfiguration: { level: sarifLevel(ctx.levels.get(p.name)) },
      properties: {
        severity,
        frameworks,
        "security-severity": SECURITY_SEVERITY[severity] ?? "3.0",
        tags: ["security", "policy", ...frameworks],
      },
    };
  });
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results: Result[] = result.violations.map((v) => {
    const where = ctx.locate?.(v.urn) ?? { file: reportPath(ctx.exportFile), line: 1, col: 1, field: "" };
    const location: Location = {
      physicalLocation: physical(where),
      ...(v.urn
        ? { logicalLocations: [{ name: nameOfAnyUrn(v.urn), fullyQualifiedName: v.urn, kind: "resource" }] }
        : {}),
    };
    return {
      ruleId: v.policy,
      ...(ruleIndex.has(v.policy) ? { ruleIndex: ruleIndex.get(v.policy) } : {}),
      level: sarifLevel(v.level),
      message: { text: v.urn ? `${v.message}\nResource: ${v.urn}` : v.message },
      locations: [location],
      partialFingerprints: { "mspPolicyViolation/v1": fingerprint(ctx.stack, v.policy, v.urn ?? "") },
      properties: {
        stack: ctx.stack,
        category: ctx.category,
        enforcementLevel: v.level,
        severity: v.severity,
        field: where.field,
        ...(v.remediation ? { remediation: v.remediation } : {}),
      },
    };
  });
  return log({ name: "msp", rules }, results);
}

export const SPEC_RULE = "msp-service-spec";

export function validateSarif(issues: readonly SpecIssue[]): Log {
  const rule: ReportingDescriptor = {
    id: SPEC_RULE,
    shortDescription: { text: "service.yaml is a valid MSP service spec." },
    fullDescription: {
      text: "Every field of services/<id>/service.yaml has the type, shape and value the MSP format allows, and the cross-field rules hold.",
    },
    help: {
      text: "Fix the field as the message says; `npx msp validate` lists every problem, and schema/service.schema.json describes every field (editors validate against it).",
    },
    defaultConfiguration: { level: "error" },
    properties: { tags: ["correctness"] },
  };
  const results: Result[] = issues.map((i) => ({
    ruleId: SPEC_RULE,
    ruleIndex: 0,
    level: "error",
    message: { text: i.field ? `${i.field}: ${i.message}` : i.message },
    locations: [
      { physicalLocation: physical({ file: reportPath(i.file), line: i.line, col: i.col, field: i.field }) },
    ],
    partialFingerprints: { "mspSpecIssue/v1": fingerprint(reportPath(i.file), i.field, i.message) },
  }));
  return log({ name: "msp", rules: [rule] }, results);
}
