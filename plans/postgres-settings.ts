/** Pure Cloud SQL settings: version, database flags and IAM user names (no SDK: the resolver reads them). */

/** PostgreSQL major version of every instance (Cloud SQL POSTGRES_15, as MSP). */
export const POSTGRES_MAJOR_VERSION = 15;

/** Cloud SQL IAM user name of a service account: its email without `.gserviceaccount.com`. */
export const sqlIamUserName = (email: string) => email.replace(/\.gserviceaccount\.com$/, "");

/**
 * Flags: IAM authentication (MSP), the connection limit, logical decoding, and the audit logging CIS 6.2 and
 * Checkov ask for (connections, disconnections, host names, checkpoints, lock waits, errors, DDL, pgAudit; no
 * statement text or per-statement statistics). The policy gcp-sql-postgres-audit-flags checks the same list.
 */
export function postgresDatabaseFlags(opts: {
  maxConnections?: number;
  logicalDecoding?: boolean;
}): { name: string; value: string }[] {
  const flags: Record<string, string> = {
    "cloudsql.iam_authentication": "on",
    "cloudsql.enable_pgaudit": "on",
    log_checkpoints: "on",
    log_connections: "on",
    log_disconnections: "on",
    log_lock_waits: "on",
    log_min_messages: "warning",
    log_min_error_statement: "error",
    log_min_duration_statement: "-1",
    log_temp_files: "0",
    log_error_verbosity: "default",
    log_statement: "ddl",
    log_hostname: "on",
    // Per-statement statistics and durations flood the logs without audit value (PostgreSQL's defaults).
    log_parser_stats: "off",
    log_planner_stats: "off",
    log_executor_stats: "off",
    log_statement_stats: "off",
  };
  if (opts.maxConnections !== undefined) flags.max_connections = String(opts.maxConnections);
  if (opts.logicalDecoding) flags["cloudsql.logical_decoding"] = "on";
  return Object.keys(flags)
    .sort()
    .map((name) => ({ name, value: flags[name]! }));
}
