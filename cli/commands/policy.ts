import * as fs from "node:fs";
import * as path from "node:path";
import { Option, type Command } from "commander";
import { CATEGORIES, type Category } from "../../spec/schema";
import { POLICIES } from "../../policy/policies";
import {
  enforcementLevels,
  evaluatePolicies,
  mandatory,
  nameOfUrn,
  PACK_NAME,
  PACK_VERSION,
  PolicyConfigError,
  type EvaluationResult,
  type PolicyPackConfigFile,
} from "../../policy/evaluate";
import { categoryConfigJson, policyReadme } from "../../policy/generate";
import { exportResources, exportStackName, stackTags } from "../../policy/offline";
import { loadServicesForStack } from "../../spec/loader";
import { findStack } from "../../program/stack";
import { EXIT_FAILURE, UsageError } from "../errors";
import { repoRoot, servicesDir } from "../options";
import { policyCheckJson } from "../reports";
import { policyCheckSarif } from "../sarif";
import { environmentLocator, type SpecLocation } from "../spec-location";
import type { StackExport } from "../../engine/export";
import { readStackExport, StackExportError } from "../../engine/read-export";

export { exportResources };

export const FORMATS = ["text", "json", "sarif"] as const;
export type OutputFormat = (typeof FORMATS)[number];

/** `--format text|json|sarif`: text for people, JSON and SARIF on stdout for tools. */
export const formatOption = () =>
  new Option("--format <format>", "output format: text, json (stable shape) or sarif (SARIF 2.1.0)")
    .choices(FORMATS)
    .default("text");

/** A policy pack config file (`--policy-pack-config`), default policy/config/<category>.json. */
export function readPackConfig(category: Category, file?: string): PolicyPackConfigFile {
  const p = file ?? path.join(repoRoot(), "policy", "config", `${category}.json`);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(p, "utf8"));
  } catch (e) {
    throw new UsageError(`cannot read policy config ${p}: ${(e as Error).message}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new UsageError(`policy config ${p} must be a JSON object: policy name -> level or settings`);
  return raw as PolicyPackConfigFile;
}

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

/** Prints violations grouped by level, like `pulumi preview` does; returns the number of mandatory ones. */
export function printViolations(result: EvaluationResult, out: (line: string) => void = console.log): number {
  for (const level of ["mandatory", "advisory"] as const) {
    const found = result.violations.filter((v) => v.level === level);
    if (!found.length) continue;
    out(`\nPolicy violations (${level}, ${found.length}):`);
    for (const v of found) {
      out(
        `    [${level}]  ${PACK_NAME} v${PACK_VERSION}  ${v.policy}  (${v.urn ? nameOfUrn(v.urn) : "stack"}: ${v.severity})`,
      );
      for (const line of v.message.split("\n")) out(`    ${line}`);
      if (v.urn) out(`    resource: ${v.urn}`);
      if (v.remediation) out(`    fix: ${v.remediation}`);
    }
  }
  return mandatory(result).length;
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
    const target = findStack(loadServicesForStack(dir, stack), stack);
    return target && environmentLocator(target.service, target.env.id);
  } catch {
    return undefined; // no spec (or a broken one): results point at the export
  }
}

/** The export, read defensively (a bad file is one clear usage error, exit 2). */
function readExport(file: string): StackExport {
  try {
    return readStackExport(file);
  } catch (e) {
    if (e instanceof StackExportError) throw new UsageError(e.message);
    throw e;
  }
}

interface CheckOptions {
  category: string;
  config?: string;
  format: OutputFormat;
}

function check(program: Command, file: string, opts: CheckOptions): void {
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
    // A stack is named <service>-<env>; the environment ID has no "-".
    evaluatePolicies(
      POLICIES,
      resources,
      config,
      stackTags(stack, stack.replace(/-[a-z0-9]+$/, ""), category),
    ),
  );
  const count = mandatory(result).length;
  if (opts.format === "text") {
    printViolations(result);
    console.log(
      `\n${POLICIES.length} policies on ${resources.length} resources (${category}): ${count} mandatory, ${result.violations.length - count} advisory violation(s)`,
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

export function registerPolicy(program: Command): void {
  const policy = program.command("policy").description("the CrossGuard policy pack, offline");
  policy
    .command("check")
    .description("evaluate the pack against a stack export (msp preview --json, or pulumi stack export)")
    .argument("<export>", "stack export JSON file")
    .requiredOption("--category <category>", `environment category: ${CATEGORIES.join(", ")}`)
    .option("--config <file>", "policy pack config (default policy/config/<category>.json)")
    .addOption(formatOption())
    .action((file: string, opts: CheckOptions) => check(program, file, opts));
  policy
    .command("docs")
    .description("regenerate policy/README.md and policy/config/<category>.json from the policies")
    .action(() => {
      const root = path.join(repoRoot(), "policy");
      fs.writeFileSync(path.join(root, "README.md"), policyReadme());
      for (const c of CATEGORIES)
        fs.writeFileSync(path.join(root, "config", `${c}.json`), categoryConfigJson(c));
      console.log("Wrote policy/README.md and policy/config/{test,internal,external}.json");
    });
}
