/**
 * The alert catalogue (reference §3.3): every alert an environment gets, as pure data, with its group, text
 * and labels. The resolver puts the result in the resolved environment; the program's AlertPolicies and
 * Dashboard create it, and the handbook lists the very same alerts.
 */
import type { EnvironmentSpec, ServiceSpec } from "../servicespec/schema";
import type { Aggregation } from "../plans/alert-definition";
import type { AlertGroup, CatalogueAlert, ResolvedAlert } from "./model";
import {
  domainOf,
  executionAbsenceMinutes,
  maxStartupLatencySeconds,
  probesOf,
  scalingOf,
  authenticationOf,
  finalRolloutStage,
  regionOf,
} from "./fields";
import { MQL_ALERT_PERIOD_SECONDS } from "../platform/mql";
import { customAlertKey, deliveryPipelineName, labelValue, uniqueLabelValue } from "../platform/naming";

/**
 * Where each group goes, as MSP orders them: on the dashboard custom alerts first, then response codes, then
 * the rest alphabetically; on the handbook page what fires for the container first. One table, two orders.
 */
export const ALERT_GROUPS: Readonly<Record<AlertGroup, { dashboard: number; page: number }>> = {
  "Custom Alerts": { dashboard: 0, page: 7 },
  "Response Code Ratio Alerts": { dashboard: 1, page: 4 },
  "Cloud Run Job Alerts": { dashboard: 2, page: 2 },
  "Cloud Run Service Alerts": { dashboard: 3, page: 1 },
  "Cloud SQL Alerts": { dashboard: 4, page: 6 },
  "Container Alerts": { dashboard: 5, page: 0 },
  "Redis Alerts": { dashboard: 6, page: 5 },
  "Uptime Alerts": { dashboard: 7, page: 3 },
  // Not charted (a log-based alert), last on the page: a deploy's, not the running service's.
  "Rollout Alerts": { dashboard: 8, page: 8 },
};

/** Sorts alerts by their group's position in `order`, then by ID. */
export function byGroup<T extends { id: string; group: AlertGroup }>(
  alerts: readonly T[],
  order: "dashboard" | "page",
): T[] {
  return [...alerts].sort(
    (a, b) => ALERT_GROUPS[a.group][order] - ALERT_GROUPS[b.group][order] || a.id.localeCompare(b.id),
  );
}

const agg = (period: number, aligner: string, reducer?: string, groupBy?: string[]): Aggregation => ({
  alignmentPeriod: `${period}s`,
  perSeriesAligner: `ALIGN_${aligner}`,
  ...(reducer ? { crossSeriesReducer: `REDUCE_${reducer}` } : {}),
  ...(groupBy ? { groupByFields: groupBy } : {}),
});

export const PRECONDITION_METRIC = "msp.sourcegraph.com/cloud_run_precondition_failed";
export const DEFAULT_MAX_CONNECTIONS = 100;

function containerAlerts(spec: ServiceSpec, env: EnvironmentSpec, resource: string): CatalogueAlert[] {
  const job = spec.service.kind === "job";
  const startupMs = job ? 10000 : maxStartupLatencySeconds(env) * 1000;
  const t = (metric: string, a: Aggregation, threshold: number, durationSeconds: number) => ({
    kind: "threshold" as const,
    filter: `metric.type = "run.googleapis.com/container/${metric}" AND ${resource}`,
    aggregation: a,
    comparison: "COMPARISON_GT" as const,
    threshold,
    durationSeconds,
  });
  const groupBy = job ? undefined : ["resource.label.revision_name"];
  const kind = job ? "Cloud Run job" : "Cloud Run service";
  const out: CatalogueAlert[] = [
    {
      id: "cpu",
      name: "High Container CPU Utilization",
      description: "High CPU Usage - it may be necessary to reduce load or increase CPU allocation",
      severity: "WARNING",
      group: "Container Alerts",
      resourceKind: kind,
      condition: t("cpu/utilizations", agg(60, "PERCENTILE_99", "MAX", groupBy), 0.9, 600),
    },
    {
      id: "memory",
      name: "High Container Memory Utilization",
      description: "High Memory Usage - it may be necessary to reduce load or increase memory allocation",
      severity: "WARNING",
      group: "Container Alerts",
      resourceKind: kind,
      condition: t("memory/utilizations", agg(300, "PERCENTILE_99", "MAX", groupBy), 0.8, 0),
    },
    {
      id: "startup",
      name: "Container Startup Latency",
      description: "Service containers are taking longer than configured timeouts to start up.",
      severity: "WARNING",
      group: "Container Alerts",
      resourceKind: kind,
      condition: t("startup_latencies", agg(60, "PERCENTILE_99", "MAX", groupBy), startupMs, 0),
    },
  ];
  const scaling = scalingOf(env);
  if (!job && scaling.declared && scaling.maxCount >= 5)
    out.push({
      id: "instance_count",
      name: "Container Instance Count",
      description: `There are a lot of Cloud Run instances running - we may need to increase per-instance requests to make sure we won't hit the configured max instance count (${scaling.maxCount}).`,
      severity: "WARNING",
      group: "Container Alerts",
      resourceKind: kind,
      condition: t("instance_count", agg(60, "MAX", "MAX", groupBy), scaling.maxCount - 1, 60),
    });
  return out;
}

function serviceAlerts(spec: ServiceSpec, env: EnvironmentSpec, crName: string): CatalogueAlert[] {
  const resource = `resource.type = "cloud_run_revision" AND resource.labels.service_name = starts_with("${spec.service.id}")`;
  const out = containerAlerts(spec, env, resource);
  out.push(
    {
      id: "cloud_run_pending_requests",
      name: "Cloud Run Pending Requests",
      description:
        "There are requests pending - we may need to increase Cloud Run instance count, request concurrency, or investigate further.",
      severity: "WARNING",
      group: "Cloud Run Service Alerts",
      resourceKind: "Cloud Run service",
      condition: {
        kind: "threshold",
        filter: `metric.type = "run.googleapis.com/pending_queue/pending_requests" AND ${resource}`,
        aggregation: agg(60, "SUM", "SUM"),
        comparison: "COMPARISON_GT",
        threshold: 5,
        durationSeconds: 0,
      },
    },
    {
      id: "cloud_run_precondition_failed",
      name: "Cloud Run Instance Precondition Failed",
      description:
        "Cloud Run instance failed to start due to a precondition failure.\nThis is unlikely to cause immediate downtime, and may auto-resolve if no new instances are created and/or we return to a healthy state, but you should follow up to ensure the latest Cloud Run revision is healthy.",
      severity: "WARNING",
      group: "Cloud Run Service Alerts",
      resourceKind: "Cloud Run service",
      condition: {
        kind: "threshold",
        filter: `metric.type = "logging.googleapis.com/user/${PRECONDITION_METRIC}" AND resource.type = "cloud_run_revision"`,
        aggregation: agg(60, "MAX", "SUM"),
        comparison: "COMPARISON_GT",
        threshold: 0,
        durationSeconds: 0,
      },
    },
  );
  const domain = domainOf(env);
  if (domain && authenticationOf(env) === "public")
    out.push({
      id: "external_health_check",
      name: "External Uptime Check",
      description: `Service is failing to respond on https://${domain.fqdn} - this may be expected if the service was recently provisioned or if its external domain has changed.`,
      severity: "CRITICAL",
      group: "Uptime Alerts",
      resourceKind: "Uptime check",
      condition: { kind: "uptime", host: domain.fqdn, threshold: 0.4, durationSeconds: 0 },
    });
  for (const r of spec.monitoring.alerts?.responseCodeRatios ?? [])
    out.push({
      id: `response_code_ratio_${r.id}`,
      name: r.name,
      description: r.description ?? `Ratio of ${r.code ?? r.codeClass} responses is above ${r.ratio}.`,
      severity: "WARNING",
      group: "Response Code Ratio Alerts",
      resourceKind: "Cloud Run service",
      condition: {
        kind: "mql",
        query: responseCodeRatioQuery(crName, r),
        durationSeconds: r.durationMinutes * 60,
      },
    });
  return out;
}

/**
 * MQL: share of requests with the given code (or class), excluding `excludeCodes`, over all requests. MSP wrote
 * `align delta(15s) | every 15s`; Cloud Monitoring evaluates MQL alerting conditions every 30 s whatever
 * `every` says, so 15 s windows sampled every 30 s would count half the requests, and it asks alerting queries
 * to use delta_gauge instead of delta (platform/mql.ts). The query says what is evaluated: 30 s windows, every
 * 30 s; the ratio threshold and the duration stay MSP's.
 */
export function responseCodeRatioQuery(
  crName: string,
  r: { code?: number; codeClass?: string; excludeCodes?: string[]; ratio: number },
): string {
  const match =
    r.code !== undefined
      ? `metric.response_code == '${r.code}'`
      : `metric.response_code_class == '${r.codeClass}'`;
  const excludes = (r.excludeCodes ?? []).map((c) => ` && metric.response_code != '${c}'`).join("");
  return [
    "fetch cloud_run_revision",
    "| metric 'run.googleapis.com/request_count'",
    `| filter resource.service_name == '${crName}'`,
    `| align delta_gauge(${MQL_ALERT_PERIOD_SECONDS}s)`,
    `| every ${MQL_ALERT_PERIOD_SECONDS}s`,
    `| { filter ${match}${excludes} | group_by [], [matched: sum(val())] ; group_by [], [total: sum(val())] }`,
    "| join",
    "| value [ratio: val(0) / val(1)]",
    `| condition ratio > ${r.ratio}`,
  ].join("\n");
}

function jobAlerts(spec: ServiceSpec, env: EnvironmentSpec): CatalogueAlert[] {
  const resource = `resource.type = "cloud_run_job" AND resource.labels.job_name = starts_with("${spec.service.id}")`;
  const out = containerAlerts(spec, env, resource);
  out.push({
    id: "job_failures",
    name: "Cloud Run Job Failures",
    description: "Cloud Run job executions are failing - check the job's logs for errors.",
    severity: "WARNING",
    group: "Cloud Run Job Alerts",
    resourceKind: "Cloud Run job",
    condition: {
      kind: "threshold",
      filter: `metric.type = "run.googleapis.com/job/completed_task_attempt_count" AND metric.labels.result = "failed" AND ${resource}`,
      aggregation: agg(60, "COUNT", "SUM", ["metric.label.result"]),
      comparison: "COMPARISON_GT",
      threshold: 0,
      durationSeconds: 0,
    },
  });
  const absence = executionAbsenceMinutes(env);
  // Cloud Monitoring cannot watch for absence over more than a day (MSP skipped such schedules too).
  if (absence !== undefined && absence <= 23 * 60 + 30)
    out.push({
      id: "job_execution_absence",
      name: "Cloud Run Job Execution Absence",
      description: `Cloud Run job has not completed an execution within its schedule (${env.schedule!.cron}) plus 10 minutes.`,
      severity: "WARNING",
      group: "Cloud Run Job Alerts",
      resourceKind: "Cloud Run job",
      condition: {
        kind: "absence",
        filter: `metric.type = "run.googleapis.com/job/completed_task_attempt_count" AND ${resource}`,
        aggregation: agg(60, "COUNT", "SUM"),
        durationSeconds: absence * 60,
      },
    });
  return out;
}

function redisAlerts(): CatalogueAlert[] {
  const resource = `resource.type = "redis_instance"`;
  const t = (
    id: string,
    name: string,
    metric: string,
    a: Aggregation,
    threshold: number,
  ): CatalogueAlert => ({
    id: `redis_${id}`,
    name: `Cloud Redis - ${name}`,
    description: `Redis ${name.toLowerCase()} is above its threshold (${threshold}).`,
    severity: "WARNING",
    group: "Redis Alerts",
    resourceKind: "Redis",
    condition: {
      kind: "threshold",
      filter: `metric.type = "redis.googleapis.com/${metric}" AND ${resource}`,
      aggregation: a,
      comparison: "COMPARISON_GT",
      threshold,
      durationSeconds: 0,
    },
  });
  return [
    t(
      "memory",
      "System Memory Utilization",
      "stats/memory/system_memory_usage_ratio",
      agg(300, "MEAN", "NONE"),
      0.8,
    ),
    t(
      "cpu",
      "System CPU Utilization",
      "stats/cpu_utilization_main_thread",
      agg(300, "RATE", "SUM", ["resource.label.instance_id", "resource.label.node_id"]),
      0.9,
    ),
    t("failover", "Standard Instance Failover", "replication/role", agg(300, "STDDEV", "NONE"), 0),
  ];
}

function sqlAlerts(env: EnvironmentSpec, projectId: string): CatalogueAlert[] {
  const maxConnections = env.resources?.postgreSQL?.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const instance = `resource.type = "cloudsql_database" AND resource.labels.database_id = starts_with("${projectId}:")`;
  const database = `resource.type = "cloudsql_instance_database"`;
  const t = (
    id: string,
    name: string,
    metric: string,
    a: Aggregation,
    comparison: "COMPARISON_GT" | "COMPARISON_LT",
    threshold: number,
    durationSeconds: number,
    description: string,
    resource = instance,
  ): CatalogueAlert => ({
    id,
    name: `Cloud SQL - ${name}`,
    description,
    severity: "WARNING",
    group: "Cloud SQL Alerts",
    resourceKind: "PostgreSQL instance",
    condition: {
      kind: "threshold",
      filter: `metric.type = "cloudsql.googleapis.com/database/${metric}" AND ${resource}`,
      aggregation: a,
      comparison,
      threshold,
      durationSeconds,
    },
  });
  const lockGroup = ["metric.label.querystring", "metric.label.user"];
  return [
    t(
      "cloud_sql_memory",
      "Memory Utilization",
      "memory/utilization",
      agg(60, "MEAN", "NONE"),
      "COMPARISON_GT",
      0.8,
      0,
      "Cloud SQL instance memory utilization is above 80%.",
    ),
    t(
      "cloud_sql_cpu",
      "CPU Utilization",
      "cpu/utilization",
      agg(60, "MEAN", "NONE"),
      "COMPARISON_GT",
      0.9,
      180,
      "Cloud SQL instance CPU utilization is above 90%.",
    ),
    t(
      "cloud_sql_server_up",
      "Server Availability",
      "up",
      agg(60, "MIN", "NONE"),
      "COMPARISON_LT",
      1,
      0,
      "Cloud SQL instance is down.",
    ),
    t(
      "cloud_sql_disk_utilization",
      "Disk Utilization",
      "disk/utilization",
      agg(300, "MEAN", "NONE"),
      "COMPARISON_GT",
      0.95,
      0,
      "Cloud SQL instance disk utilization is above 95%.",
    ),
    t(
      "cloud_sql_connections",
      "Connections",
      "postgresql/num_backends",
      agg(120, "MAX", "SUM"),
      "COMPARISON_GT",
      Math.floor(0.9 * maxConnections),
      0,
      `Cloud SQL instance is using more than 90% of its ${maxConnections} connections.`,
    ),
    t(
      "per_query_lock_time_sustained",
      "Sustained Per-Query Lock Times",
      "postgresql/insights/perquery/lock_time",
      agg(60, "RATE", "MEAN", lockGroup),
      "COMPARISON_GT",
      200000,
      180,
      "Queries are waiting on locks for more than 0.2s per second, sustained for 3 minutes.",
      database,
    ),
    t(
      "per_query_lock_time_spike",
      "Spike in Per-Query Lock Time",
      "postgresql/insights/perquery/lock_time",
      agg(120, "RATE", "MEAN", lockGroup),
      "COMPARISON_GT",
      1000000,
      0,
      "Queries are waiting on locks for more than 1s per second.",
      database,
    ),
  ];
}

/**
 * A failed rollout of the service's Cloud Deploy pipeline, in the environment that holds it (the final stage):
 * Cloud Deploy writes each rollout state change to its `rollout_update` platform log, and a log-based alert on
 * `FAILED` is how its documentation says to be told (https://cloud.google.com/deploy/docs/alerts). Every
 * rollout's progress also reaches Slack through the pipeline's notification relay (components/rollout.ts).
 */
function rolloutAlerts(spec: ServiceSpec, env: EnvironmentSpec): CatalogueAlert[] {
  const final = finalRolloutStage(spec);
  if (!final || final.id !== env.id) return [];
  const region = regionOf(final);
  const pipeline = deliveryPipelineName(spec.service.id, region);
  return [
    {
      id: "rollout_failed",
      name: "Cloud Deploy Rollout Failed",
      description: `A rollout of the delivery pipeline ${pipeline} failed: the target kept its previous release. Find the rollout and its failure with gcloud deploy rollouts list --delivery-pipeline=${pipeline} --region=${region} --project=${env.projectID}, fix the cause and promote the release again, or roll back.`,
      severity: "WARNING",
      group: "Rollout Alerts",
      resourceKind: "Cloud Deploy pipeline",
      condition: {
        kind: "log",
        filter: [
          `logName="projects/${env.projectID}/logs/clouddeploy.googleapis.com%2Frollout_update"`,
          `resource.type="clouddeploy.googleapis.com/DeliveryPipeline"`,
          `resource.labels.pipeline_id="${pipeline}"`,
          `jsonPayload.rolloutUpdateType="FAILED"`,
        ].join(" AND "),
        notifyEverySeconds: 300,
      },
    },
  ];
}

/** Every alert the environment creates, custom alerts included, in dashboard order (group, then id). */
export function alertCatalogue(spec: ServiceSpec, env: EnvironmentSpec, crName: string): CatalogueAlert[] {
  const out = spec.service.kind === "job" ? jobAlerts(spec, env) : serviceAlerts(spec, env, crName);
  if (env.resources?.redis) out.push(...redisAlerts());
  if (env.resources?.postgreSQL) out.push(...sqlAlerts(env, env.projectID));
  out.push(...rolloutAlerts(spec, env));
  for (const a of spec.monitoring.alerts?.customAlerts ?? [])
    out.push({
      id: `custom_${customAlertKey(a.name)}`,
      name: a.name,
      description: a.description ?? a.name,
      severity: a.severityLevel,
      group: "Custom Alerts",
      resourceKind: "Custom",
      condition: {
        kind: a.condition.type,
        query: a.condition.query,
        durationSeconds: a.condition.durationMinutes * 60,
      },
    });
  return byGroup(out, "dashboard");
}

/** Uptime checks time out with the probe timeout (Cloud Monitoring's 10s when probes are off). */
export function uptimeTimeoutSeconds(env: EnvironmentSpec): number {
  return probesOf(env)?.timeout ?? 10;
}

/** Who an alert belongs to, for its labels and text. */
export interface AlertContext {
  serviceId: string;
  serviceName: string;
  envId: string;
  /** The handbook page every alert links to. */
  handbookUrl: string;
  /** The platform team's help channel (`msp:supportChannel`, without `#`). */
  supportChannel: string;
}

/** MSP's labels on every alert policy (a resource kind only on metric alerts). */
export function alertLabels(ctx: AlertContext, alert: CatalogueAlert): Record<string, string> {
  const labels: Record<string, string> = {
    source: "managed-services-platform",
    msp_alert_id: uniqueLabelValue(alert.id),
    msp_service_id: ctx.serviceId,
    msp_environment_id: ctx.envId,
  };
  if (alert.condition.kind === "threshold" || alert.condition.kind === "absence")
    labels.resource_kind = labelValue(alert.resourceKind);
  return labels;
}

/** What every alert's documentation ends with (MSP's `alertpolicy.DescriptionSuffix`, also a stack output). */
export function alertDescriptionSuffix(handbookUrl: string, envId: string, supportChannel: string): string {
  return `See ${handbookUrl} -> **${envId}** for service and infrastructure access details for this environment. If you need additional assistance, reach out to #${supportChannel}.`;
}

export function alertDocumentation(
  description: string,
  handbookUrl: string,
  envId: string,
  supportChannel: string,
): string {
  return `${description}\n\n${alertDescriptionSuffix(handbookUrl, envId, supportChannel)}`;
}

/** The catalogue entry as the environment creates it: with its labels and notification text. */
export function resolveAlert(ctx: AlertContext, alert: CatalogueAlert): ResolvedAlert {
  return {
    ...alert,
    labels: alertLabels(ctx, alert),
    documentation: {
      subject: `${ctx.serviceName} (${ctx.envId}): ${alert.name}`,
      content: alertDocumentation(alert.description, ctx.handbookUrl, ctx.envId, ctx.supportChannel),
    },
  };
}
