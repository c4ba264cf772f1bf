/** The `msp` command: one subcommand per file in cli/commands. */
import { Command, CommanderError } from "commander";
import { EXIT_FAILURE, EXIT_USAGE, UsageError } from "./errors";
import { SpecError } from "../spec/loader";
import { registerValidate } from "./commands/validate";
import { registerSchema } from "./commands/schema";
import { registerPreview } from "./commands/preview";
import { registerPolicy } from "./commands/policy";
import { registerDocs } from "./commands/docs";
import { registerOperate } from "./commands/operate";
import { registerInit } from "./commands/init";
import { registerDelivery } from "./commands/delivery";

export function buildProgram(): Command {
  const program = new Command("msp")
    .description("Managed Services Platform on Pulumi: validate, preview, check and document service stacks")
    .option("--services <dir>", "folder of <id>/service.yaml specs", "services")
    .showSuggestionAfterError(true)
    // Usage errors are one line: Commander puts its "(Did you mean ...?)" on a line of its own.
    .configureOutput({ outputError: (str, write) => write(str.replace(/\n(?=\(Did you mean)/, " ")) })
    .exitOverride();
  registerValidate(program);
  registerSchema(program);
  registerPreview(program);
  registerPolicy(program);
  registerDocs(program);
  registerOperate(program);
  registerInit(program);
  registerDelivery(program);
  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
  for (const cmd of all(program)) cmd.exitOverride();
  return program;
}

export async function main(argv: string[]): Promise<void> {
  // `msp preview ... | head` closes the pipe early: that is not an error.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    process.exitCode = exitCodeFor(e);
  }
}

function exitCodeFor(e: unknown): number {
  if (e instanceof CommanderError) {
    // Commander has already printed the one-line message (or the help).
    return e.exitCode === 0 ? 0 : EXIT_USAGE;
  }
  if (e instanceof UsageError) {
    console.error(`error: ${e.message}`);
    return EXIT_USAGE;
  }
  if (e instanceof SpecError) {
    console.error(e.message);
    return EXIT_FAILURE;
  }
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  return EXIT_FAILURE;
}
