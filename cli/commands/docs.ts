import type { Command } from "commander";
import { loadService, loadServices } from "../../spec/loader";
import { platformSettingsFor } from "../../engine/project-config";
import { DEFAULT_DOCS_DIR, writeIndex, writeServiceDocs } from "../../handbook/write";
import { UsageError } from "../errors";
import { repoRoot, servicesDir } from "../options";
import * as fs from "node:fs";
import * as path from "node:path";

export function registerDocs(program: Command): void {
  program
    .command("docs")
    .description(
      "generate the operations handbook page (and architecture diagrams) of a service, or of all with --all",
    )
    .argument("[service]", "service ID")
    .option("--out <dir>", "output folder", DEFAULT_DOCS_DIR)
    .option("--all", "every service, plus an index page")
    .action(async (service: string | undefined, opts: { out: string; all?: boolean }) => {
      const dir = servicesDir(program);
      const settings = platformSettingsFor("", repoRoot());
      if (!!opts.all === !!service) throw new UsageError("give a service ID or --all");
      if (service && !fs.existsSync(path.join(dir, service, "service.yaml")))
        throw new UsageError(`unknown service "${service}" (no ${path.join(dir, service, "service.yaml")})`);
      const services = opts.all ? loadServices(dir) : [loadService(dir, service!)];
      const written: string[] = [];
      for (const s of services) written.push(...(await writeServiceDocs(s, settings, opts.out)));
      if (opts.all) written.push(writeIndex(services, opts.out));
      console.log(
        `Wrote ${written.length} files to ${opts.out}: ${written.map((f) => path.basename(f)).join(", ")}`,
      );
    });
}
