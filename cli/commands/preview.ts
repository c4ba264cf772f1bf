/**
 * msp preview: the command and its options. The offline engine, the stack program and the Pulumi SDKs they
 * load are in ./preview-run, required only when a preview runs, so other commands start without them.
 */
import type { Command } from "commander";
import type { PreviewOptions } from "./preview-run";

export function registerPreview(program: Command): void {
  program
    .command("preview")
    .description(
      "show what `pulumi preview` would create for a stack, offline (no cloud account, no Pulumi CLI)",
    )
    .argument("[stack]", "stack name <service>-<env>, e.g. releaseregistry-prod")
    .option(
      "--json <file>",
      "also write the plan as a `pulumi stack export` document of the state after `pulumi up` (modelled IDs and computed values; what the policies check); - writes it to standard output and the plan to standard error",
    )
    .option(
      "--preview-json <file>",
      "also write the same document as `pulumi preview` knows it: no IDs, Pulumi's unknown sentinel for values known only after apply (- for standard output)",
    )
    .option(
      "--state <export.json>",
      "plan against a deployed state (a `pulumi stack export` document, or msp preview --json's): resources kept, updated (with the changed inputs), replaced (with the inputs that force it), created or deleted, as `pulumi preview` plans a stack that exists",
    )
    .option("--diff", "also show every resource's inputs, as `pulumi preview --diff` does")
    .option("--all", "preview every stack of every service, spread over the machine's cores")
    .option(
      "--deploy-ready",
      "exit 1 if the first real `pulumi up` of the plan would stop (the First deploy section's findings): the deploy workflow runs this before `pulumi up`",
    )
    .option(
      "--deployed <export.json>",
      "the export of the state last deployed (`msp preview --json` of the deployed commit): findings it had too were met by that deploy",
    )
    .option(
      "--check-secrets-in-cloud",
      "look up each missing secret version with gcloud (your or the deploy identity's credentials): a version that exists meets the finding",
    )
    .option(
      "--first-step-targets <file>",
      "write the URNs a first step (`pulumi up --target`) creates when only secret versions are missing: the secret containers and what they wait for; empty otherwise",
    )
    .action((stack: string | undefined, opts: PreviewOptions) =>
      (require("./preview-run") as typeof import("./preview-run")).runPreview(program, stack, opts),
    );
}
