/**
 * The architecture of one environment as a graph: what a reader of the handbook needs to see (edge,
 * workload and its schedule, data, secrets, monitoring and notifications, rollout stages), computed from
 * the spec with the same resolvers the components use. handbook/diagram.ts renders this one description
 * twice, as Graphviz SVG and as Mermaid, so both pictures always agree.
 */
import type { EnvironmentSpec, ServiceSpec } from "../spec/schema";
import * as resolve from "../spec/resolve";
import { categoryDefaults } from "../spec/categories";
import { alertCatalogue } from "../components/alerts/catalogue";
import { cloudRunName, slackChannel } from "../components/naming";

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
function listed(items: readonly string[], max = 3): string {
  return items.length <= max
    ? items.join(", ")
    : `${items.slice(0, max).join(", ")} +${items.length - max} more`;
}

export function architecture(spec: ServiceSpec, env: EnvironmentSpec): Diagram {
  const svc = spec.service.id;
  const job = spec.service.kind === "job";
  const region = resolve.regionOf(env);
  const domain = job ? undefined : resolve.domainOf(env);
  const category = categoryDefaults(env.category);
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
    node("run", "workload", "Cloud Run job", svc, `${region}, deadline ${resolve.deadlineSecondsOf(env)} s`);
    if (env.schedule) node("scheduler", "workload", "Cloud Scheduler", `${env.schedule.cron} (UTC)`);
    else node("scheduler", "outside", "Manual executions", "no schedule");
    edge("scheduler", "run", "runs");
    project.push("scheduler", "run");
  } else {
    const s = resolve.scalingOf(env);
    node("run", "workload", "Cloud Run service", svc, `${region}, ${s.minCount} to ${s.maxCount} instances`);
    project.push("run");
  }

  // Edge: who reaches the service and through what.
  if (!job) {
    const auth = resolve.authenticationOf(env);
    node(
      "users",
      "outside",
      "Users",
      auth === "public"
        ? "anyone"
        : auth === "sourcegraph"
          ? "sourcegraph.com accounts"
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
      if (domain.proxied && category.cloudArmorWhenProxied) {
        node("armor", "edge", "Cloud Armor", "Cloudflare IPs only");
        edge("lb", "armor");
        edge("armor", "run");
        project.push("armor");
      } else edge("lb", "run");
    } else edge("users", "run", "run.app URL");
  }

  // Image and delivery.
  const image = spec.build.image.split("/").pop()!;
  const tag = resolve.imageTagOf(spec, env);
  if (env.deploy.type === "rollout" && spec.rollout) {
    const stages = spec.rollout.stages.map((s) => s.environment);
    node(
      "deploy",
      "delivery",
      "Cloud Deploy pipeline",
      `stages: ${stages.join(", ")}`,
      `this is stage ${stages.indexOf(env.id) + 1} of ${stages.length}`,
    );
    edge("deploy", "run", "releases", true);
    delivery.push("deploy");
  } else {
    node(
      "deploy",
      "delivery",
      "Container image",
      `${image}:${tag}`,
      env.deploy.type === "subscription" ? "tag followed at deploy" : "manual tag",
    );
    edge("deploy", "run", "image", true);
  }

  // Secrets and data.
  const secretCount = Object.keys(env.secretEnv ?? {}).length + Object.keys(env.secretVolumes ?? {}).length;
  node(
    "secrets",
    "secrets",
    "Secret Manager",
    secretCount ? `${secretCount} secret(s)` : "diagnostics secret",
  );
  edge("run", "secrets", "reads");
  project.push("secrets");
  const r = env.resources;
  if (r?.postgreSQL) {
    const ha = resolve.postgresHighAvailability(env);
    node(
      "sql",
      "data",
      "Cloud SQL PostgreSQL",
      listed(r.postgreSQL.databases),
      `${ha ? "regional (HA)" : "zonal"}, ${resolve.postgresPointInTimeRecovery(env) ? "PITR, " : ""}backups`,
    );
    edge("run", "sql", "private IP, IAM");
    project.push("sql");
  }
  if (r?.redis) {
    node(
      "redis",
      "data",
      "Memorystore Redis",
      `${r.redis.memoryGB} GB, ${r.redis.highAvailability ? "regional (HA)" : "zonal"}`,
    );
    edge("run", "redis", "TLS + AUTH");
    project.push("redis");
  }
  if (r?.bigQueryDataset) {
    const dataset = resolve.bigQueryDatasetIdOf(spec, env);
    const other = r.bigQueryDataset.projectID && r.bigQueryDataset.projectID !== env.projectID;
    node(
      "bigquery",
      "data",
      "BigQuery dataset",
      other ? `${r.bigQueryDataset.projectID}.${dataset}` : dataset,
      listed(r.bigQueryDataset.tables),
    );
    edge("run", "bigquery", "writes");
    if (!other) project.push("bigquery");
  }

  // Monitoring and who hears about it.
  const alerts = alertCatalogue(spec, env, cloudRunName(svc, env.id, region));
  const uptime = alerts.some((a) => a.condition.kind === "uptime");
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
    `Slack #${slackChannel(svc, env.id)}`,
    resolve.pagesOwners(env) ? `pages ${listed(spec.service.owners, 2)}` : "no paging",
  );
  edge("monitoring", "notify", "alerts");

  const groups: DiagramGroup[] = [];
  if (cloudflare.length)
    groups.push({ id: "cloudflare_zone", label: `Cloudflare zone ${domain!.zone}`, nodes: cloudflare });
  groups.push({ id: "gcp_project", label: `GCP project ${env.projectID}`, nodes: project });
  if (delivery.length) groups.push({ id: "delivery", label: "Rollout", nodes: delivery });
  return { nodes, groups, edges };
}
