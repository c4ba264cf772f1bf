/**
 * msp policy: the commands and their options. The pack itself (and the Pulumi SDKs it loads) is in
 * ./policy-check, required only when a policy command runs, so other commands start without it.
 */
import * as path from "node:path";
import type { Command } from "commander";
import { CATEGORIES, type Category } from "../../spec/schema";
import type { PolicyPackConfigFile } from "../../policy/evaluate";
import { jsonErrorPlace } from "../../spec/loader";
import { FileReadError, readRegularFile } from "../../spec/read-file";
import { UsageError } from "../errors";
import { repoRoot } from "../options";
import { formatOption } from "../format-option";
import type { CheckOptions } from "./policy-check";

/** Far beyond any pack config (a few KB). */
const MAX_CONFIG_BYTES = 1024 * 1024;

const policyCheck = () => require("./policy-check") as typeof import("./policy-check");

/**
 * A policy pack config file (`--policy-pack-config`), default policy/config/<category>.json. Read as any input
 * is: a regular file under a size cap; a JSON error gives its line and column, never a quote of the file.
 */
export function readPackConfig(category: Category, file?: string): PolicyPackConfigFile {
  const p = file ?? path.join(repoRoot(), "policy", "config", `${category}.json`);
  let text: string;
  try {
    text = readRegularFile(p, { maxBytes: MAX_CONFIG_BYTES }).toString("utf8");
  } catch (e) {
    if (e instanceof FileReadError) throw new UsageError(`cannot read policy config ${p}: ${e.message}`);
    throw e;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new UsageError(`policy config ${p} is not valid JSON (${jsonErrorPlace(text)})`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new UsageError(`policy config ${p} must be a JSON object: policy name -> level or settings`);
  return raw as PolicyPackConfigFile;
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
    .action((file: string, opts: CheckOptions) => policyCheck().checkExport(program, file, opts));
  policy
    .command("docs")
    .description("regenerate policy/README.md and policy/config/<category>.json from the policies")
    .action(() => policyCheck().writePolicyDocs());
}
