import type { Command } from "commander";
import { loadServices, SpecError } from "../../spec/loader";
import { EXIT_FAILURE } from "../errors";
import { servicesDir } from "../options";

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("validate every services/<id>/service.yaml and list all problems with file:line:col")
    .action(() => {
      try {
        const loaded = loadServices(servicesDir(program));
        const envs = loaded.reduce((n, s) => n + s.spec.environments.length, 0);
        console.log(`${loaded.length} services, ${envs} environments: all specs are valid`);
      } catch (e) {
        if (!(e instanceof SpecError)) throw e;
        console.error(e.message);
        console.error(`${e.issues.length} problem(s) found`);
        process.exitCode = EXIT_FAILURE;
      }
    });
}
