/**
 * The architecture of one environment as a graph: what a reader of the handbook needs to see (edge,
 * workload and its schedule, data, secrets, monitoring and notifications, rollout stages), drawn from the
 * resolved environment the stack program builds from. handbook/diagram.ts renders this one description
 * twice, as Graphviz SVG and as Mermaid, so both pictures always agree.
 */
import type { ResolvedEnvironment } from "../resolve/model";

/** What a node is; the diagram style gives each kind one colour, in the SVG and in Mermaid alike. */
export type NodeKind = "outside" | "edge" | "workload" | "data" | "secrets" | "monitoring" | "delivery";

export interface DiagramNode {
  id: string;
  kind: NodeKind;
  /** First line: the product, e.g. "Cloud SQL PostgreSQL". */
  title: string;
  /** Further lines: this environment's specifics, e.g. the database names. */
  details: string[];
}

export interface DiagramGroup {
  id: string;
  label: string;
  nodes: string[];
}

export interface DiagramEdge {
  from: string;
  to: string;
  label?: string;
  /** Control-plane relation (deploys, checks), not a request path. */
  dashed?: boolean;
}

export interface Diagram {
  nodes: DiagramNode[];
  groups: DiagramGroup[];
  edges: DiagramEdge[];
}

/** Keeps a long list readable inside a box: the first items, then "+N more". */
/** The Google Workspace domains among a service's invokers (`domain:<d>`: the staff, `msp:staffDomain`). */
export const staffDomains = (invokers: readonly string[]): string =>
  invokers
    .filter((m) => m.startsWith("domain:"))
    .map((m) => m.slice("domain:".length))
    .join(", ");

function listed(items: readonly string[], max = 3): string {
  return items.length <= max
    ? items.join(", ")
    : `${items.slice(0, max).join(", ")} +${items.length - max} more`;
}

export function architecture(env: ResolvedEnvironment): Diagram {
  const svc = env.serviceId;
  const w = env.workload;
  const job = w.kind === "job";
  const region = env.region;
  const domain = env.domain;
  const nodes: DiagramNode[] = [];
  const edges: DiagramEdge[] = [];
  const node = (id: string, kind: NodeKind, title: string, ...details: string[]) =>
    nodes.push({ id, kind, title, details });
  const edge = (from: string, to: string, label?: string, dashed?: boolean) =>
    edges.push({ from, to, ...(label ? { label } : {}), ...(dashed ? { dashed } : {}) });
  const cloudflare: string[] = [];
  const project: string[] = [];
  const delivery: string[] = [];

  // Workload.
  if (job) {
    node("run", "workload", "Cloud Run job", svc, `${region}, deadline ${w.job!.deadlineSeconds} s`);
    if (w.job?.cron) node("scheduler", "workload", "Cloud Scheduler", `${w.job.cron} (UTC)`);
    else node("scheduler", "outside", "Manual executions", "no schedule");
    edge("scheduler", "run", "runs");
    project.push("scheduler", "run");
  } else {
    const s = w.service!.scaling;
    node("run", "workload", "Cloud Run service", svc, `${region}, ${s.minCount} to ${s.maxCount} instances`);
    project.push("run");
  }

  // Edge: who reaches the service and through what.
  if (w.service) {
    const auth = w.service.authentication;
    node(
      "users",
      "outside",
      "Users",
      auth === "public"
        ? "anyone"
        : auth === "sourcegraph"
          ? `${staffDomains(w.service.invokers)} accounts`
          : "granted identities",
    );
    if (domain) {
      if (domain.proxied) {
        node("cloudflare", "edge", "Cloudflare WAF", domain.fqdn);
        edge("users", "cloudflare", "HTTPS");
      } else {
        node("cloudflare", "edge", "Cloudflare DNS", domain.fqdn, "not proxied");
        edge("users", "cloudflare", "DNS");
      }
      cloudflare.push("cloudflare");
      node(
        "lb",
        "edge",
        "HTTPS load balancer",
        domain.proxied ? "origin certificate" : "Google-managed certificate",
      );
      edge("cloudflare", "lb", domain.proxied ? "proxied" : "HTTPS");
      project.push("lb");
      if (domain.cloudArmor) {
        node("armor", "edge", "Cloud Armor", "Cloudflare IPs only");
        edge("lb", "armor");
        edge("armor", "run");
        project.push("armor");
      } else edge("lb", "run");
    } else edge("users", "run", "from inside Google Cloud only (no domain)");
  }

  // Image and delivery.
  const image = w.imageRepository.split("/").pop()!;
  const stage = env.rolloutStage;
  if (env.deployType === "rollout" && stage) {
    node(
      "deploy",
      "delivery",
      "Cloud Deploy pipeline",
      `stages: ${stage.stages.join(", ")}`,
      `this is stage ${stage.index + 1} of ${stage.stages.length}`,
    );
    const canary = stage.canaryPercentages;
    edge(
      "deploy",
      "run",
      canary ? `canary ${[...canary, 100].map((p) => `${p}%`).join(", ")}` : "releases",
      true,
    );
    delivery.push("deploy");
  } else {
    node(
      "deploy",
      "delivery",
      "Container image",
      `${image}:${w.imageTag}`,
      env.deployType === "subscription" ? "tag followed at deploy" : "manual tag",
    );
    edge("deploy", "run", "image", true);
  }

  // Secrets and data.
  const secretCount = w.container.secretEnv.length + w.container.secretVolumes.length;
  node(
    "secrets",
    "secrets",
    "Secret Manager",
    secretCount ? `${secretCount} secret(s)` : "diagnostics secret",
  );
  edge("run", "secrets", "reads");
  project.push("secrets");
  const pg = env.postgres;
  if (pg) {
    node(
      "sql",
      "data",
      "Cloud SQL PostgreSQL",
      listed(pg.databases),
      `${pg.highAvailability ? "regional (HA)" : "zonal"}, ${pg.pointInTimeRecovery ? "PITR, " : ""}backups`,
    );
    edge("run", "sql", "private IP, IAM");
    project.push("sql");
  }
  if (env.redis) {
    node(
      "redis",
      "data",
      "Memorystore Redis",
      `${env.redis.memoryGB} GB, ${env.redis.highAvailability ? "regional (HA)" : "zonal"}`,
    );
    edge("run", "redis", "TLS + AUTH");
    project.push("redis");
  }
  const bq = env.bigQuery;
  if (bq) {
    const other = bq.projectId !== env.project.id;
    node(
      "bigquery",
      "data",
      "BigQuery dataset",
      other ? `${bq.projectId}.${bq.datasetId}` : bq.datasetId,
      listed(Object.keys(bq.tables)),
    );
    edge("run", "bigquery", "writes");
    if (!other) project.push("bigquery");
  }

  // Monitoring and who hears about it.
  const m = env.monitoring;
  const alerts = m.alerts;
  const uptime = m.uptime !== undefined;
  node(
    "monitoring",
    "monitoring",
    "Cloud Monitoring",
    `${alerts.length} alert policies`,
    uptime ? "uptime check, dashboard" : "dashboard",
  );
  edge("run", "monitoring", "metrics");
  if (uptime && domain) edge("monitoring", "cloudflare", "uptime check", true);
  project.push("monitoring");
  node(
    "notify",
    "outside",
    "Notifications",
    `Slack #${m.slackChannel}`,
    m.pagerDuty
      ? `pages ${listed(
          m.pagerDuty.services.map((s) => s.owner),
          2,
        )} (PagerDuty)`
      : m.pagesOwners
        ? `pages ${listed(Object.keys(m.pagingWebhookSecrets), 2)}`
        : "no paging",
  );
  edge("monitoring", "notify", "alerts");

  const groups: DiagramGroup[] = [];
  if (cloudflare.length)
    groups.push({ id: "cloudflare_zone", label: `Cloudflare zone ${domain!.zone}`, nodes: cloudflare });
  groups.push({ id: "gcp_project", label: `GCP project ${env.project.id}`, nodes: project });
  if (delivery.length) groups.push({ id: "delivery", label: "Rollout", nodes: delivery });
  return { nodes, groups, edges };
}
