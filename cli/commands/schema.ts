import * as fs from "node:fs";
import type { Command } from "commander";
import { serviceJsonSchema } from "../../spec/json-schema";

export function registerSchema(program: Command): void {
  program
    .command("schema")
    .description("print the JSON Schema of service.yaml (or write it with -o)")
    .option("-o, --output <file>", "write the schema to this file instead of standard output")
    .action((opts: { output?: string }) => {
      const text = serviceJsonSchema();
      if (opts.output) fs.writeFileSync(opts.output, text);
      else process.stdout.write(text);
    });
}
