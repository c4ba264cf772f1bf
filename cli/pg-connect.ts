/**
 * `msp pg connect`: a PostgreSQL session from a laptop with nothing but gcloud credentials, as `sg msp pg
 * connect` does. The Cloud SQL Auth Proxy runs locally, impersonating the read-only operator account (or, with
 * --write-access, the workload account), and logs in with IAM database authentication. It reaches the
 * instance's public address, which only accepts IAM-authorized connectors (connectorEnforcement REQUIRED, no
 * authorized networks): no VPN, no private IP, no password.
 */
import { spawn } from "node:child_process";
import type { ResolvedEnvironment } from "../resolve/model";
import { UsageError } from "./errors";
import { commentLine, shellLine, shellQuote } from "../resolve/shell";

export const PROXY_PORT = 5433;
/**
 * Seconds a proxy session lasts by default: it gives privileged access to the database, so it must not be left
 * running unattended (MSP's `sg msp pg connect -session.timeout`, 300 s by default, 0 for no limit).
 */
export const SESSION_TIMEOUT_SECONDS = 300;
export const PROXY_BINARY = "cloud-sql-proxy";

export interface PgConnectPlan {
  /** What the session is, for the first printed line (values in it shell-quoted). */
  note: string;
  /** The proxy's argument vector. */
  proxy: string[];
  /** One psql command per database, as argument vectors (printed shell-quoted). */
  psql: string[][];
}

/** The proxy and psql commands for an environment (read-only operator or read-write workload account). */
export function pgConnectPlan(
  env: ResolvedEnvironment,
  writeAccess: boolean,
  port = PROXY_PORT,
): PgConnectPlan {
  const pg = env.postgres;
  if (!pg) throw new UsageError(`${env.serviceId} ${env.envId} has no PostgreSQL instance`);
  const ids = env.identities;
  const [email, user] = writeAccess
    ? [ids.workloadEmail, ids.workloadSqlUser]
    : [ids.operatorEmail, ids.operatorSqlUser];
  return {
    note: writeAccess
      ? `Write access as the workload account ${shellQuote(email)} - use with caution! (needs the write access request: permission to impersonate it)`
      : `Read-only access as the operator account ${shellQuote(email)} (SELECT on every table)`,
    proxy: [
      PROXY_BINARY,
      "--auto-iam-authn",
      `--impersonate-service-account=${email}`,
      `--port=${port}`,
      pg.connectionName,
    ],
    psql: pg.databases.map((db) => ["psql", "-U", user, "-d", db, "-h", "127.0.0.1", "-p", String(port)]),
  };
}

/** The lines `--print` shows: the proxy command, then the psql command of each database. */
export function pgConnectLines(plan: PgConnectPlan): string[] {
  return [commentLine(plan.note), shellLine(plan.proxy), ...plan.psql.map(shellLine)];
}

/**
 * Runs the proxy in the foreground (Ctrl-C ends the session) after printing what it runs and the psql
 * commands to use from another terminal, and stops it after `timeoutSeconds` (0: never), as MSP does: the
 * session ends with a notice and exit 0. Resolves with the proxy's exit code.
 */
export function runPgConnect(
  plan: PgConnectPlan,
  out: (line: string) => void = console.log,
  timeoutSeconds = SESSION_TIMEOUT_SECONDS,
): Promise<number> {
  out(commentLine(plan.note));
  out(commentLine(`Starting the Cloud SQL Auth Proxy (Ctrl-C to stop): ${shellLine(plan.proxy)}`));
  if (timeoutSeconds > 0)
    out(
      commentLine(
        `For security, the session ends in ${timeoutSeconds} seconds (--session-timeout <seconds> to change it, 0 for no limit).`,
      ),
    );
  out(commentLine("Then, in another terminal:"));
  for (const argv of plan.psql) out(shellLine(argv));
  return new Promise((resolve, reject) => {
    const child = spawn(plan.proxy[0]!, plan.proxy.slice(1), { stdio: ["ignore", "inherit", "inherit"] });
    const stop = () => child.kill("SIGINT");
    process.once("SIGINT", stop);
    let timedOut = false;
    // The proxy closes its listener on SIGTERM and ends the open connections (no --max-sigterm-delay).
    const timer =
      timeoutSeconds > 0
        ? setTimeout(() => {
            timedOut = true;
            out(commentLine(`The session timed out after ${timeoutSeconds} seconds: stopping the proxy.`));
            child.kill("SIGTERM");
          }, timeoutSeconds * 1000)
        : undefined;
    const done = () => {
      process.off("SIGINT", stop);
      if (timer) clearTimeout(timer);
    };
    child.on("error", (e: NodeJS.ErrnoException) => {
      done();
      reject(
        e.code === "ENOENT"
          ? new UsageError(
              `${PROXY_BINARY} is not on PATH: install it (gcloud components install cloud-sql-proxy) or print the commands with --print`,
            )
          : e,
      );
    });
    child.on("exit", (code, signal) => {
      done();
      resolve(signal === "SIGINT" || timedOut ? 0 : (code ?? 1));
    });
  });
}
