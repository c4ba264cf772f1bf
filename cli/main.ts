/**
 * The `msp` command: one subcommand per file in cli/commands. Registering a command must stay cheap: a command
 * that needs the Pulumi SDKs (preview, policy) requires its implementation inside its action, so `msp validate`,
 * `msp schema` or `msp --version` never load them (test/cli/startup.test.ts checks which modules each loads).
 */
import { Command, CommanderError } from "commander";
import { EXIT_FAILURE, EXIT_USAGE, UsageError } from "./errors";
import { SpecError, UnreadableInputError } from "../servicespec/loader";
import { formatSpecIssues } from "./diagnostics";
import { stderrStyle } from "./terminal";
import { guardWorkflowCommands } from "./workflow-commands";
import { registerValidate } from "./commands/validate";
import { registerSchema } from "./commands/schema";
import { registerPreview } from "./commands/preview";
import { registerPolicy } from "./commands/policy";
import { registerDocs } from "./commands/docs";
import { registerOperate } from "./commands/operate";
import { registerInit } from "./commands/init";
import { registerDelivery } from "./commands/delivery";
import { registerDiff } from "./commands/diff";
import { registerRelease } from "./commands/release";
import { registerDoctor } from "./commands/doctor";
import { registerContract } from "./commands/contract";
import { registerRollback } from "./commands/rollback";
import { registerAdopt } from "./commands/adopt";
import { registerDeployNotice } from "./commands/deploy-notice";

const VERSION = (require("../package.json") as { version: string }).version;

export function buildProgram(): Command {
  const program = new Command("msp")
    .description("Managed Services Platform on Pulumi: validate, preview, check and document service stacks")
    .version(VERSION, "-V, --version", "print the version of msp")
    .option("--services <dir>", "folder of <id>/service.yaml specs", "services")
    .showSuggestionAfterError(true)
    // Usage errors are one line: Commander puts its "(Did you mean ...?)" on a line of its own.
    .configureOutput({
      outputError: (str, write) =>
        write(str.replace(/\n(?=\(Did you mean)/, " ").replace(/^error:/, stderrStyle().danger("error:"))),
    })
    .addHelpText(
      "after",
      "\nExit codes: 0 success; 1 a finding (invalid spec, policy violation, data loss, failed program);\n" +
        "2 wrong arguments or input that cannot be read. MSP_DEBUG=1 prints stack traces of internal errors.",
    )
    .exitOverride();
  registerValidate(program);
  registerSchema(program);
  registerPreview(program);
  registerPolicy(program);
  registerDocs(program);
  registerOperate(program);
  registerInit(program);
  registerDelivery(program);
  registerDiff(program);
  registerRelease(program);
  registerDoctor(program);
  registerContract(program);
  registerRollback(program);
  registerAdopt(program);
  registerDeployNotice(program);
  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
  for (const cmd of all(program)) cmd.exitOverride();
  return program;
}

export async function main(argv: string[]): Promise<void> {
  // The output boundary: no line msp writes can be a GitHub Actions workflow command (spec text is in it).
  guardWorkflowCommands(process.stdout);
  guardWorkflowCommands(process.stderr);
  // `msp preview ... | head` closes the pipe early: that is not an error.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    fail(e);
  });
  // Errors that escape the command's promise (a callback, a rejected promise nobody awaited, a Pulumi output)
  // end the process the same way: one line, never a stack trace unless asked for.
  process.on("uncaughtException", fail);
  process.on("unhandledRejection", fail);
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    process.exitCode = report(e);
  }
}

/** Reports an error that escaped the command and ends the process with its exit code. */
function fail(e: unknown): never {
  process.exit(report(e));
}

/** Prints an error (its message, every line of it, or the spec problems); returns the exit code. */
export function report(e: unknown): number {
  if (e instanceof CommanderError) {
    // Commander has already printed the one-line message (or the help, or the version).
    return e.exitCode === 0 ? 0 : EXIT_USAGE;
  }
  const style = stderrStyle();
  if (e instanceof SpecError) {
    console.error(formatSpecIssues(e.issues, style));
    return e.unreadable ? EXIT_USAGE : EXIT_FAILURE;
  }
  console.error(errorLines(e, style.danger("error:")).join("\n"));
  if (process.env.MSP_DEBUG && e instanceof Error && e.stack) console.error(e.stack);
  return e instanceof UsageError || e instanceof UnreadableInputError ? EXIT_USAGE : EXIT_FAILURE;
}

/** Lines of an error's message printed at most; the rest are counted. */
const MAX_ERROR_LINES = 40;
/** Characters of one printed line. */
const MAX_LINE = 300;
/** A line of a stack trace: `    at f (file.js:1:2)`, `    at file.js:1:2`. */
const STACK_FRAME = /^\s+at \S.*(:\d+:\d+\)?|\(native\)|\(<anonymous>\))$/;

/**
 * An error's message as printed: `error: <first line>`, then every further line of the message indented (a
 * refusal that lists its reasons, one per line, shows all of them), each cut to a readable length, at most
 * `MAX_ERROR_LINES` lines.
 */
export function errorLines(e: unknown, label = "error:"): string[] {
  const text = e instanceof Error ? e.message : String(e);
  const cut = (line: string) => (line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line);
  const lines = text
    .split("\n")
    .map((l) => l.trimEnd())
    // Stack frames some libraries put in their messages are not for the user (MSP_DEBUG=1 prints the stack).
    .filter((l) => l.trim() !== "" && !STACK_FRAME.test(l));
  const first = lines.shift()?.trim() || (e instanceof Error ? e.name : "unknown error");
  const rest = lines.slice(0, MAX_ERROR_LINES - 1).map((l) => `  ${cut(l.trimStart())}`);
  if (lines.length > rest.length) rest.push(`  ... and ${lines.length - rest.length} more line(s)`);
  return [`${label} ${cut(first)}`, ...rest];
}
