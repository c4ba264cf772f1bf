/**
 * The operations handbook page of a service (reference §5, seeds 000 and 001), rendered from the resolved
 * service (resolve/environment.ts): the same values, alert set included, the stack program creates.
 */
import { byGroup } from "../resolve/alerts";
import type {
  AuthenticationMode,
  ResolvedAlert,
  ResolvedEnvironment,
  ResolvedRollout,
  ResolvedRolloutStage,
  ResolvedService,
} from "../resolve/model";
import { anchor, cell, code, embeddedMarkdown, fence, link, quotedProse, table, text } from "./markdown";
import * as links from "./links";
import { architecture, toMermaid } from "./diagram";
import { environmentContractSection } from "./contract";
import { staffDomains } from "./architecture";
import { connectionProfileId, PROXY_NAME, publicationUser } from "../plans/datastream-plan";
import {
  REPLICATION_PASSWORD_SECRET,
  REPLICATION_USER,
  replicationSlotName,
} from "../plans/postgres-grants-plan";
import {
  RELEASE_PLACEHOLDER,
  ROLLOUT_PLACEHOLDER,
  rollbackLines,
  rollbackPlan,
  type RollbackTarget,
} from "../delivery/rollback";
import { canaryCommands, canaryPhaseIds } from "../delivery/canary";
import { shellLine } from "../resolve/shell";

export const diagramFile = (svc: string, env: string) => `${svc}-${env}.svg`;

/** Who may call the service, as the environment table says it (`sourcegraph`: the staff's Workspace domain). */
function authenticationText(mode: AuthenticationMode, invokers: readonly string[]): string | undefined {
  if (mode === "public") return undefined;
  if (mode === "restricted") return "Restricted";
  return `${staffDomains(invokers)} GSuite users`;
}

function resourcesRow(env: ResolvedEnvironment): string {
  const names = [
    env.redis && `${env.envId} Redis`,
    env.postgres && `${env.envId} PostgreSQL instance`,
    env.bigQuery && `${env.envId} BigQuery dataset`,
  ].filter((x): x is string => !!x);
  return names.length ? names.map((n) => link(n, anchor(n))).join(", ") : "none";
}

/**
 * Who can do what in an environment, and how to get it (MSP's access table, with the database roles): the
 * folder each category's projects sit in (reference §2.1) as access requests name it, and the organisation's
 * access process (`msp:folderNames`, `msp:accessRequestProcess`).
 */
function accessSection(s: ResolvedService, env: ResolvedEnvironment): string[] {
  // Settings are text too: a stack file or a fork's Pulumi.yaml is no more trusted Markdown than a spec.
  const folder = text(s.organisation.folderNames[env.category]);
  const process = text(s.organisation.accessRequestProcess);
  const ids = env.identities;
  const rows: [string, string][] = [
    ["ACCESS", "WHAT IT ALLOWS, AND HOW TO GET IT"],
    [
      "GCP project read access",
      `Consoles, logs, traces, alert policies (viewer roles). Request read access to the '${folder}' folder.`,
    ],
    [
      "GCP project write access",
      `Changes through the console, impersonating the environment's service accounts (needed for database access). Request write access to the '${folder}' folder.`,
    ],
  ];
  if (env.postgres)
    rows.push(
      [
        "Database, read-only",
        `As ${code(ids.operatorEmail)}: CONNECT and SELECT on every table, present and future. With write access granted: ${code(`npx msp pg connect ${s.id} ${env.envId}`)}.`,
      ],
      [
        "Database, write (break glass)",
        `As the workload account ${code(ids.workloadEmail)}, owner of the databases. With write access granted: ${code(`npx msp pg connect --write-access ${s.id} ${env.envId}`)}; say why in the incident channel.`,
      ],
    );
  if (env.sentry)
    rows.push([
      "Errors (Sentry)",
      `Members of the ${code(env.sentry.team)} team of the ${code(env.sentry.organization)} Sentry organization see ${link(code(env.sentry.slug), env.sentry.url)}.`,
    ]);
  const [head, ...body] = rows as [[string, string], ...[string, string][]];
  return [
    env.categoryDefaults.production
      ? `MSP infrastructure access is time-bound: request it through the platform's access process (${process}), naming the service and environment.`
      : `MSP infrastructure access is requested through the platform's access process (${process}). Test environments may have less stringent requirements.`,
    "",
    table(body, head),
    "",
  ];
}

/**
 * "Canary (<env>)": how a canary stage takes a release (its phases), and the commands to watch it, advance it
 * one phase at a time and abort it (delivery/canary.ts).
 */
function canarySection(s: ResolvedService, rollout: ResolvedRollout, stage: ResolvedRolloutStage): string[] {
  const cmds = canaryCommands(rollout, stage);
  if (!cmds || !stage.canaryPercentages) return [];
  const phases = canaryPhaseIds(stage.canaryPercentages);
  const shares = [...stage.canaryPercentages, 100].map((p) => `${p}%`).join(", then ");
  const env = s.environments.find((e) => e.envId === stage.envId);
  return [
    `### Canary (${stage.envId})`,
    "",
    `A release promoted to ${stage.envId} reaches it in phases: the new revision gets ${shares} of requests (Cloud Run traffic splitting; the rest stays on the prior revision). The rollout waits at each phase (${phases.map(code).join(", ")}) until someone advances it: watch before each step.`,
    "",
    `Watch the rollout's phase and the split, and the ${env ? link("dashboard", links.alertsDashboardLink(env.project.id)) : "dashboard"}, ${env ? link("errors in the logs", links.logsLink(env.project.id, false)) : "logs"}${env?.sentry ? ` and ${link("Sentry", env.sentry.url)}` : ""} for new errors or a change in the shape of the traffic. ${code(RELEASE_PLACEHOLDER)} is the release (\`gcloud deploy releases list\`), ${code(ROLLOUT_PLACEHOLDER)} its rollout on this target (the first command lists it):`,
    "",
    fence(
      "bash",
      [
        "# The rollout: its phase and state",
        shellLine(cmds.watchRollout),
        "# The traffic split of the Cloud Run service",
        shellLine(cmds.watchTraffic),
        "",
        ...cmds.advance.flatMap((a, i) => [
          `# Promote: advance to the next phase (${a.phase}${i === cmds.advance.length - 1 ? ": all traffic" : ""})`,
          shellLine(a.argv),
        ]),
        "",
        "# Abort: cancel the rollout (the split stays as it is), then give the previous release all traffic",
        shellLine(cmds.cancel),
        shellLine(cmds.rollback),
      ].join("\n"),
    ),
    "",
  ];
}

/** Stands for the image tag to go back to in a job's printed rollback (jobs have no revisions to pick). */
const TAG_PLACEHOLDER = "TAG";

/**
 * "Roll back": `msp rollback` for the environment and the commands it prints (delivery/rollback.ts), so the
 * page works without msp at hand too.
 */
function rollbackSection(s: ResolvedService, env: ResolvedEnvironment, index: number): string[] {
  const job = env.workload.kind === "job";
  const target: RollbackTarget = job ? { kind: "tag", tag: TAG_PLACEHOLDER } : { kind: "previous" };
  const field =
    env.deployType === "manual"
      ? `environments[${index}].deploy.manual.tag`
      : `environments[${index}].deploy`;
  const plan = rollbackPlan(s, env, target, { where: `services/${s.id}/service.yaml`, field });
  const intro =
    env.deployType === "rollout"
      ? `A bad release is rolled back by Cloud Deploy: the target goes back to the release it ran before (\`--to <release>\` names another).`
      : job
        ? `A job has no traffic to move: set its image to the tag to go back to (${code(TAG_PLACEHOLDER)} below), then make the spec say it.`
        : `A bad revision is rolled back by sending all traffic to an earlier revision at once (\`--to <revision>\`, or \`--to <tag>\` for a new revision of an older image), then making the spec say it so the next deploy keeps it.`;
  const msp = job
    ? `npx msp rollback ${s.id} ${env.envId} --to ${TAG_PLACEHOLDER}`
    : `npx msp rollback ${s.id} ${env.envId}`;
  return [
    `#### ${env.envId} Roll back`,
    "",
    intro,
    `\`${msp}\` prints the commands below for this environment; \`--run\` runs them with your gcloud credentials${job || env.deployType === "rollout" ? "" : " (and looks the revision up: the newest ready one before the revision serving)"}.`,
    "",
    fence("bash", [`# Print the rollback; --run runs it`, msp, "", ...rollbackLines(plan)].join("\n")),
    "",
  ];
}

function environmentSection(s: ResolvedService, env: ResolvedEnvironment): string[] {
  const svc = s.id;
  const job = s.kind === "job";
  const p = env.project.id;
  const domain = env.domain;
  const auth =
    env.workload.service &&
    authenticationText(env.workload.service.authentication, env.workload.service.invokers);
  const slack = env.monitoring.slackChannel;
  const rows: [string, string][] = [
    ["Project ID", link(code(p), links.projectLink(p, job))],
    ["Category", `**${env.category}**`],
    ["Deployment type", code(env.deployType)],
    ["Resources", resourcesRow(env)],
    ["Slack notifications", link(`#${slack}`, links.slackLink(s.organisation.slackWorkspaceUrl, slack))],
    [
      "Alert policies",
      `${link("GCP Monitoring alert policies list", links.alertPoliciesLink(p))}, ${link("Dashboard", links.alertsDashboardLink(p))}`,
    ],
  ];
  if (env.sentry) rows.push(["Errors", link(`Sentry ${code(env.sentry.slug)}`, env.sentry.url)]);
  if (domain) rows.push(["Domain", link(text(domain.fqdn), domain.url)]);
  if (domain?.proxied) rows.push(["Cloudflare WAF", "✅"]);
  if (auth) rows.push(["Authentication", auth]);
  const out = [
    `### ${env.envId}`,
    "",
    table(rows),
    "",
    ...accessSection(s, env),
    `#### ${env.envId} Cloud Run`,
    "",
    `The ${text(s.name)} ${env.envId} ${job ? "job" : "service"} runs on [Google Cloud Run](https://cloud.google.com/run) as ${code(env.workload.cloudRunName)}.`,
    "",
    table([
      ["Console", link(job ? "Cloud Run job" : "Cloud Run service", links.projectLink(p, job))],
      [job ? "Job logs" : "Service logs", link("GCP logging", links.logsLink(p, job))],
      [job ? "Job traces" : "Service traces", link("Cloud Trace", links.tracesLink(p))],
      ...(env.sentry
        ? [
            [
              job ? "Job errors" : "Service errors",
              link(`Sentry ${code(env.sentry.slug)}`, env.sentry.url),
            ] as [string, string],
          ]
        : []),
    ]),
    "",
    ...(env.workload.pinDigest
      ? [
          `It follows the image tag ${code(env.workload.imageTag)} (\`subscription\` deploy): each deploy runs the digest the tag points to then, and the scheduled \`subscriptions\` workflow redeploys within 20 minutes when the tag moves. The stack output \`image\` is the digest running.`,
          "",
        ]
      : []),
    "You can also use `msp` to quickly open a link to your service logs, or to follow them in the terminal (`--run` runs the printed `gcloud` command):",
    "",
    fence("bash", `npx msp logs ${svc} ${env.envId}\nnpx msp logs --tail --run ${svc} ${env.envId}`),
    "",
    ...(job ? jobOperationsLines(svc, env) : []),
    ...rollbackSection(s, env, s.environments.indexOf(env)),
    ...environmentContractSection(svc, env),
  ];
  if (env.redis)
    out.push(
      `#### ${env.envId} Redis`,
      "",
      table([
        ["Console", link("Memorystore Redis instances", links.redisLink(p))],
        ["Tier", env.redis.tier],
        ["Memory", `${env.redis.memoryGB} GB`],
      ]),
      "",
    );
  if (env.postgres)
    out.push(
      `#### ${env.envId} PostgreSQL instance`,
      "",
      table([
        ["Console", link("Cloud SQL instances", links.sqlLink(p))],
        ["Databases", env.postgres.databases.map(code).join(", ")],
        ["High availability", env.postgres.highAvailability ? "yes (REGIONAL)" : "no (ZONAL)"],
        ["Point-in-time recovery", env.postgres.pointInTimeRecovery ? "yes" : "no"],
        ["Operator access", "read-only: SELECT on every table, present and future"],
        ["Workload access", "owner of the databases (cloudsqlsuperuser)"],
        ...env.postgres.publications.map(
          (pub) =>
            [
              `Publication ${code(pub.name)}`,
              `${code(pub.database)}: ${pub.tables.map(code).join(", ")}; slot ${code(pub.slotName ?? replicationSlotName(pub.name))}, user ${code(REPLICATION_USER)} (password in Secret Manager ${code(REPLICATION_PASSWORD_SECRET)})`,
            ] as [string, string],
        ),
        ...env.postgres.publications.map(
          (pub) =>
            [
              `Datastream ${code(pub.name)}`,
              `connection profile ${code(connectionProfileId(pub.name))} (login ${code(publicationUser(pub.name))}), through the private connection ${code(PROXY_NAME)} and the Cloud SQL Auth Proxy VM of that name; create the stream from the profile`,
            ] as [string, string],
        ),
      ]),
      "",
      "> [!NOTE]",
      "> The write access request is required for BOTH read-only and write access to the database: connecting impersonates a service account.",
      "",
      "To connect to the PostgreSQL instance in this environment, use `msp`: it runs the Cloud SQL Auth Proxy on your machine (IAM login through your gcloud credentials, no VPN) and prints the psql commands (`--print` only prints them):",
      "",
      fence(
        "bash",
        `# For read-only access\nnpx msp pg connect ${svc} ${env.envId}\n\n# For write access - use with caution!\nnpx msp pg connect --write-access ${svc} ${env.envId}`,
      ),
      "",
    );
  const bq = env.bigQuery;
  if (bq)
    out.push(
      `#### ${env.envId} BigQuery dataset`,
      "",
      table([
        ["Dataset project", code(bq.projectId)],
        ["Dataset ID", link(code(bq.datasetId), links.bigQueryLink(bq.projectId, bq.datasetId))],
        [
          "Tables",
          Object.keys(bq.tables)
            .map((t) => link(code(t), `../../services/${svc}/${t}.bigquerytable.json`))
            .join(", "),
        ],
      ]),
      "",
    );
  out.push(...logExportSection(env));
  out.push(
    `#### ${env.envId} Architecture diagram`,
    "",
    `![Architecture diagram](./${diagramFile(svc, env.envId)})`,
    "",
    fence("mermaid", toMermaid(architecture(env))),
    "",
    `#### ${env.envId} Pulumi stack`,
    "",
    `This environment is the Pulumi stack ${code(env.stack)}, created from [\`services/${svc}/service.yaml\`](../../services/${svc}/service.yaml) by the platform's components.`,
    `Pull requests show its plan and policy check (\`npx msp preview ${env.stack}\`, offline); merges to main deploy it with \`pulumi up --stack ${env.stack} --policy-pack policy\`.`,
    "If a deploy fails, check the deploy workflow's run on main; for service problems, check the Cloud Run logs above first.",
    "",
    fence(
      "bash",
      `pulumi stack select ${env.stack}\npulumi preview --policy-pack policy --policy-pack-config ${env.policyConfig}`,
    ),
    "",
  );
  return out;
}

/**
 * Where a rollout's progress and failures are announced: Cloud Deploy's notifications through the relay, and
 * the "Cloud Deploy Rollout Failed" alert of the environment holding the pipeline (resolve/alerts.ts).
 */
function rolloutNotificationLines(s: ResolvedService, rollout: ResolvedRollout): string[] {
  const holder = s.environments.find((e) => e.rollout);
  const failed = holder?.monitoring.alerts.find((a) => a.condition.kind === "log");
  const channel = holder?.monitoring.slackChannel;
  return [
    `Cloud Deploy announces every rollout (started, succeeded, failed, waiting for approval or a phase) on its \`clouddeploy-operations\` Pub/Sub topic in ${code(rollout.projectId)}, which the platform's relay posts to Slack.`,
    ...(failed && channel
      ? [
          `A failed rollout also opens the alert ${text(failed.name)} (${failed.severity}) in ${link(`#${channel}`, links.slackLink(s.organisation.slackWorkspaceUrl, channel))}, from Cloud Deploy's \`rollout_update\` log.`,
        ]
      : []),
    `Deploys of the stacks themselves (\`pulumi up\` on main) are announced in each environment's alerts channel by the deploy workflow, when the repository has the \`SLACK_BOT_TOKEN\` secret.`,
    "",
  ];
}

/** A job's operations: an execution now, and the schedule paused and resumed (delivery/operator-commands.ts). */
function jobOperationsLines(svc: string, env: ResolvedEnvironment): string[] {
  const cron = env.workload.job?.cron;
  return [
    `To run the job now (outside its schedule) and wait for it${cron ? `, or to pause its schedule (${code(cron)} UTC) during an incident and resume it after; a paused schedule stays paused across deploys` : ""}:`,
    "",
    fence(
      "bash",
      [
        `npx msp job run --run ${svc} ${env.envId}`,
        ...(cron
          ? [`npx msp job pause --run ${svc} ${env.envId}`, `npx msp job resume --run ${svc} ${env.envId}`]
          : []),
      ].join("\n"),
    ),
    "",
  ];
}

/** "<env> Logs in BigQuery" (`logging.exportToBigQuery`): the dataset and its tables, linked in the console. */
function logExportSection(env: ResolvedEnvironment): string[] {
  const logs = env.logExport;
  if (!logs) return [];
  const { projectId: p, datasetId: d } = logs;
  return [
    `#### ${env.envId} Logs in BigQuery`,
    "",
    `Cloud Logging routes this environment's logs to the BigQuery dataset ${link(code(d), links.bigQueryLink(p, d))} (sink ${code(logs.sinkName)}), one partitioned table per log (a table appears with its first entry):`,
    "",
    table(
      logs.streams.map(
        (st) => [link(code(st.table), links.bigQueryTableLink(p, d, st.table)), st.holds] as const,
      ),
      ["TABLE", "HOLDS"],
    ),
    "",
    "The tables are partitioned by `timestamp`: a query that bounds it reads only those days.",
    "",
    fence(
      "sql",
      `SELECT timestamp, severity, textPayload, jsonPayload\nFROM \`${p}.${d}.${logs.streams.at(-1)!.table}\`\nWHERE timestamp > TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 1 HOUR)\nORDER BY timestamp DESC`,
    ),
    "",
  ];
}

/** Alerts every environment creates, deduplicated by ID (the same alert in several environments once). */
export function pageAlerts(s: ResolvedService): { alert: ResolvedAlert; envs: string[] }[] {
  const byId = new Map<
    string,
    { id: string; group: ResolvedAlert["group"]; alert: ResolvedAlert; envs: string[] }
  >();
  for (const env of s.environments)
    for (const alert of env.monitoring.alerts) {
      const seen = byId.get(alert.id);
      // As MSP's pages: the last environment's variant of an alert is the one described.
      if (seen) {
        seen.envs.push(env.envId);
        seen.alert = alert;
        seen.group = alert.group;
      } else byId.set(alert.id, { id: alert.id, group: alert.group, alert, envs: [env.envId] });
    }
  return byGroup([...byId.values()], "page").map(({ alert, envs }) => ({ alert, envs }));
}

export function renderServicePage(s: ResolvedService): string {
  const svc = s.id;
  // The name is spec text: escaped once here for every sentence and heading it appears in.
  const name = text(s.name);
  const job = s.kind === "job";
  const envIds = s.environments.map((e) => e.envId);
  const org = s.organisation;
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
    `If you need assistance with MSP infrastructure, reach out to the ${text(org.platformTeam)} team in #${text(org.supportChannel)}.`,
    "",
    "## Service overview",
    "",
    table([
      ["Service ID", `${code(svc)} (${link("specification", s.specUrl)})`],
      ["Description", text(s.description)],
      ["Owners", s.owners.map((o) => `**${text(o)}**`).join(", ")],
      ...(s.notionPageUrl
        ? [["Notion operations page", link(text(s.notionPageUrl), s.notionPageUrl)] as const]
        : []),
      ["Service kind", job ? "Cloud Run job" : "Cloud Run service"],
      ["Environments", envIds.map((e) => link(e, `#${e}`)).join(", ")],
      ["Docker image", code(s.image)],
      ...(s.source
        ? [
            [
              "Source code",
              link(
                `${code(s.source.repo)} - ${code(s.source.dir)}`,
                `https://${s.source.repo}/tree/HEAD/${s.source.dir}`,
              ),
            ] as const,
          ]
        : []),
    ]),
    "",
    ...(s.readme
      ? [
          `<!-- Automatically generated from the service README: services/${svc}/README.md -->`,
          "",
          embeddedMarkdown(s.readme),
          "",
        ]
      : []),
  ];
  const rollout = s.rollout;
  if (rollout) {
    const stages = rollout.stages.map((st) => st.envId);
    out.push(
      "## Rollouts",
      "",
      table([
        [
          "Delivery pipeline",
          link(
            code(rollout.pipelineName),
            links.pipelineLink(rollout.region, rollout.pipelineName, rollout.projectId),
          ),
        ],
        ["Stages", stages.join(" -> ")],
      ]),
      "",
      `Changes to ${name} are continuously delivered to the first stage (${stages[0]}) of the delivery pipeline.`,
      ...(stages.length > 1
        ? [
            "",
            "Promotion of a release to the next stage in the pipeline must be done manually using the GCP Delivery pipeline UI, or with the promote command below.",
          ]
        : []),
      "",
      `A release packs the skaffold source (the Cloud Run image deploy actions) into \`source.tar.gz\`, uploads it to \`gs://${rollout.skaffoldBucket}\` and creates the release with the image tag; service CI runs the same command with the releaser account:`,
      "",
      fence(
        "bash",
        [
          `# Print the commands (source archive, upload, gcloud deploy releases create); --run runs them`,
          `npx msp release create ${svc} --tag <tag>`,
          ...(stages.length > 1
            ? [
                "",
                `# Promote the release from ${stages[0]} to ${stages[1]}`,
                `gcloud deploy releases promote --release=<release> --delivery-pipeline=${rollout.pipelineName} --project=${rollout.projectId} --region=${rollout.region}`,
              ]
            : []),
        ].join("\n"),
      ),
      "",
      ...rolloutNotificationLines(s, rollout),
    );
  }
  if (rollout) out.push(...rollout.stages.flatMap((stage) => canarySection(s, rollout, stage)));
  out.push("## Environments", "");
  for (const env of s.environments) out.push(...environmentSection(s, env));
  out.push(
    "## Incident response",
    "",
    "Start an incident with `/incident` in Slack and select this service under 'Affected services'.",
    `Alerts for each environment go to its \`#${s.slackChannels}\` channel; CRITICAL alerts of production environments page the owners (${s.owners.map(text).join(", ")}).`,
    `For platform-wide problems, tag ${code(org.platformSupportHandle)} in #${text(org.supportChannel)}.`,
    "",
    "## Alert Policies",
    "",
    "The following alert policies are defined for each of this service's environments.",
    "",
  );
  for (const { alert, envs } of pageAlerts(s)) {
    out.push(
      `#### ${text(alert.name)}`,
      "",
      quotedProse(alert.description),
      "",
      `Severity: ${alert.severity}`,
    );
    if (envs.length !== envIds.length) out.push("", `Environments: ${envs.join(", ")}`);
    out.push("");
  }
  return out.join("\n");
}

export function renderIndexPage(services: readonly ResolvedService[]): string {
  const rows = services.map((s) => [
    link(text(s.name), `./${s.id}.md`),
    s.kind === "job" ? "job" : "service",
    s.owners.map(text).join(", "),
    s.environments.map((e) => `${e.envId} (${e.category})`).join(", "),
  ]);
  return [
    "# Managed Services infrastructure",
    "",
    "<!-- Generated documentation; DO NOT EDIT. Regenerate using this command: 'npx msp docs --all' -->",
    "",
    `${services.length} services operated on the Managed Services Platform.`,
    "",
    "| Service | Kind | Owners | Environments (category) |",
    "|---|---|---|---|",
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
    "",
  ].join("\n");
}
