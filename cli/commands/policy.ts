/**
 * msp policy: the commands and their options. The pack itself (and the Pulumi SDKs it loads) is in
 * ./policy-check, required only when a policy command runs, so other commands start without it.
 */
import type { Command } from "commander";
import { CATEGORIES } from "../../platform/categories";
import { formatOption } from "../format-option";
import type { CheckOptions } from "./policy-check";

const policyCheck = () => require("./policy-check") as typeof import("./policy-check");

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
