/** Operator shortcuts: msp fleet, logs, console, pg connect. */
import type { Command } from "commander";
import { loadService, loadServices } from "../../servicespec/loader";
import { CATEGORIES } from "../../platform/categories";
import { logsLink, projectLink } from "../../handbook/links";
import { resolveEnvironment, resolveService } from "../../resolve/environment";
import type { ResolvedEnvironment, ResolvedService } from "../../resolve/model";
import { platformSettingsFor } from "../../program/config";
import { stackNameOf } from "../../platform/naming";
import { UsageError } from "../errors";
import { formatOption, type OutputFormat } from "../format-option";
import { PROXY_PORT, pgConnectLines, pgConnectPlan, runPgConnect } from "../pg-connect";
import { repoRoot, servicesDir } from "../options";
import { environmentIdArgument, serviceIdArgument } from "../arguments";
import { requireEnvironment, requireService } from "../lookup";

/** The resolved environment named on the command line. */
function environment(program: Command, svc: string, envId: string): ResolvedEnvironment {
  serviceIdArgument(svc);
  environmentIdArgument(envId);
  const dir = servicesDir(program);
  requireService(dir, svc);
  const s = loadService(dir, svc);
  const env = requireEnvironment(s, envId);
  return resolveEnvironment(s, env, platformSettingsFor(stackNameOf(svc, envId), repoRoot()));
}

/** The fleet in numbers: what `msp fleet` prints, and its `--format json` document. */
export interface FleetCounts {
  services: number;
  kinds: { service: number; job: number };
  teams: number;
  environments: number;
  byCategory: Record<string, number>;
  byDeployType: Record<string, number>;
  rolloutPipelines: number;
  resources: { postgreSQL: number; redis: number; bigQuery: number; domains: number };
}

export function fleetCounts(services: readonly ResolvedService[]): FleetCounts {
  const envs = services.flatMap((s) => s.environments);
  const count = <T>(xs: readonly T[], f: (x: T) => string) =>
    xs.reduce<Record<string, number>>((m, x) => ((m[f(x)] = (m[f(x)] ?? 0) + 1), m), {});
  const byCategory = count(envs, (e) => e.category);
  const byDeploy = count(envs, (e) => e.deployType);
  const kinds = count(services, (s) => s.kind);
  const res = (k: "postgres" | "redis" | "bigQuery") => envs.filter((e) => e[k]).length;
  return {
    services: services.length,
    kinds: { service: kinds.service ?? 0, job: kinds.job ?? 0 },
    teams: new Set(services.flatMap((s) => s.owners)).size,
    environments: envs.length,
    byCategory: Object.fromEntries(CATEGORIES.map((c) => [c, byCategory[c] ?? 0])),
    byDeployType: Object.fromEntries(
      Object.keys(byDeploy)
        .sort()
        .map((k) => [k, byDeploy[k]!]),
    ),
    rolloutPipelines: services.filter((s) => s.rollout).length,
    resources: {
      postgreSQL: res("postgres"),
      redis: res("redis"),
      bigQuery: res("bigQuery"),
      domains: envs.filter((e) => e.domain).length,
    },
  };
}

export function fleetSummary(services: readonly ResolvedService[]): string[] {
  const c = fleetCounts(services);
  return [
    `Services: ${c.services} (${c.kinds.service} services, ${c.kinds.job} jobs), teams: ${c.teams}`,
    `Environments: ${c.environments} (${Object.entries(c.byCategory)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ")})`,
    `Deploy types: ${Object.entries(c.byDeployType)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ")}`,
    `Rollout pipelines: ${c.rolloutPipelines}`,
    `Resources: PostgreSQL ${c.resources.postgreSQL}, Redis ${c.resources.redis}, BigQuery ${c.resources.bigQuery}, domains ${c.resources.domains}`,
  ];
}

export function registerOperate(program: Command): void {
  program
    .command("fleet")
    .description("summary of every service: kinds, environments by category, deploy types, resources")
    .addOption(formatOption(["text", "json"]))
    .action((opts: { format: OutputFormat }) => {
      const settings = platformSettingsFor("", repoRoot());
      const services = loadServices(servicesDir(program)).map((s) => resolveService(s, settings));
      console.log(
        opts.format === "json"
          ? JSON.stringify(fleetCounts(services), null, 2)
          : fleetSummary(services).join("\n"),
      );
    });
  program
    .command("logs")
    .description("print the Cloud Logging link of an environment")
    .argument("<service>")
    .argument("<env>")
    .action((svc: string, envId: string) => {
      const env = environment(program, svc, envId);
      console.log(logsLink(env.project.id, env.workload.kind === "job"));
    });
  program
    .command("console")
    .description("print the Cloud Run console link of an environment")
    .argument("<service>")
    .argument("<env>")
    .action((svc: string, envId: string) => {
      const env = environment(program, svc, envId);
      console.log(projectLink(env.project.id, env.workload.kind === "job"));
    });
  const pg = program.command("pg").description("PostgreSQL helpers");
  pg.command("connect")
    .description(
      "connect to an environment's databases from your machine: runs the Cloud SQL Auth Proxy as the read-only operator account (IAM login, no password) and prints the psql commands",
    )
    .argument("<service>")
    .argument("<env>")
    .option(
      "--write-access",
      "connect as the workload account (owner of the databases) instead of the read-only operator account",
    )
    .option("--port <port>", "local proxy port", String(PROXY_PORT))
    .option("--print", "only print the proxy and psql commands, run nothing")
    .action(
      async (svc: string, envId: string, opts: { writeAccess?: boolean; port: string; print?: boolean }) => {
        const env = environment(program, svc, envId);
        const port = Number(opts.port);
        if (!Number.isInteger(port) || port < 1 || port > 65535)
          throw new UsageError(`--port must be a port number, not "${opts.port}"`);
        const plan = pgConnectPlan(env, !!opts.writeAccess, port);
        if (opts.print) console.log(pgConnectLines(plan).join("\n"));
        else process.exitCode = await runPgConnect(plan);
      },
    );
}
