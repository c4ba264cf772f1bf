/** Operator shortcuts: msp fleet, logs (--tail), console, job run|pause|resume, pg connect. */
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
import {
  PROXY_PORT,
  SESSION_TIMEOUT_SECONDS,
  pgConnectLines,
  pgConnectPlan,
  runPgConnect,
} from "../pg-connect";
import { repoRoot, servicesDir } from "../options";
import { environmentIdArgument, serviceIdArgument } from "../arguments";
import { requireEnvironment, requireService } from "../lookup";
import {
  jobRunCommand,
  logsTailCommand,
  NotAJobError,
  scheduleCommand,
  type OperatorCommand,
} from "../../delivery/operator-commands";
import { commentLine, shellLine } from "../../resolve/shell";
import { runCommand } from "../run-command";

/** Prints an operator command under its comment; with `run`, runs it too (gcloud in the foreground). */
function printOrRun(make: () => OperatorCommand, run: boolean | undefined): void {
  let cmd: OperatorCommand;
  try {
    cmd = make();
  } catch (e) {
    if (e instanceof NotAJobError) throw new UsageError(e.message);
    throw e;
  }
  console.log([commentLine(cmd.comment), shellLine(cmd.argv)].join("\n"));
  if (run) runCommand(cmd.argv);
}

const RUN_OPTION = [
  "--run",
  "run the command with your gcloud credentials instead of only printing it",
] as const;

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
    .description(
      "print the Cloud Logging link of an environment; --tail: the command streaming its log entries (--run runs it)",
    )
    .argument("<service>")
    .argument("<env>")
    .option("--tail", "stream the log entries as they arrive (gcloud beta run services|jobs logs tail)")
    .option(...RUN_OPTION)
    .action((svc: string, envId: string, opts: { tail?: boolean; run?: boolean }) => {
      const env = environment(program, svc, envId);
      if (opts.run && !opts.tail)
        throw new UsageError("--run goes with --tail (the link has nothing to run)");
      if (opts.tail) printOrRun(() => logsTailCommand(env), opts.run);
      else console.log(logsLink(env.project.id, env.workload.kind === "job"));
    });
  const job = program
    .command("job")
    .description("a scheduled job's operations: run it now, pause or resume its schedule");
  job
    .command("run")
    .description("print the command executing the job now and waiting for it (--run runs it)")
    .argument("<service>")
    .argument("<env>")
    .option(...RUN_OPTION)
    .action((svc: string, envId: string, opts: { run?: boolean }) =>
      printOrRun(() => jobRunCommand(environment(program, svc, envId)), opts.run),
    );
  for (const action of ["pause", "resume"] as const)
    job
      .command(action)
      .description(
        `print the command that ${action}s the job's Cloud Scheduler schedule (--run runs it)${action === "pause" ? "; deploys keep it paused" : ""}`,
      )
      .argument("<service>")
      .argument("<env>")
      .option(...RUN_OPTION)
      .action((svc: string, envId: string, opts: { run?: boolean }) =>
        printOrRun(() => scheduleCommand(environment(program, svc, envId), action), opts.run),
      );
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
    .option(
      "--session-timeout <seconds>",
      "stop the proxy after this many seconds (0: never); it grants database access, so it is not left running",
      String(SESSION_TIMEOUT_SECONDS),
    )
    .action(
      async (
        svc: string,
        envId: string,
        opts: { writeAccess?: boolean; port: string; print?: boolean; sessionTimeout: string },
      ) => {
        const env = environment(program, svc, envId);
        const port = Number(opts.port);
        if (!Number.isInteger(port) || port < 1 || port > 65535)
          throw new UsageError(`--port must be a port number, not "${opts.port}"`);
        const timeout = Number(opts.sessionTimeout);
        if (!/^\d+$/.test(opts.sessionTimeout) || timeout > 86400)
          throw new UsageError(
            `--session-timeout must be whole seconds from 0 (no limit) to 86400, not "${opts.sessionTimeout.slice(0, 40)}"`,
          );
        const plan = pgConnectPlan(env, !!opts.writeAccess, port);
        if (opts.print) console.log(pgConnectLines(plan).join("\n"));
        else process.exitCode = await runPgConnect(plan, console.log, timeout);
      },
    );
}
