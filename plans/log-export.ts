/**
 * Logs in BigQuery (extension `environments[].logging.exportToBigQuery`): which logs of an environment a sink
 * routes to its BigQuery dataset, and the tables Cloud Logging writes them to. Pure: the resolver, the
 * component and the handbook read it.
 *
 * Cloud Logging names each table after the log ID, with `/` (`%2F`) and `.` written `_`
 * (`run.googleapis.com/stdout` -> `run_googleapis_com_stdout`); with partitioned tables there is no date
 * suffix (https://cloud.google.com/logging/docs/export/bigquery, "Table organization").
 */

/** One kind of log the export routes, and the table it lands in. */
export interface LogStream {
  /** The log ID as Cloud Logging names it (`run.googleapis.com/stdout`). */
  readonly logId: string;
  /** The BigQuery table the entries land in. */
  readonly table: string;
  /** What the table holds, for the handbook. */
  readonly holds: string;
  /** The Cloud Logging filter of these entries. */
  readonly filter: string;
}

/** The table Cloud Logging writes a log to: the log ID with every non-alphanumeric character written `_`. */
export const logTable = (logId: string): string => logId.replace(/[^A-Za-z0-9_]/g, "_");

/** `logName` as a filter wants it: the project's log, the ID URL-encoded (`%2F` for `/`). */
const logName = (project: string, logId: string) =>
  `logName="projects/${project}/logs/${encodeURIComponent(logId)}"`;

function stream(project: string, logId: string, resourceType: string, holds: string): LogStream {
  return {
    logId,
    table: logTable(logId),
    holds,
    filter: `resource.type="${resourceType}" AND ${logName(project, logId)}`,
  };
}

export interface LogExportInput {
  readonly projectId: string;
  readonly kind: "service" | "job";
  /** The HTTPS load balancer writes request logs (`domain.networking.loadBalancerLogging`; services only). */
  readonly loadBalancerLogs: boolean;
}

/**
 * The logs an environment exports: the load balancer's request logs (when it writes them), Cloud Run's request
 * logs (services), and what the container writes to stdout and stderr.
 */
export function logStreams(input: LogExportInput): LogStream[] {
  const { projectId: p } = input;
  const run = input.kind === "job" ? "cloud_run_job" : "cloud_run_revision";
  const what = input.kind === "job" ? "job" : "service";
  return [
    ...(input.loadBalancerLogs && input.kind === "service"
      ? [stream(p, "requests", "http_load_balancer", "HTTP(S) load balancer request logs")]
      : []),
    ...(input.kind === "service"
      ? [stream(p, "run.googleapis.com/requests", run, "Cloud Run request logs")]
      : []),
    stream(p, "run.googleapis.com/stdout", run, `what the ${what} writes to stdout`),
    stream(p, "run.googleapis.com/stderr", run, `what the ${what} writes to stderr`),
  ];
}

/**
 * One sink's filter for every stream. One sink, not one per stream: a project's sinks with unique writer
 * identities share one writer (the project's Logging service agent, sinks.create's `uniqueWriterIdentity`), so
 * a grant per sink would be the same IAM member several times, and removing one sink would revoke it for all.
 */
export const logExportFilter = (streams: readonly LogStream[]): string =>
  streams.map((s) => `(${s.filter})`).join(" OR ");
