/**
 * Generates policy/config/<category>.json and policy/README.md from the policies' metadata, the category table
 * and the platform settings of Pulumi.yaml (`msp:allowedZones`, `msp:secretProjects`, ...): a CrossGuard policy
 * cannot read stack config, so the generated configuration is the one place those settings reach the pack.
 */
import * as path from "node:path";
import { CATEGORIES, type Category } from "../platform/categories";
import { CATEGORY_DEFAULTS } from "../platform/categories";
import { findPulumiProject, policySettingsOf, type PolicySettings } from "../servicespec/security-rules";
import { POLICIES } from "../policy/policies";
import type { PackConfig } from "./evaluate";
import type { MspPolicy } from "../policy/define";
import {
  CHECKOV_GCP,
  CIS_GCP,
  COVERAGE_ID,
  appliesToPlatform,
  notCreatedReason,
  type PeerCheck,
} from "../policy/coverage";

/** The policy settings of this repository's Pulumi.yaml (the project the pack is deployed with). */
export function projectPolicySettings(): PolicySettings {
  const file = findPulumiProject(path.join(__dirname, ".."));
  if (!file)
    throw new Error("no Pulumi.yaml above policy/: the pack's settings come from the Pulumi project");
  return policySettingsOf(file);
}

export function categoryConfig(
  category: Category,
  settings: PolicySettings = projectPolicySettings(),
): PackConfig {
  const out: PackConfig = {};
  for (const p of POLICIES)
    out[p.name] = {
      enforcementLevel: p.meta.levels[category],
      ...(p.meta.configByCategory?.[category] ?? {}),
      ...(p.meta.configFromPlatform?.(settings) ?? {}),
    };
  return out;
}

const PRINT_WIDTH = 110;

/**
 * JSON as Prettier prints it (the repository's formatter checks these files): objects expanded, lists of
 * plain values on one line when they fit the print width.
 */
export function formatJson(value: unknown, indent = "", prefix = ""): string {
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== "object")) {
    const inline = `[${value.map((v) => JSON.stringify(v)).join(", ")}]`;
    if (indent.length + prefix.length + inline.length + 1 <= PRINT_WIDTH) return inline;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value))
    return value.length
      ? `[\n${value.map((v) => inner + formatJson(v, inner)).join(",\n")}\n${indent}]`
      : "[]";
  if (value && typeof value === "object") {
    const entries = Object.entries(value);
    if (!entries.length) return "{}";
    const lines = entries.map(([k, v]) => {
      const key = `${JSON.stringify(k)}: `;
      return inner + key + formatJson(v, inner, key);
    });
    return `{\n${lines.join(",\n")}\n${indent}}`;
  }
  return JSON.stringify(value);
}

export const categoryConfigJson = (category: Category, settings?: PolicySettings) =>
  formatJson(categoryConfig(category, settings)) + "\n";

/** Covered ids of each policy (exact Checkov and CIS ids in its frameworks). */
export const coveredIds = (p: MspPolicy) => p.meta.frameworks.filter((f) => COVERAGE_ID.test(f));

/** Policy names per covered Checkov or CIS id. */
export function coverageIndex(): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const p of POLICIES) for (const id of coveredIds(p)) index.set(id, [...(index.get(id) ?? []), p.name]);
  return index;
}

export type CoverageStatus =
  { kind: "covered"; policies: string[] } | { kind: "not applicable"; reason: string; generated: boolean };

export function statusOf(check: PeerCheck, index = coverageIndex()): CoverageStatus | undefined {
  const policies = index.get(check.id);
  if (policies) return { kind: "covered", policies };
  if (check.notApplicable) return { kind: "not applicable", reason: check.notApplicable, generated: false };
  if (check.entities.length && !appliesToPlatform(check))
    return { kind: "not applicable", reason: notCreatedReason(check), generated: true };
  return undefined;
}

const short = { mandatory: "**mandatory**", advisory: "advisory", disabled: "off" } as const;

function coverageTable(title: string, checks: readonly PeerCheck[], index: Map<string, string[]>): string[] {
  const rows = checks.map((c) => {
    const s = statusOf(c, index);
    const status =
      s?.kind === "covered"
        ? `covered by ${s.policies.map((p) => `\`${p}\``).join(", ")}`
        : s
          ? `not applicable: ${s.reason}`
          : "**not covered**";
    return `| ${c.id} | ${c.title} | ${status} |`;
  });
  const covered = checks.filter((c) => statusOf(c, index)?.kind === "covered").length;
  const onCreated = checks.filter((c) => !c.entities.length || appliesToPlatform(c));
  const coveredOnCreated = onCreated.filter((c) => statusOf(c, index)?.kind === "covered").length;
  const summary = checks.every((c) => !c.entities.length)
    ? `${checks.length} recommendations: ${covered} covered, ${checks.length - covered} not applicable with the reason given.`
    : `${checks.length} checks: ${covered} covered. Of the ${onCreated.length} that inspect a type the platform creates, ${coveredOnCreated} are covered and ${onCreated.length - coveredOnCreated} not applicable with the reason given; the other ${checks.length - onCreated.length} inspect types the platform never creates.`;
  return [`### ${title}`, "", summary, "", "| Id | Checks | Status |", "|---|---|---|", ...rows, ""];
}

export function policyReadme(): string {
  const rows = POLICIES.map(
    (p) =>
      `| \`${p.name}\` | ${p.meta.group} | ${p.description} | ${p.severity} | ${CATEGORIES.map((c) => short[p.meta.levels[c]]).join(" | ")} | ${p.meta.frameworks.join(", ")} |`,
  );
  const index = coverageIndex();
  return [
    "# MSP policy pack",
    "",
    "<!-- Generated by `npx msp policy docs`; do not edit. -->",
    "",
    `A CrossGuard pack of ${POLICIES.length} policies, run on every \`pulumi preview\` and \`pulumi up\` (\`--policy-pack policy`,
    "--policy-pack-config policy/config/<category>.json`) and offline by `msp preview` and `msp policy check`.",
    "",
    "Enforcement per environment category (from `platform/categories.ts`):",
    "",
    ...CATEGORIES.map(
      (c) => `- **${c}** (${CATEGORY_DEFAULTS[c].summary}): ${CATEGORY_DEFAULTS[c].policyEnforcement}.`,
    ),
    "",
    "Exemptions are per resource and need a written reason: add to the policy's entry in the category config",
    '`"exemptions": [{ "resource": "<urn or name>", "reason": "<why>" }]`.',
    "",
    "Platform settings reach the pack through the generated configuration, never through stack config (a policy",
    "cannot read it): `msp:allowedZones`, `msp:secretProjects` and `msp:sharedSecretsProject` in Pulumi.yaml are",
    "written into `policy/config/<category>.json` by `npx msp policy docs` (a test fails when they differ), and",
    "`msp validate` checks specs against the same values.",
    "",
    "| Policy | Group | Checks | Severity | test | internal | external | Corresponds to |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
    "## Coverage",
    "",
    "Measured against Checkov's GCP checks (`checkov/terraform/checks/resource/gcp`, `graph_checks/gcp`) and the CIS",
    "Google Cloud Platform Foundations Benchmark v3.0.0. A check is covered when a policy lists its id (and a",
    "violating fixture of that policy demonstrates it); otherwise the reason it does not apply is given",
    "(`policy/coverage.ts`).",
    "",
    ...coverageTable("Checkov", CHECKOV_GCP, index),
    ...coverageTable("CIS Google Cloud Platform Foundations v3.0.0", CIS_GCP, index),
  ].join("\n");
}
