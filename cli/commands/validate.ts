import type { Command } from "commander";
import { loadServices, SpecError, type LoadedService, type SpecIssue } from "../../servicespec/loader";
import { EXIT_FAILURE, EXIT_USAGE } from "../errors";
import { servicesDir } from "../options";
import { validateJson } from "../reports";
import { validateSarif } from "../sarif";
import { formatOption, type OutputFormat } from "../format-option";
import { formatSpecIssues } from "../diagnostics";
import { stderrStyle, stdoutStyle } from "../terminal";

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
        const style = stderrStyle();
        console.error(formatSpecIssues(issues, style));
        console.error(`${style.mark.error}${style.danger(`${issues.length} problem(s) found`)}`);
      } else {
        const style = stdoutStyle();
        console.log(
          `${style.mark.ok}${style.ok(`${loaded.length} services, ${envs} environments: all specs are valid`)}`,
        );
      }
      // A spec the loader could not read at all (a FIFO, a device, a symlink leaving the folder) is unreadable
      // input, exit 2; problems in what was read (and a spec over the size limit) are findings, exit 1.
      if (issues.length) process.exitCode = issues.some((i) => i.unreadable) ? EXIT_USAGE : EXIT_FAILURE;
    });
}
