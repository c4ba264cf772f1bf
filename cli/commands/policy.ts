import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { CATEGORIES, type Category } from "../../spec/schema";
import { POLICIES } from "../../policy/policies";
import {
  evaluatePolicies,
  mandatory,
  nameOfUrn,
  type PackConfig,
  type PolicyInput,
  type EvaluationResult,
} from "../../policy/evaluate";
import { categoryConfigJson, policyReadme } from "../../policy/generate";
import { stackTags } from "../../policy/offline";
import { EXIT_FAILURE, UsageError } from "../errors";
import { repoRoot } from "../options";
import type { StackExport } from "../../engine/export";

export function readPackConfig(category: Category, file?: string): PackConfig {
  const p = file ?? path.join(repoRoot(), "policy", "config", `${category}.json`);
  try {
    return JSON.parse(fs.readFileSync(p, "utf8")) as PackConfig;
  } catch (e) {
    throw new UsageError(`cannot read policy config ${p}: ${(e as Error).message}`);
  }
}

/** Resources of a `pulumi stack export` document (ours or the real CLI's). */
export function exportResources(doc: StackExport): PolicyInput[] {
  return doc.deployment.resources.map((r) => ({
    urn: r.urn,
    type: r.type,
    name: nameOfUrn(r.urn),
    inputs: r.inputs ?? {},
    outputs: r.outputs,
    parent: r.parent,
    provider: r.provider,
    protect: r.protect,
    ignoreChanges: r.ignoreChanges,
    dependencies: r.dependencies,
    propertyDependencies: r.propertyDependencies,
  }));
}

/** Prints violations grouped by level, like `pulumi preview` does; returns the number of mandatory ones. */
export function printViolations(result: EvaluationResult, out: (line: string) => void = console.log): number {
  for (const level of ["mandatory", "advisory"] as const) {
    const found = result.violations.filter((v) => v.level === level);
    if (!found.length) continue;
    out(`\nPolicy violations (${level}, ${found.length}):`);
    for (const v of found) {
      out(`    [${level}]  msp v0.1.0  ${v.policy}  (${v.urn ? nameOfUrn(v.urn) : "stack"}: ${v.severity})`);
      out(`    ${v.message}`);
      if (v.urn) out(`    resource: ${v.urn}`);
      if (v.remediation) out(`    fix: ${v.remediation}`);
    }
  }
  return mandatory(result).length;
}

export function registerPolicy(program: Command): void {
  const policy = program.command("policy").description("the CrossGuard policy pack, offline");
  policy
    .command("check")
    .description("evaluate the pack against a stack export (msp preview --json, or pulumi stack export)")
    .argument("<export>", "stack export JSON file")
    .requiredOption("--category <category>", `environment category: ${CATEGORIES.join(", ")}`)
    .option("--config <file>", "policy pack config (default policy/config/<category>.json)")
    .action((file: string, opts: { category: string; config?: string }) => {
      if (!(CATEGORIES as readonly string[]).includes(opts.category))
        throw new UsageError(`--category must be one of ${CATEGORIES.join(", ")}, not "${opts.category}"`);
      const category = opts.category as Category;
      let doc: StackExport;
      try {
        doc = JSON.parse(fs.readFileSync(file, "utf8")) as StackExport;
      } catch (e) {
        throw new UsageError(`cannot read stack export ${file}: ${(e as Error).message}`);
      }
      if (!Array.isArray(doc?.deployment?.resources))
        throw new UsageError(`${file} is not a stack export (no deployment.resources)`);
      const resources = exportResources(doc);
      const stack =
        resources
          .find((r) => r.type === "pulumi:pulumi:Stack")
          ?.urn.split("::")[0]
          ?.replace("urn:pulumi:", "") ?? "stack";
      const result = evaluatePolicies(
        POLICIES,
        resources,
        readPackConfig(category, opts.config),
        // A stack is named <service>-<env>; the environment ID has no "-".
        stackTags(stack, stack.replace(/-[a-z0-9]+$/, ""), category),
      );
      const count = printViolations(result);
      console.log(
        `\n${POLICIES.length} policies on ${resources.length} resources (${category}): ${count} mandatory, ${result.violations.length - count} advisory violation(s)`,
      );
      if (count) process.exitCode = EXIT_FAILURE;
    });
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
