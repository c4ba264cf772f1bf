import type { Command } from "commander";
import * as path from "node:path";
import { loadServices } from "../../servicespec/loader";
import { platformSettingsFor } from "../../program/config";
import { resolveService } from "../../resolve/environment";
import { UsageError } from "../errors";
import { repoRoot, servicesDir } from "../options";
import { serviceIdArgument } from "../arguments";
import { requireService } from "../lookup";

export function registerDocs(program: Command): void {
  program
    .command("docs")
    .description(
      "generate the operations handbook page (and architecture diagrams) of a service, or of all with --all",
    )
    .argument("[service]", "service ID")
    // The default is handbook/write.ts's DEFAULT_DOCS_DIR, read when the command runs: the handbook loads
    // the components (and the Pulumi SDK), which other commands must not pay for at startup.
    .option("--out <dir>", 'output folder (default: "docs/services")')
    .option("--all", "every service (the index page is written either way)")
    .action(async (service: string | undefined, opts: { out?: string; all?: boolean }) => {
      const dir = servicesDir(program);
      if (!!opts.all === !!service) throw new UsageError("give a service ID or --all");
      if (service !== undefined) {
        serviceIdArgument(service);
        requireService(dir, service);
      }
      const { DEFAULT_DOCS_DIR, writeIndex, writeServiceDocs } =
        require("../../handbook/write") as typeof import("../../handbook/write");
      const out = opts.out ?? DEFAULT_DOCS_DIR;
      // Every spec is loaded and validated before anything is written: an invalid spec gets no page. The
      // index lists every service, so one service's page comes with the index of all: a new service's
      // pages and the index are then what `msp docs --all` writes, which the pull request's tests compare.
      const settings = platformSettingsFor("", repoRoot());
      const all = loadServices(dir).map((s) => resolveService(s, settings));
      const services = opts.all ? all : all.filter((s) => s.id === service);
      const written: string[] = [];
      for (const s of services) written.push(...(await writeServiceDocs(s, out)));
      written.push(writeIndex(all, out));
      console.log(
        `Wrote ${written.length} files to ${out}: ${written.map((f) => path.basename(f)).join(", ")}`,
      );
    });
}
