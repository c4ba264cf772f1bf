/**
 * msp policy check and msp policy docs: the CrossGuard pack, offline. This module loads the pack and with it
 * the Pulumi SDKs, so cli/commands/policy.ts requires it only when one of these commands runs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { CATEGORIES, type Category } from "../../platform/categories";
import { POLICIES } from "../../policy/policies";
import {
  enforcementLevels,
  evaluatePolicies,
  mandatory,
  PACK_NAME,
  PACK_VERSION,
  PolicyConfigError,
  type EvaluationResult,
  type PolicyPackConfigFile,
} from "../../policy-emulator/evaluate";
import { categoryConfigJson, policyReadme } from "../../policy-emulator/generate";
import { exportResources, exportStackName, stackTags } from "../../policy-emulator/offline";
import { loadServicesForStack } from "../../servicespec/loader";
import { findStack } from "../../program/stack-targets";
import { EXIT_FAILURE, UsageError } from "../errors";
import { repoRoot, servicesDir } from "../options";
import { policyCheckJson } from "../reports";
import { policyCheckSarif } from "../sarif";
import { environmentLocator, type SpecLocation } from "../spec-location";
import type { StackExport } from "../../engine/export";
import { readStackExport, StackExportError } from "../../engine/read-export";
import { nameOfAnyUrn } from "../../engine/urn";
import { PLAIN, stdoutStyle, type Style } from "../terminal";
import type { OutputFormat } from "../format-option";
import { readPackConfig } from "../pack-config";

/**
 * Evaluates; a config the Pulumi CLI would refuse is a usage error (exit 2): each problem on its own line of
 * stderr, naming the file, then the error.
 */
export function evaluateWithConfig(configFile: string, run: () => EvaluationResult): EvaluationResult {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof PolicyConfigError)) throw e;
    for (const problem of e.problems) console.error(`${configFile}: ${problem}`);
    throw new UsageError(`${configFile}: invalid policy pack config (${e.problems.length} problem(s) above)`);
  }
}

/**
 * Prints violations grouped by level, like `pulumi preview` does: mandatory ones first (red, ✖ on a terminal),
 * then advisory ones (yellow, ⚠). Returns the number of mandatory ones.
 */
export function printViolations(
  result: EvaluationResult,
  out: (line: string) => void = console.log,
  style: Style = PLAIN,
): number {
  for (const level of ["mandatory", "advisory"] as const) {
    const found = result.violations.filter((v) => v.level === level);
    if (!found.length) continue;
    const paint = level === "mandatory" ? style.danger : style.warning;
    const mark = level === "mandatory" ? style.mark.error : style.mark.warning;
    out(`\n${mark}${paint(`Policy violations (${level}, ${found.length}):`)}`);
    for (const v of found) {
      out(
        `    ${mark}${paint(`[${level}]`)}  ${PACK_NAME} v${PACK_VERSION}  ${style.strong(v.policy)}  (${v.urn ? nameOfAnyUrn(v.urn) : "stack"}: ${v.severity})`,
      );
      for (const line of v.message.split("\n")) out(`    ${line}`);
      if (v.urn) out(`    ${style.muted(`resource: ${v.urn}`)}`);
      if (v.remediation) out(`    ${style.strong("fix:")} ${v.remediation}`);
    }
  }
  return mandatory(result).length;
}

/**
 * The verdict line: `<what>: N mandatory, M advisory violation(s)`, on a terminal after a mark (✖, ⚠ or ✔) and
 * with the counts that are not zero in colour.
 */
export function policyVerdict(what: string, result: EvaluationResult, style: Style = PLAIN): string {
  const m = mandatory(result).length;
  const a = result.violations.length - m;
  const mark = m ? style.mark.error : a ? style.mark.warning : style.mark.ok;
  const mandatoryText = m ? style.danger(`${m} mandatory`) : `${m} mandatory`;
  const advisoryText = a ? style.warning(`${a} advisory`) : `${a} advisory`;
  return `${mark}${what}: ${mandatoryText}, ${advisoryText} violation(s)`;
}

/** Config entries that name no policy of the pack: the Pulumi CLI ignores them silently; we say so. */
function warnUnknownPolicies(config: PolicyPackConfigFile, file: string): void {
  const known = new Set([...POLICIES.map((p) => p.name), "all"]);
  for (const name of Object.keys(config))
    if (!known.has(name)) console.error(`warning: ${file}: "${name}" is not a policy of the pack (ignored)`);
}

/** Where the violations of `stack` are in its spec, when the spec can be loaded. */
function specLocatorFor(dir: string, stack: string): ((urn: string | undefined) => SpecLocation) | undefined {
  try {
    const target = findStack(loadServicesForStack(dir, stack, { fleet: false }), stack);
    return target && environmentLocator(target.service, target.env.id);
  } catch {
    return undefined; // no spec (or a broken one): results point at the export
  }
}

/** The export, read defensively (a bad file, a parent cycle: one clear usage error, exit 2). */
function readExport(file: string): StackExport {
  try {
    return readStackExport(file);
  } catch (e) {
    if (e instanceof StackExportError) throw new UsageError(e.message);
    throw e;
  }
}

export interface CheckOptions {
  category: string;
  config?: string;
  format: OutputFormat;
}

/** msp policy check <export>. */
export function checkExport(program: Command, file: string, opts: CheckOptions): void {
  if (!(CATEGORIES as readonly string[]).includes(opts.category))
    throw new UsageError(`--category must be one of ${CATEGORIES.join(", ")}, not "${opts.category}"`);
  const category = opts.category as Category;
  const doc = readExport(file);
  const resources = exportResources(doc);
  const stack = exportStackName(doc) ?? "stack";
  const configFile = opts.config ?? `policy/config/${category}.json`;
  const config = readPackConfig(category, opts.config);
  warnUnknownPolicies(config, configFile);
  const result = evaluateWithConfig(configFile, () =>
    // A stack is named <service>-<env>; the service is taken to end at the last "-". For an environment ID with
    // "-" (prod-eu) that is a longer prefix of the names, which msp-resource-name-prefix still finds.
    evaluatePolicies(
      POLICIES,
      resources,
      config,
      stackTags(stack, stack.replace(/-[a-z0-9]+$/, ""), category),
    ),
  );
  const count = mandatory(result).length;
  if (opts.format === "text") {
    const style = stdoutStyle();
    printViolations(result, console.log, style);
    console.log(
      `\n${policyVerdict(`${POLICIES.length} policies on ${resources.length} resources (${category})`, result, style)}`,
    );
  } else {
    const ctx = {
      stack,
      category,
      pack: { name: PACK_NAME, version: PACK_VERSION },
      policies: POLICIES,
      resources: resources.length,
      locate: specLocatorFor(servicesDir(program), stack),
    };
    const levels = enforcementLevels(POLICIES, config);
    const report =
      opts.format === "json"
        ? policyCheckJson(result, ctx)
        : policyCheckSarif(result, { ...ctx, levels, exportFile: file });
    console.log(JSON.stringify(report, null, 2));
  }
  if (count) process.exitCode = EXIT_FAILURE;
}

/** msp policy docs: policy/README.md and policy/config/<category>.json from the policies. */
export function writePolicyDocs(): void {
  const root = path.join(repoRoot(), "policy");
  fs.writeFileSync(path.join(root, "README.md"), policyReadme());
  for (const c of CATEGORIES) fs.writeFileSync(path.join(root, "config", `${c}.json`), categoryConfigJson(c));
  console.log("Wrote policy/README.md and policy/config/{test,internal,external}.json");
}
