/** `msp contract`: what the platform gives a workload's container (platform/container-contract.ts), for one environment or all. */
import type { Command } from "commander";
import { loadService } from "../../servicespec/loader";
import { resolveService } from "../../resolve/environment";
import { contractRows, environmentContract, type EnvironmentContract } from "../../resolve/contract";
import { platformContractMarkdown } from "../../handbook/contract";
import { platformSettingsFor } from "../../program/config";
import { stackNameOf } from "../../platform/naming";
import { UsageError } from "../errors";
import { formatOption, type OutputFormat } from "../format-option";
import { repoRoot, servicesDir } from "../options";
import { environmentIdArgument, serviceIdArgument } from "../arguments";
import { requireEnvironment, requireService } from "../lookup";

/** A cell on one line of the terminal: control characters (line breaks, escapes) from a spec shown as `?`. */
const printable = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");

/** Columns padded to their widest cell, two spaces apart. */
function columns(cells: readonly (readonly string[])[]): string[] {
  const rows = cells.map((r) => r.map(printable));
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd(),
  );
}

/** One environment's contract as text: what `msp contract <service> <env>` prints. */
export function contractText(c: EnvironmentContract): string {
  const plain = (s: string | undefined) => (s ?? "").replaceAll("`", "");
  const out = [`Container contract of ${c.stack} (Cloud Run ${c.kind} ${c.cloudRunName})`, ""];
  if (c.port) out.push(`Port    ${c.port.number} (${c.port.protocol}); Cloud Run sets PORT`);
  if (c.probes)
    out.push(
      `Probes  GET ${c.probes.path} with ${c.probes.header}; timeout ${c.probes.timeoutSeconds}s, startup every ${c.probes.startupIntervalSeconds}s, liveness every ${c.probes.livenessIntervalSeconds}s`,
    );
  else if (c.port) out.push("Probes  Cloud Run's default TCP startup probe (no healthProbes)");
  out.push(
    "",
    "Variables",
    ...columns([
      ["  NAME", "SET BY", "VALUE"],
      ...c.variables.map((v) => [
        `  ${v.name}`,
        v.setBy,
        v.secret ? `secret ${v.secret.name} in ${v.secret.project}` : (v.value ?? plain(v.meaning)),
      ]),
    ]),
  );
  if (c.files.length)
    out.push(
      "",
      "Files (read-only)",
      ...columns([
        ["  PATH", "SET BY", "SECRET"],
        ...c.files.map((f) => [`  ${f.path}`, f.setBy, `${f.secret.name} in ${f.secret.project}`]),
      ]),
    );
  out.push(
    "",
    "Secrets the workload reads (latest version)",
    ...columns([
      ["  SECRET", "PROJECT", "SET BY", "READ AS"],
      ...c.secrets.map((s) => [`  ${s.name}`, s.project, s.setBy, s.usedBy.join(", ")]),
    ]),
  );
  const owner = c.secrets.filter((s) => s.command);
  if (owner.length)
    out.push(
      "",
      "Add a version of each secret the owners provide before the first deploy (the value from standard input):",
      ...owner.map((s) => `  ${s.command}`),
    );
  return out.join("\n");
}

export function registerContract(program: Command): void {
  program
    .command("contract")
    .description(
      "what the platform gives a container (port, probes, variables, files, secrets and how to set them); without a service, the platform-wide table",
    )
    .argument("[service]")
    .argument("[env]", "one environment (default: every environment of the service)")
    .addOption(
      formatOption(["text", "json", "markdown"], { markdown: "markdown (the platform-wide table only)" }),
    )
    .action((svc: string | undefined, envId: string | undefined, opts: { format: OutputFormat }) => {
      if (svc === undefined) {
        const rows = contractRows();
        if (opts.format === "json") console.log(JSON.stringify(rows, null, 2));
        else if (opts.format === "markdown") console.log(platformContractMarkdown());
        else
          console.log(
            columns([
              ["WHAT", "NAME", "PRESENT", "SET BY", "MEANING"],
              ...rows.map((r) => [r.kind, r.name, r.when, r.setBy, r.meaning.replaceAll("`", "")]),
            ]).join("\n"),
          );
        return;
      }
      if (opts.format === "markdown")
        throw new UsageError("--format markdown prints the platform-wide table: give no service");
      serviceIdArgument(svc);
      if (envId !== undefined) environmentIdArgument(envId);
      const dir = servicesDir(program);
      requireService(dir, svc);
      const loaded = loadService(dir, svc);
      if (envId !== undefined) requireEnvironment(loaded, envId);
      const settings = platformSettingsFor(envId === undefined ? "" : stackNameOf(svc, envId), repoRoot());
      const contracts = resolveService(loaded, settings)
        .environments.filter((e) => envId === undefined || e.envId === envId)
        .map(environmentContract);
      if (opts.format === "json")
        console.log(JSON.stringify(envId === undefined ? contracts : contracts[0], null, 2));
      else console.log(contracts.map(contractText).join("\n\n"));
    });
}
