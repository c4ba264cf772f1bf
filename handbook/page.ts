/**
 * The operations handbook page of a service (reference §5, seeds 000 and 001), generated from the same spec
 * and alert catalogue the stack program uses, so it is always true.
 */
import type { LoadedService } from "../spec/loader";
import type { EnvironmentSpec } from "../spec/schema";
import * as resolve from "../spec/resolve";
import { categoryDefaults } from "../spec/categories";
import { alertCatalogue, type AlertDefinition } from "../components/alerts/catalogue";
import { cloudRunName, deliveryPipelineName, slackChannel } from "../components/naming";
import type { PlatformSettings } from "../components/platform";
import { anchor, code, fence, link, table } from "./markdown";
import * as links from "./links";
import { architecture, toMermaid } from "./diagram";

export const diagramFile = (svc: string, env: string) => `${svc}-${env}.svg`;

const AUTHENTICATION: Record<resolve.AuthenticationMode, string | undefined> = {
  public: undefined,
  sourcegraph: "sourcegraph.com GSuite users",
  restricted: "Restricted",
};

function resourcesRow(env: EnvironmentSpec): string {
  const r = env.resources;
  const names = [
    r?.redis && `${env.id} Redis`,
    r?.postgreSQL && `${env.id} PostgreSQL instance`,
    r?.bigQueryDataset && `${env.id} BigQuery dataset`,
  ].filter((x): x is string => !!x);
  return names.length ? names.map((n) => link(n, anchor(n))).join(", ") : "none";
}

function environmentSection(s: LoadedService, env: EnvironmentSpec): string[] {
  const { spec } = s;
  const svc = spec.service.id;
  const job = spec.service.kind === "job";
  const p = env.projectID;
  const domain = resolve.domainOf(env);
  const auth = AUTHENTICATION[resolve.authenticationOf(env)];
  const rows: [string, string][] = [
    ["Project ID", link(code(p), links.projectLink(p, job))],
    ["Category", `**${env.category}**`],
    ["Deployment type", code(env.deploy.type)],
    ["Resources", resourcesRow(env)],
    [
      "Slack notifications",
      link(`#${slackChannel(svc, env.id)}`, links.slackLink(slackChannel(svc, env.id))),
    ],
    [
      "Alert policies",
      `${link("GCP Monitoring alert policies list", links.alertPoliciesLink(p))}, ${link("Dashboard", links.dashboardsLink(p))}`,
    ],
  ];
  if (domain) rows.push(["Domain", link(domain.fqdn, `https://${domain.fqdn}`)]);
  if (domain?.proxied) rows.push(["Cloudflare WAF", "✅"]);
  if (!job && auth) rows.push(["Authentication", auth]);
  const out = [
    `### ${env.id}`,
    "",
    table(rows),
    "",
    categoryDefaults(env.category).production
      ? "This is a production environment: infrastructure access is time-bound and requested through the platform's access process."
      : "This is a test environment: access requirements are less stringent.",
    "",
    `#### ${env.id} Cloud Run`,
    "",
    `The ${resolve.serviceName(spec)} ${env.id} ${job ? "job" : "service"} runs on [Google Cloud Run](https://cloud.google.com/run) as ${code(cloudRunName(svc, env.id, resolve.regionOf(env)))}.`,
    "",
    table([
      ["Console", link(job ? "Cloud Run job" : "Cloud Run service", links.projectLink(p, job))],
      [job ? "Job logs" : "Service logs", link("GCP logging", links.logsLink(p, job))],
      [job ? "Job traces" : "Service traces", link("Cloud Trace", links.tracesLink(p))],
    ]),
    "",
    "You can also use `msp` to quickly open a link to your service logs:",
    "",
    fence("bash", `npx msp logs ${svc} ${env.id}`),
    "",
  ];
  const r = env.resources;
  if (r?.redis)
    out.push(
      `#### ${env.id} Redis`,
      "",
      table([
        ["Console", link("Memorystore Redis instances", links.redisLink(p))],
        ["Tier", r.redis.highAvailability ? "STANDARD_HA" : "BASIC"],
        ["Memory", `${r.redis.memoryGB} GB`],
      ]),
      "",
    );
  if (r?.postgreSQL)
    out.push(
      `#### ${env.id} PostgreSQL instance`,
      "",
      table([
        ["Console", link("Cloud SQL instances", links.sqlLink(p))],
        ["Databases", r.postgreSQL.databases.map(code).join(", ")],
        ["High availability", resolve.postgresHighAvailability(env) ? "yes (REGIONAL)" : "no (ZONAL)"],
        ["Point-in-time recovery", resolve.postgresPointInTimeRecovery(env) ? "yes" : "no"],
      ]),
      "",
      "To connect to the PostgreSQL instance in this environment, use `msp` (it prints the Cloud SQL proxy and psql commands):",
      "",
      fence(
        "bash",
        `# For read-only access\nnpx msp pg connect ${svc} ${env.id}\n\n# For write access - use with caution!\nnpx msp pg connect --write-access ${svc} ${env.id}`,
      ),
      "",
    );
  if (r?.bigQueryDataset) {
    const dataset = resolve.bigQueryDatasetIdOf(spec, env);
    const project = r.bigQueryDataset.projectID ?? p;
    out.push(
      `#### ${env.id} BigQuery dataset`,
      "",
      table([
        ["Dataset project", code(project)],
        ["Dataset ID", link(code(dataset), links.bigQueryLink(project, dataset))],
        [
          "Tables",
          r.bigQueryDataset.tables
            .map((t) => link(code(t), `../../services/${svc}/${t}.bigquerytable.json`))
            .join(", "),
        ],
      ]),
      "",
    );
  }
  out.push(
    `#### ${env.id} Architecture diagram`,
    "",
    `![Architecture diagram](./${diagramFile(svc, env.id)})`,
    "",
    fence("mermaid", toMermaid(architecture(spec, env))),
    "",
    `#### ${env.id} Pulumi stack`,
    "",
    `This environment is the Pulumi stack ${code(resolve.stackName(spec, env))}, created from [\`services/${svc}/service.yaml\`](../../services/${svc}/service.yaml) by the platform's components.`,
    `Pull requests show its plan and policy check (\`npx msp preview ${resolve.stackName(spec, env)}\`, offline); merges to main deploy it with \`pulumi up --stack ${resolve.stackName(spec, env)} --policy-pack policy\`.`,
    "If a deploy fails, check the deploy workflow's run on main; for service problems, check the Cloud Run logs above first.",
    "",
    fence(
      "bash",
      `pulumi stack select ${resolve.stackName(spec, env)}\npulumi preview --policy-pack policy --policy-pack-config ${categoryDefaults(env.category).policyConfig}`,
    ),
    "",
  );
  return out;
}

/** Page order: what fires for the container first, as MSP's pages list them. */
const PAGE_GROUP_ORDER = [
  "Container Alerts",
  "Cloud Run Service Alerts",
  "Cloud Run Job Alerts",
  "Uptime Alerts",
  "Response Code Ratio Alerts",
  "Redis Alerts",
  "Cloud SQL Alerts",
  "Custom Alerts",
];

/** Alerts every environment creates, deduplicated by ID (the same alert in several environments once). */
export function pageAlerts(s: LoadedService): { alert: AlertDefinition; envs: string[] }[] {
  const byId = new Map<string, { alert: AlertDefinition; envs: string[] }>();
  for (const env of s.spec.environments)
    for (const alert of alertCatalogue(
      s.spec,
      env,
      cloudRunName(s.spec.service.id, env.id, resolve.regionOf(env)),
    )) {
      const seen = byId.get(alert.id);
      // As MSP's pages: the last environment's variant of an alert is the one described.
      if (seen) {
        seen.envs.push(env.id);
        seen.alert = alert;
      } else byId.set(alert.id, { alert, envs: [env.id] });
    }
  return [...byId.values()].sort(
    (a, b) =>
      PAGE_GROUP_ORDER.indexOf(a.alert.group) - PAGE_GROUP_ORDER.indexOf(b.alert.group) ||
      a.alert.id.localeCompare(b.alert.id),
  );
}

export function renderServicePage(s: LoadedService, settings: PlatformSettings): string {
  const { spec } = s;
  const svc = spec.service.id;
  const name = resolve.serviceName(spec);
  const job = spec.service.kind === "job";
  const envIds = spec.environments.map((e) => e.id);
  const out = [
    `# ${name} infrastructure operations`,
    "",
    "<!--",
    "Generated documentation; DO NOT EDIT. Regenerate using this command: 'npx msp docs --all'",
    "",
    `Generated from: services/${svc}/service.yaml`,
    "-->",
    "",
    `This document describes operational guidance for ${name} infrastructure.`,
    "This service is operated on the Managed Services Platform (MSP), with Pulumi.",
    "",
    "If you need assistance with MSP infrastructure, reach out to the Core Services team in #discuss-core-services.",
    "",
    "## Service overview",
    "",
    table([
      [
        "Service ID",
        `${code(svc)} (${link("specification", `${settings.specRepositoryUrl}/${svc}/service.yaml`)})`,
      ],
      ["Owners", spec.service.owners.map((o) => `**${o}**`).join(", ")],
      ["Service kind", job ? "Cloud Run job" : "Cloud Run service"],
      ["Environments", envIds.map((e) => link(e, `#${e}`)).join(", ")],
      ["Docker image", code(spec.build.image)],
      [
        "Source code",
        link(
          `${code(spec.build.source.repo)} - ${code(spec.build.source.dir)}`,
          `https://${spec.build.source.repo}/tree/HEAD/${spec.build.source.dir}`,
        ),
      ],
    ]),
    "",
  ];
  const final = resolve.finalRolloutStage(spec);
  if (spec.rollout && final) {
    const region = resolve.regionOf(final);
    const pipeline = deliveryPipelineName(svc, region);
    const stages = spec.rollout.stages.map((st) => st.environment);
    out.push(
      "## Rollouts",
      "",
      table([
        ["Delivery pipeline", link(code(pipeline), links.pipelineLink(region, pipeline, final.projectID))],
        ["Stages", stages.join(" -> ")],
      ]),
      "",
      `Changes to ${name} are continuously delivered to the first stage (${stages[0]}) of the delivery pipeline.`,
      ...(stages.length > 1
        ? [
            "",
            "Promotion of a release to the next stage in the pipeline must be done manually using the GCP Delivery pipeline UI.",
          ]
        : []),
      "",
    );
  }
  out.push("## Environments", "");
  for (const env of spec.environments) out.push(...environmentSection(s, env));
  out.push(
    "## Incident response",
    "",
    "Start an incident with `/incident` in Slack and select this service under 'Affected services'.",
    `Alerts for each environment go to its \`#${slackChannel(svc, "<env>")}\` channel; CRITICAL alerts of production environments page the owners (${spec.service.owners.join(", ")}).`,
    "For platform-wide problems, tag `@core-services-support` in #discuss-core-services.",
    "",
    "## Alert Policies",
    "",
    "The following alert policies are defined for each of this service's environments.",
    "",
  );
  for (const { alert, envs } of pageAlerts(s)) {
    out.push(`#### ${alert.name}`, "", fence("md", alert.description), "", `Severity: ${alert.severity}`);
    if (envs.length !== envIds.length) out.push("", `Environments: ${envs.join(", ")}`);
    out.push("");
  }
  return out.join("\n");
}

export function renderIndexPage(services: readonly LoadedService[]): string {
  const rows = services.map((s) => {
    const envs = s.spec.environments.map((e) => `${e.id} (${e.category})`).join(", ");
    return `| ${link(resolve.serviceName(s.spec), `./${s.spec.service.id}.md`)} | ${s.spec.service.kind === "job" ? "job" : "service"} | ${s.spec.service.owners.join(", ")} | ${envs} |`;
  });
  return [
    "# Managed Services infrastructure",
    "",
    "<!-- Generated documentation; DO NOT EDIT. Regenerate using this command: 'npx msp docs --all' -->",
    "",
    `${services.length} services operated on the Managed Services Platform.`,
    "",
    "| Service | Kind | Owners | Environments (category) |",
    "|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}
