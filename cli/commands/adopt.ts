/**
 * msp adopt: the command and its options. Planning the stack loads the Pulumi SDKs, in ./adopt-run, required only
 * when the command runs.
 */
import type { Command } from "commander";
import { environmentIdArgument, serviceIdArgument } from "../arguments";
import type { AdoptOptions } from "./adopt-run";

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerAdopt(program: Command): void {
  program
    .command("adopt")
    .description(
      "take over an environment MSP's Terraform deployed: map every resource of its Terraform state (terraform state pull of each workspace) to the resource this program plans, write services/<id>/adopted.yaml (MSP's names and live sizes) and the pulumi import files, and check offline that the first preview after the import replaces nothing stateful; exit 1 when a resource cannot be mapped (listed, never guessed) or a stateful one would be replaced",
    )
    .argument("<service>", "service ID", serviceIdArgument)
    .argument("<env>", "environment ID", environmentIdArgument)
    .requiredOption(
      "--from <terraform.tfstate>",
      "a Terraform state (format 4) of the environment; repeat for each of MSP's workspaces (project, iam, cloudrun, monitoring)",
      collect,
    )
    .option("--out <dir>", "folder for the import files and the state after import", "adopt-<service>-<env>")
    .option(
      "--allow-unmapped",
      "exit 0 although some Terraform resources could not be mapped (they are still listed)",
    )
    .action(async (service: string, env: string, opts: AdoptOptions) =>
      (require("./adopt-run") as typeof import("./adopt-run")).runAdopt(program, service, env, opts),
    );
}
