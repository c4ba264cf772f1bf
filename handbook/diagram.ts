/**
 * Architecture diagrams per environment: Graphviz DOT rendered to SVG with a WASM build of Graphviz (no
 * system binaries), and the same graph as Mermaid so it renders on GitHub.
 */
import type { EnvironmentSpec, ServiceSpec } from "../spec/schema";
import { domainOf } from "../spec/resolve";
import { categoryDefaults } from "../spec/categories";

interface Graph {
  nodes: { id: string; label: string }[];
  edges: [string, string, string?][];
}

export function architecture(spec: ServiceSpec, env: EnvironmentSpec): Graph {
  const job = spec.service.kind === "job";
  const domain = domainOf(env);
  const nodes: Graph["nodes"] = [];
  const edges: Graph["edges"] = [];
  const node = (id: string, label: string) => nodes.push({ id, label });
  const run = job ? "Cloud Run job" : "Cloud Run service";
  node("run", `${run}\\n${spec.service.id}`);
  if (job) {
    node("scheduler", env.schedule ? `Cloud Scheduler\\n${env.schedule.cron} UTC` : "Manual executions");
    edges.push(["scheduler", "run", "runs"]);
  } else {
    node("internet", "Internet");
    if (domain) {
      node("lb", `HTTPS load balancer\\nTLS 1.2+`);
      if (domain.proxied) {
        node("cloudflare", `Cloudflare WAF\\n${domain.fqdn}`);
        edges.push(["internet", "cloudflare", "HTTPS"], ["cloudflare", "lb", "origin certificate"]);
      } else {
        node("dns", `Cloudflare DNS\\n${domain.fqdn}`);
        edges.push(["internet", "dns"], ["dns", "lb", "HTTPS"]);
      }
      if (domain.proxied && categoryDefaults(env.category).cloudArmorWhenProxied) {
        node("armor", "Cloud Armor\\nCloudflare IPs only");
        edges.push(["lb", "armor"], ["armor", "run"]);
      } else edges.push(["lb", "run"]);
    } else edges.push(["internet", "run", "run.app"]);
  }
  node("secrets", "Secret Manager");
  edges.push(["run", "secrets", "secrets"]);
  const r = env.resources;
  if (r?.postgreSQL) {
    node("sql", `Cloud SQL PostgreSQL\\n${r.postgreSQL.databases.join(", ")}`);
    edges.push(["run", "sql", "private IP, IAM auth"]);
  }
  if (r?.redis) {
    node("redis", `Memorystore Redis\\n${r.redis.memoryGB} GB`);
    edges.push(["run", "redis", "TLS + AUTH"]);
  }
  if (r?.bigQueryDataset) {
    node("bigquery", `BigQuery\\n${r.bigQueryDataset.tables.join(", ")}`);
    edges.push(["run", "bigquery", "writes"]);
  }
  node("monitoring", "Cloud Monitoring\\nalerts, uptime, dashboard");
  edges.push(["run", "monitoring", "metrics"]);
  return { nodes, edges };
}

export function toDot(g: Graph, title: string): string {
  const q = (s: string) => `"${s.replace(/"/g, '\\"')}"`;
  return [
    `digraph ${q(title)} {`,
    "  rankdir=LR;",
    '  node [shape=box, style="rounded,filled", fillcolor="#eef3fb", fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=9];',
    ...g.nodes.map((n) => `  ${n.id} [label=${q(n.label)}];`),
    ...g.edges.map(([a, b, l]) => `  ${a} -> ${b}${l ? ` [label=${q(l)}]` : ""};`),
    "}",
  ].join("\n");
}

export function toMermaid(g: Graph): string {
  const label = (s: string) => `"${s.replace(/\\n/g, "<br/>").replace(/"/g, "'")}"`;
  return [
    "flowchart LR",
    ...g.nodes.map((n) => `  ${n.id}[${label(n.label)}]`),
    ...g.edges.map(([a, b, l]) => (l ? `  ${a} -- ${label(l)} --> ${b}` : `  ${a} --> ${b}`)),
  ].join("\n");
}

/** SVG from DOT, with @viz-js/viz (Graphviz compiled to WebAssembly). */
export async function renderSvg(dot: string): Promise<string> {
  const viz = await (require("@viz-js/viz") as typeof import("@viz-js/viz")).instance();
  return viz.renderString(dot, { format: "svg" });
}
