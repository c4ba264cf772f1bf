import type { Command } from "commander";
import { serviceJsonSchema } from "../../servicespec/json-schema";
import { outputArgument, writeOutput } from "../arguments";

export function registerSchema(program: Command): void {
  program
    .command("schema")
    .description("print the JSON Schema of service.yaml (or write it with -o)")
    .option(
      "-o, --output <file>",
      "write the schema to this file instead of standard output (- for standard output)",
    )
    .action((opts: { output?: string }) => {
      const target =
        opts.output === undefined ? { stdout: true as const } : outputArgument(opts.output, "--output");
      writeOutput(target, serviceJsonSchema());
    });
}
