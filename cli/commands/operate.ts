/** Operator shortcuts: msp fleet, logs, console, pg connect. */
import type { Command } from "commander";
import { loadService, loadServices, SPEC_FILE, type LoadedService } from "../../spec/loader";
import * as resolve from "../../spec/resolve";
import { CATEGORIES, type EnvironmentSpec } from "../../spec/schema";
import { logsLink, projectLink } from "../../handbook/links";
import {
  operatorServiceAccountId,
  serviceAccountEmail,
  sqlIamUserName,
  workloadServiceAccountId,
  sqlInstanceName,
} from "../../components/naming";
import { UsageError } from "../errors";
import { servicesDir } from "../options";
import { environmentIdArgument, serviceIdArgument } from "../arguments";
import * as fs from "node:fs";
import * as path from "node:path";

function environment(
  program: Command,
  svc: string,
  envId: string,
): { s: LoadedService; env: EnvironmentSpec } {
  serviceIdArgument(svc);
  environmentIdArgument(envId);
  const dir = servicesDir(program);
  if (!fs.existsSync(path.join(dir, svc, SPEC_FILE))) throw new UsageError(`unknown service "${svc}"`);
  const s = loadService(dir, svc);
  const env = s.spec.environments.find((e) => e.id === envId);
  if (!env)
    throw new UsageError(
      `service "${svc}" has no environment "${envId}" (${s.spec.environments.map((e) => e.id).join(", ")})`,
    );
  return { s, env };
}

export const PROXY_PORT = 5433;

/** The Cloud SQL proxy and psql commands for an environment (read-only operator or workload account). */
export function pgConnectCommands(
  s: LoadedService,
  env: EnvironmentSpec,
  writeAccess: boolean,
  port = PROXY_PORT,
): string[] {
  const pg = env.resources?.postgreSQL;
  if (!pg) throw new UsageError(`${s.spec.service.id} ${env.id} has no PostgreSQL instance`);
  const account = writeAccess
    ? workloadServiceAccountId(s.spec.service.id)
    : operatorServiceAccountId(env.projectID);
  const email = serviceAccountEmail(account, env.projectID);
  const connection = `${env.projectID}:${resolve.regionOf(env)}:${sqlInstanceName(env.projectID)}`;
  return [
    `# ${writeAccess ? "Write access as the workload account - use with caution!" : "Read-only access as the operator account"}`,
    `cloud-sql-proxy --auto-iam-authn --private-ip --impersonate-service-account=${email} --port=${port} ${connection}`,
    ...pg.databases.map((db) => `psql -U ${sqlIamUserName(email)} -d ${db} -h 127.0.0.1 -p ${port}`),
  ];
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

export function fleetCounts(services: readonly LoadedService[]): FleetCounts {
  const envs = services.flatMap((s) => s.spec.environments);
  const count = <T>(xs: readonly T[], f: (x: T) => string) =>
    xs.reduce<Record<string, number>>((m, x) => ((m[f(x)] = (m[f(x)] ?? 0) + 1), m), {});
  const byCategory = count(envs, (e) => e.category);
  const byDeploy = count(envs, (e) => e.deploy.type);
  const kinds = count(services, (s) => s.spec.service.kind);
  const res = (k: "postgreSQL" | "redis" | "bigQueryDataset") => envs.filter((e) => e.resources?.[k]).length;
  return {
    services: services.length,
    kinds: { service: kinds.service ?? 0, job: kinds.job ?? 0 },
    teams: new Set(services.flatMap((s) => s.spec.service.owners)).size,
    environments: envs.length,
    byCategory: Object.fromEntries(CATEGORIES.map((c) => [c, byCategory[c] ?? 0])),
    byDeployType: Object.fromEntries(
      Object.keys(byDeploy)
        .sort()
        .map((k) => [k, byDeploy[k]!]),
    ),
    rolloutPipelines: services.filter((s) => s.spec.rollout).length,
    resources: {
      postgreSQL: res("postgreSQL"),
      redis: res("redis"),
      bigQuery: res("bigQueryDataset"),
      domains: envs.filter((e) => resolve.domainOf(e)).length,
    },
  };
}

export function fleetSummary(services: readonly LoadedService[]): string[] {
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
    .option("--format <format>", "text or json", "text")
    .action((opts: { format: string }) => {
      if (opts.format !== "text" && opts.format !== "json")
        throw new UsageError(
          `--format must be text or json, not ${JSON.stringify(opts.format.slice(0, 60))}`,
        );
      const services = loadServices(servicesDir(program));
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
      const { s, env } = environment(program, svc, envId);
      console.log(logsLink(env.projectID, s.spec.service.kind === "job"));
    });
  program
    .command("console")
    .description("print the Cloud Run console link of an environment")
    .argument("<service>")
    .argument("<env>")
    .action((svc: string, envId: string) => {
      const { s, env } = environment(program, svc, envId);
      console.log(projectLink(env.projectID, s.spec.service.kind === "job"));
    });
  const pg = program.command("pg").description("PostgreSQL helpers");
  pg.command("connect")
    .description("print the Cloud SQL proxy and psql commands to connect to an environment's databases")
    .argument("<service>")
    .argument("<env>")
    .option(
      "--write-access",
      "connect as the workload account (read-write) instead of the read-only operator account",
    )
    .option("--port <port>", "local proxy port", String(PROXY_PORT))
    .action((svc: string, envId: string, opts: { writeAccess?: boolean; port: string }) => {
      const { s, env } = environment(program, svc, envId);
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 1 || port > 65535)
        throw new UsageError(`--port must be a port number, not "${opts.port}"`);
      console.log(pgConnectCommands(s, env, !!opts.writeAccess, port).join("\n"));
    });
}
