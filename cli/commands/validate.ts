import type { Command } from "commander";
import { loadServices, SpecError, type LoadedService, type SpecIssue } from "../../spec/loader";
import { EXIT_FAILURE } from "../errors";
import { servicesDir } from "../options";
import { validateJson } from "../reports";
import { validateSarif } from "../sarif";
import { formatOption, type OutputFormat } from "./policy";

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("validate every services/<id>/service.yaml and list all problems with file:line:col")
    .addOption(formatOption())
    .action((opts: { format: OutputFormat }) => {
      let loaded: LoadedService[] = [];
      let issues: readonly SpecIssue[] = [];
      try {
        loaded = loadServices(servicesDir(program));
      } catch (e) {
        if (!(e instanceof SpecError)) throw e;
        issues = e.issues;
      }
      const envs = loaded.reduce((n, s) => n + s.spec.environments.length, 0);
      if (opts.format === "json")
        console.log(
          JSON.stringify(validateJson(issues, { services: loaded.length, environments: envs }), null, 2),
        );
      else if (opts.format === "sarif") console.log(JSON.stringify(validateSarif(issues), null, 2));
      else if (issues.length) {
        console.error(new SpecError([...issues]).message);
        console.error(`${issues.length} problem(s) found`);
      } else console.log(`${loaded.length} services, ${envs} environments: all specs are valid`);
      if (issues.length) process.exitCode = EXIT_FAILURE;
    });
}
