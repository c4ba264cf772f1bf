/**
 * The resolved environment: every default and derived value of one service environment, computed once from
 * its spec, the category table (platform/categories.ts) and the platform settings (platform/settings.ts).
 *
 * This is the one place those decisions are made. The stack program (program/builders/*) maps these values to
 * component arguments, the handbook renders them, the CLI and delivery read them; none of them re-derives a
 * default. To find where a value is decided, find its field here.
 */
import type { LoadedService } from "../servicespec/loader";
import type { EnvironmentSpec, ServiceSpec } from "../servicespec/schema";
import type { Category } from "../platform/categories";
import { categoryDefaults, type CategoryDefaults } from "../platform/categories";
import type { PlatformSettings } from "../platform/settings";
import * as fields from "./fields";
import * as naming from "../platform/naming";
import {
  alertCatalogue,
  alertDescriptionSuffix,
  resolveAlert,
  uptimeTimeoutSeconds,
  PRECONDITION_METRIC,
} from "./alerts";
import type { ResolvedAlert } from "./alerts";
import { stackOutputSecrets, type StackOutputSecret } from "./stack-outputs";
import { CONTAINER_PORT, HEALTHZ_PATH } from "../platform/container-contract";
import { crossProjectSecrets, ownProjectSecrets, specContainer, type SpecContainer } from "./container";
import { POSTGRES_MAJOR_VERSION, sqlIamUserName } from "../plans/postgres-settings";
import { replicationSlotName, type Publication } from "../plans/postgres-grants-plan";
import { logExportFilter, logStreams, type LogStream } from "../plans/log-export";
import { artifactRegistryImage, type ArtifactRegistryImage } from "../platform/image-reference";
import { sentryProjectName, sentryProjectSlug, sentryProjectUrl } from "../plans/sentry-project-plan";

/** Subnet range for Cloud Run direct VPC egress, as MSP. */
export const SUBNET_CIDR = "172.16.0.0/12";
/**
 * Who may invoke a service for each authentication mode; `sourcegraph` (MSP's name) is the organisation's
 * staff, every account of its Google Workspace domain (`msp:staffDomain`).
 */
const invokersOf = (mode: fields.AuthenticationMode, settings: PlatformSettings): readonly string[] =>
  mode === "public" ? ["allUsers"] : mode === "sourcegraph" ? [`domain:${settings.staffDomain}`] : [];

export interface ResolvedProject {
  /** `<svc>-<env>-<suffix>`, from the spec; it can never change after creation. */
  readonly id: string;
  /** `<name> - <env>`. */
  readonly displayName: string;
  /** The platform's folder for the category. */
  readonly folderId: string;
  readonly billingAccount: string;
  /** The MSP labels, plus collect-security-audit-logs where the category asks for it. */
  readonly labels: Readonly<Record<string, string>>;
  /** `service.iam.services`: APIs enabled on top of the platform's. */
  readonly extraApis: readonly string[];
}

export interface ResolvedIdentities {
  readonly workloadAccountId: string;
  readonly workloadEmail: string;
  /** The workload's Cloud SQL IAM user. */
  readonly workloadSqlUser: string;
  readonly operatorAccountId: string;
  readonly operatorEmail: string;
  readonly operatorSqlUser: string;
  /** `service.iam.roles` and `service.iam.permissions`. */
  readonly extraRoles: readonly string[];
  readonly permissions: readonly string[];
  /** Secrets in other projects the workload reads (accessor grants there). */
  readonly crossProjectSecrets: readonly { project: string; name: string }[];
}

export interface ResolvedNetwork {
  readonly networkName: string;
  readonly subnetName: string;
  readonly subnetCidr: string;
  readonly peeringRangeName: string;
}

export interface ResolvedPostgres {
  readonly instanceName: string;
  /** `project:region:instance`. */
  readonly connectionName: string;
  readonly databases: readonly string[];
  readonly cpu: number;
  readonly memoryGB: number;
  /** `db-custom-<cpu>-<memory MiB>`. */
  readonly tier: string;
  readonly maxConnections?: number;
  /** REGIONAL with a standby: the spec's value, else the category's. */
  readonly highAvailability: boolean;
  readonly pointInTimeRecovery: boolean;
  readonly retainedBackups: number;
  readonly transactionLogRetentionDays: number;
  readonly logicalDecoding: boolean;
  /** PostgreSQL major version of the instance. */
  readonly majorVersion: number;
  /**
   * The instance has a public address that only IAM-authorized Cloud SQL connectors can use
   * (connectorEnforcement REQUIRED, client certificates, no authorized network): operators connect from a
   * laptop with `msp pg connect`, and the deployment makes the grants, without a VPN or a private IP.
   */
  readonly connectorOnlyPublicAddress: boolean;
  /** Logical replication publications (with their slots and the msp-replicationuser role). */
  readonly publications: readonly Publication[];
  /**
   * Database users given the break-glass write role (data changes, no DDL). None: break-glass writes go
   * through the workload account (`msp pg connect --write-access`, which needs the write access request).
   */
  readonly breakGlassWriters: readonly string[];
}

export interface ResolvedSentry {
  readonly organization: string;
  readonly team: string;
  /** `<service>-<env>`. */
  readonly slug: string;
  /** `<service name> - <env>`. */
  readonly name: string;
  /** The project's page. */
  readonly url: string;
  /** Secret (in the shared secrets project) holding the Sentry API token. */
  readonly tokenSecret: string;
}

export interface ResolvedRedis {
  readonly name: string;
  readonly tier: "BASIC" | "STANDARD_HA";
  /** The spec's value, else the category's. */
  readonly highAvailability: boolean;
  readonly memoryGB: number;
}

export interface ResolvedBigQuery {
  readonly projectId: string;
  /** The dataset lives in the environment's own project (not `bigQueryDataset.projectID` elsewhere). */
  readonly inEnvironmentProject: boolean;
  readonly datasetId: string;
  /** Multi-region, US or EUROPE. */
  readonly location: string;
  /** Table name to schema JSON, in spec order. */
  readonly tables: Readonly<Record<string, string>>;
}

/** Logs in BigQuery (extension `logging.exportToBigQuery`): one sink to a dataset of the environment's project. */
export interface ResolvedLogExport {
  readonly projectId: string;
  readonly datasetId: string;
  /** Multi-region, US or EUROPE. */
  readonly location: string;
  /** The sink's name in the project. */
  readonly sinkName: string;
  /** The sink's filter: every stream's entries. */
  readonly filter: string;
  /** What is exported, each with its table. */
  readonly streams: readonly LogStream[];
}

export interface ResolvedProbes {
  readonly path: string;
  readonly timeout: number;
  readonly startupInterval: number;
  readonly livenessInterval: number;
  /** MSP's 3, or enough failures to outlast Direct VPC egress's startup delay (fields.startupFailureThreshold). */
  readonly startupFailureThreshold: number;
}

export interface ResolvedScaling {
  readonly minCount: number;
  readonly maxCount: number;
  readonly maxRequestConcurrency: number;
}

export interface ResolvedWorkload {
  readonly kind: "service" | "job";
  /** `<svc>-<env>-<region>`, at most 49 characters. */
  readonly cloudRunName: string;
  readonly containerName: string;
  /** `<repository>:<tag>`: the image Pulumi sets (a rollout sets later ones itself). */
  readonly image: string;
  readonly imageRepository: string;
  readonly imageTag: string;
  /** Cloud Deploy sets the image: Pulumi ignores it after creation. */
  readonly imageManagedByRollout: boolean;
  /**
   * Subscription deploys run the digest the tag points to when the deploy runs (`<repository>@sha256:...`,
   * read from Artifact Registry), so a deploy pins what it tested and a moved tag is a visible change.
   */
  readonly pinDigest?: ArtifactRegistryImage & { readonly tag: string };
  readonly cpu: number;
  readonly memory: string;
  readonly generation?: 1 | 2;
  readonly container: SpecContainer;
  /** Secrets of the environment's own project the workload reads: the platform creates their containers. */
  readonly ownSecrets: readonly string[];
  readonly service?: {
    /** The port Cloud Run sends requests to (the container contract's). */
    readonly port: number;
    readonly scaling: ResolvedScaling;
    readonly h2c: boolean;
    /** Ingress INTERNAL_LOAD_BALANCER (always, as in MSP): the load balancer and callers inside Google Cloud. */
    readonly internalLoadBalancerOnly: boolean;
    readonly probes?: ResolvedProbes;
    readonly authentication: fields.AuthenticationMode;
    /** Members granted roles/run.invoker. */
    readonly invokers: readonly string[];
  };
  readonly job?: {
    readonly deadlineSeconds: number;
    readonly cron?: string;
    readonly invokerAccountId: string;
  };
}

export interface ResolvedDomain extends fields.ResolvedDomain {
  readonly url: string;
  /** Cloud Armor admits only Cloudflare's edge (proxied domains of categories that ask for it). */
  readonly cloudArmor: boolean;
  readonly loadBalancerNames: ReturnType<typeof naming.lbNames>;
  /** Where the Cloudflare origin certificate and key are kept. */
  readonly originCertificate: { project: string; certificateSecret: string; keySecret: string };
}

export interface ResolvedMonitoring {
  /** Every alert policy, in dashboard order. */
  readonly alerts: readonly ResolvedAlert[];
  readonly dashboardTitle: string;
  /** Dashboard sections: alert IDs per group, in dashboard order. */
  readonly dashboardGroups: readonly { title: string; alertIds: readonly string[] }[];
  readonly handbookUrl: string;
  readonly slackChannel: string;
  readonly sharedSlackChannel: string;
  /** Secret (in the shared secrets project) holding the Slack bot token. */
  readonly slackTokenSecret: string;
  /** CRITICAL alerts page the owners. */
  readonly pagesOwners: boolean;
  /** Owner team to the secret holding its paging webhook; empty when nobody is paged. */
  readonly pagingWebhookSecrets: Readonly<Record<string, string>>;
  /** The external uptime check, when the service has a public domain. */
  readonly uptime?: {
    readonly host: string;
    readonly path: string;
    readonly timeoutSeconds: number;
    /** Sends the diagnostics bearer token (the path is /-/healthz). */
    readonly authenticated: boolean;
  };
  /** The log-based metric counting Cloud Run precondition failures (services). */
  readonly preconditionMetric?: {
    readonly name: string;
    readonly filter: string;
    readonly labelExtractors: Readonly<Record<string, string>>;
  };
}

export interface ResolvedRolloutStage {
  readonly envId: string;
  readonly projectId: string;
  readonly cloudRunName: string;
  readonly targetName: string;
  /** The stage's workload account, which deploys act as. */
  readonly workloadEmail: string;
  /** Canary phases (extension `rollout.stages[].canary.percentages`): percent of requests per phase. */
  readonly canaryPercentages?: readonly number[];
}

export interface ResolvedRollout {
  readonly pipelineName: string;
  /** Project and region of the final stage, where the pipeline lives. */
  readonly projectId: string;
  readonly region: string;
  readonly stages: readonly ResolvedRolloutStage[];
  readonly suspended: boolean;
  readonly extraReleaser?: string;
  readonly sourceRepo: string;
  readonly imageRepository: string;
  readonly skaffoldBucket: string;
  /** Secret (in the shared secrets project) holding the notification relay URL. */
  readonly notificationSecret: string;
}

export interface ResolvedEnvironment {
  /** `<service>-<env>`: the Pulumi stack. */
  readonly stack: string;
  readonly serviceId: string;
  readonly serviceName: string;
  readonly envId: string;
  readonly category: Category;
  /** The category table's row for this environment. */
  readonly categoryDefaults: CategoryDefaults;
  /** Policy pack configuration for previews and deploys. */
  readonly policyConfig: string;
  readonly deployType: EnvironmentSpec["deploy"]["type"];
  readonly region: string;
  /** Stateful resources may be deleted (spec `allowDestroys`): no deletion protection, no `protect`. */
  readonly allowDestroys: boolean;
  readonly project: ResolvedProject;
  /** Labels of every labelable resource. */
  readonly labels: Readonly<Record<string, string>>;
  readonly identities: ResolvedIdentities;
  /** Project holding the platform's credentials, read at deploy time. */
  readonly sharedSecretsProject: string;
  readonly network?: ResolvedNetwork;
  readonly postgres?: ResolvedPostgres;
  readonly redis?: ResolvedRedis;
  readonly bigQuery?: ResolvedBigQuery;
  /** Logs routed to BigQuery, when the spec asks for it. */
  readonly logExport?: ResolvedLogExport;
  readonly workload: ResolvedWorkload;
  readonly domain?: ResolvedDomain;
  readonly monitoring: ResolvedMonitoring;
  /** The Sentry project, when the platform has a Sentry organization (`msp:sentryOrganization`). */
  readonly sentry?: ResolvedSentry;
  /** Where this environment sits in the rollout, if it is a stage of one. */
  readonly rolloutStage?: {
    readonly index: number;
    readonly stages: readonly string[];
    /** This stage's canary phases (percent of requests), when it rolls out in phases. */
    readonly canaryPercentages?: readonly number[];
  };
  /** The delivery pipeline, created in the final stage's environment only. */
  readonly rollout?: ResolvedRollout;
  /** MSP's stack outputs, each kept in a Secret Manager secret of the environment's project. */
  readonly stackOutputSecrets: readonly StackOutputSecret[];
}

export interface ResolvedOrganisation {
  readonly slackWorkspaceUrl: string;
  readonly supportChannel: string;
  readonly platformTeam: string;
  readonly platformSupportHandle: string;
  readonly accessRequestProcess: string;
  readonly folderNames: Readonly<Record<ResolvedEnvironment["category"], string>>;
}

export interface ResolvedService {
  readonly id: string;
  readonly name: string;
  readonly owners: readonly string[];
  /** `service.description`, shown on the handbook page (MSP kept it for Opsgenie only). */
  readonly description: string;
  /** The Notion operations page of `service.notionPageID` (MSP publishes its guide there), when set. */
  readonly notionPageUrl?: string;
  readonly kind: "service" | "job";
  readonly image: string;
  readonly source: { readonly repo: string; readonly dir: string };
  readonly specUrl: string;
  readonly handbookUrl: string;
  /** The organisation's names and places the handbook page refers to (platform settings). */
  readonly organisation: ResolvedOrganisation;
  /** The README beside the spec (its body), shown on the handbook page. */
  readonly readme?: string;
  /** The environments' Slack channels, `<env>` standing for the environment ID. */
  readonly slackChannels: string;
  readonly environments: readonly ResolvedEnvironment[];
  /** The rollout pipeline of the service (the same object as its final stage's `rollout`). */
  readonly rollout?: ResolvedRollout;
}

/** The handbook page of a service, linked from its alerts and dashboards. */
const handbookPage = (settings: PlatformSettings, svc: string) => `${settings.handbookUrl}/${svc}.md`;

function resolveRollout(spec: ServiceSpec, settings: PlatformSettings): ResolvedRollout | undefined {
  const final = fields.finalRolloutStage(spec);
  if (!spec.rollout || !final) return undefined;
  const svc = spec.service.id;
  const region = fields.regionOf(final);
  return {
    pipelineName: naming.deliveryPipelineName(svc, region),
    projectId: final.projectID,
    region,
    stages: spec.rollout.stages.map((s) => {
      const stage = spec.environments.find((e) => e.id === s.environment)!;
      return {
        envId: stage.id,
        projectId: stage.projectID,
        cloudRunName: naming.cloudRunName(svc, stage.id, fields.regionOf(stage)),
        targetName: naming.deployTargetName(stage.id, region),
        workloadEmail: naming.serviceAccountEmail(naming.workloadServiceAccountId(svc), stage.projectID),
        ...(s.canary ? { canaryPercentages: s.canary.percentages } : {}),
      };
    }),
    suspended: spec.rollout.suspended,
    extraReleaser: spec.rollout.serviceAccount,
    sourceRepo: spec.build.source.repo,
    imageRepository: spec.build.image,
    skaffoldBucket: naming.skaffoldBucketName(final.projectID),
    notificationSecret: settings.rolloutNotificationSecret,
  };
}

function resolveLogExport(
  env: EnvironmentSpec,
  kind: ResolvedWorkload["kind"],
  domain: ResolvedDomain | undefined,
): ResolvedLogExport {
  const streams = logStreams({
    projectId: env.projectID,
    kind,
    loadBalancerLogs: domain?.loadBalancerLogging ?? false,
  });
  return {
    projectId: env.projectID,
    datasetId: naming.LOG_EXPORT_DATASET,
    location: fields.multiRegionOf(env),
    sinkName: naming.LOG_EXPORT_SINK,
    filter: logExportFilter(streams),
    streams,
  };
}

/** The registry image whose digest a subscription deploy pins (spec rules refuse other registries). */
function pinnedRegistryImage(
  spec: ServiceSpec,
  env: EnvironmentSpec,
  tag: string,
): ResolvedWorkload["pinDigest"] {
  const registry = env.deploy.type === "subscription" ? artifactRegistryImage(spec.build.image) : undefined;
  return registry && { ...registry, tag };
}

function resolveWorkload(
  spec: ServiceSpec,
  env: EnvironmentSpec,
  settings: PlatformSettings,
  dnsName?: string,
): ResolvedWorkload {
  const svc = spec.service.id;
  const region = fields.regionOf(env);
  const imageTag = fields.imageTagOf(spec, env);
  const base = {
    kind: spec.service.kind,
    cloudRunName: naming.cloudRunName(svc, env.id, region),
    containerName: svc,
    image: `${spec.build.image}:${imageTag}`,
    imageRepository: spec.build.image,
    imageTag,
    imageManagedByRollout: env.deploy.type === "rollout",
    pinDigest: pinnedRegistryImage(spec, env, imageTag),
    cpu: env.instances.resources.cpu,
    memory: env.instances.resources.memory,
    generation: env.instances.resources.cloudRunGeneration,
    container: specContainer(env, { ProjectID: env.projectID, ServiceDnsName: dnsName ?? "" }),
    ownSecrets: ownProjectSecrets(env),
  };
  if (spec.service.kind === "job")
    return {
      ...base,
      job: {
        deadlineSeconds: fields.deadlineSecondsOf(env),
        cron: env.schedule?.cron,
        invokerAccountId: naming.jobInvokerServiceAccountId(svc),
      },
    };
  const { minCount, maxCount, maxRequestConcurrency } = fields.scalingOf(env);
  const probes = fields.probesOf(env);
  const authentication = fields.authenticationOf(env);
  return {
    ...base,
    service: {
      port: CONTAINER_PORT,
      scaling: { minCount, maxCount, maxRequestConcurrency },
      h2c: spec.service.protocol === "h2c",
      // MSP: always INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER, with or without a domain (its cloudrun builder); a
      // service without one is reachable from inside Google Cloud only (its project's VPC, Pub/Sub, Scheduler):
      // https://cloud.google.com/run/docs/securing/ingress#settings
      internalLoadBalancerOnly: true,
      probes: probes && { path: HEALTHZ_PATH, ...probes },
      authentication,
      invokers: invokersOf(authentication, settings),
    },
  };
}

function resolveMonitoring(
  spec: ServiceSpec,
  env: EnvironmentSpec,
  settings: PlatformSettings,
  workload: ResolvedWorkload,
  domain: ResolvedDomain | undefined,
): ResolvedMonitoring {
  const svc = spec.service.id;
  const serviceName = naming.serviceName(spec);
  const handbookUrl = handbookPage(settings, svc);
  const ctx = {
    serviceId: svc,
    serviceName,
    envId: env.id,
    handbookUrl,
    supportChannel: settings.supportChannel,
  };
  const alerts = alertCatalogue(spec, env, workload.cloudRunName).map((a) => resolveAlert(ctx, a));
  const groups: { title: string; alertIds: string[] }[] = [];
  // A log-based alert has no time series to chart.
  for (const a of alerts.filter((x) => x.condition.kind !== "log")) {
    const last = groups.at(-1);
    if (last?.title === a.group) last.alertIds.push(a.id);
    else groups.push({ title: a.group, alertIds: [a.id] });
  }
  const pagesOwners = fields.pagesOwners(env);
  const probes = workload.service?.probes;
  return {
    alerts,
    dashboardTitle: naming.dashboardTitle(serviceName, env.id),
    dashboardGroups: groups,
    handbookUrl,
    slackChannel: naming.slackChannel(svc, env.id),
    sharedSlackChannel: settings.sharedSlackChannel,
    slackTokenSecret: settings.slackTokenSecret,
    pagesOwners,
    pagingWebhookSecrets: pagesOwners
      ? Object.fromEntries(spec.service.owners.map((o) => [o, `${settings.pagingWebhookSecretPrefix}${o}`]))
      : {},
    uptime:
      domain && alerts.some((a) => a.condition.kind === "uptime")
        ? {
            host: domain.fqdn,
            path: probes ? probes.path : "/",
            timeoutSeconds: uptimeTimeoutSeconds(env),
            authenticated: !!probes,
          }
        : undefined,
    preconditionMetric:
      workload.kind === "service"
        ? {
            name: PRECONDITION_METRIC,
            filter: `resource.type = "cloud_run_revision" AND protoPayload.status.code = "9" AND resource.labels.service_name =~ "^${svc}.*"`,
            labelExtractors: { service_name: "EXTRACT(resource.labels.service_name)" },
          }
        : undefined,
  };
}

/** Resolves one environment of a service. `rollout` is the service's pipeline (see resolveService). */
export function resolveEnvironment(
  loaded: LoadedService,
  env: EnvironmentSpec,
  settings: PlatformSettings,
  rollout: ResolvedRollout | undefined = resolveRollout(loaded.spec, settings),
): ResolvedEnvironment {
  const { spec, tableSchemas } = loaded;
  const svc = spec.service.id;
  const category = categoryDefaults(env.category);
  const region = fields.regionOf(env);
  const labels = naming.mspLabels(svc, env.id, env.category);
  // Names kept from MSP's Terraform when the environment was taken over (servicespec/adopted.ts).
  const pins = loaded.adopted?.[env.id] ?? {};
  const workloadAccountId = naming.workloadServiceAccountId(svc);
  const operatorAccountId = pins.operatorAccount ?? naming.operatorServiceAccountId(env.projectID);
  const workloadEmail = naming.serviceAccountEmail(workloadAccountId, env.projectID);
  const operatorEmail = naming.serviceAccountEmail(operatorAccountId, env.projectID);

  const d = spec.service.kind === "job" ? undefined : fields.domainOf(env);
  const domain: ResolvedDomain | undefined = d && {
    ...d,
    url: `https://${d.fqdn}`,
    cloudArmor: d.proxied && category.cloudArmorWhenProxied,
    loadBalancerNames: naming.lbNames(naming.cloudRunName(svc, env.id, region)),
    originCertificate: {
      project: settings.sharedSecretsProject,
      certificateSecret: settings.originCertificateSecret,
      keySecret: settings.originKeySecret,
    },
  };
  const workload = resolveWorkload(spec, env, settings, domain?.fqdn);

  const pg = env.resources?.postgreSQL;
  const redis = env.resources?.redis;
  const bq = env.resources?.bigQueryDataset;
  const instanceName = pins.postgresInstance ?? naming.sqlInstanceName(env.projectID);
  const redisHa = fields.redisHighAvailability(env);
  const stageIndex = spec.rollout?.stages.findIndex((s) => s.environment === env.id) ?? -1;

  return {
    stack: naming.stackName(spec, env),
    serviceId: svc,
    serviceName: naming.serviceName(spec),
    envId: env.id,
    category: env.category,
    categoryDefaults: category,
    policyConfig: category.policyConfig,
    deployType: env.deploy.type,
    region,
    allowDestroys: env.allowDestroys,
    project: {
      id: env.projectID,
      displayName: naming.displayName(spec, env),
      folderId: settings.folders[env.category],
      billingAccount: settings.billingAccount,
      labels: category.securityAuditLogs ? { ...labels, "collect-security-audit-logs": "true" } : labels,
      extraApis: spec.service.iam?.services ?? [],
    },
    labels,
    identities: {
      workloadAccountId,
      workloadEmail,
      workloadSqlUser: sqlIamUserName(workloadEmail),
      operatorAccountId,
      operatorEmail,
      operatorSqlUser: sqlIamUserName(operatorEmail),
      extraRoles: spec.service.iam?.roles ?? [],
      permissions: spec.service.iam?.permissions ?? [],
      crossProjectSecrets: crossProjectSecrets(env),
    },
    sharedSecretsProject: settings.sharedSecretsProject,
    network: fields.usesDirectVpcEgress(env)
      ? {
          networkName: naming.networkName(svc),
          subnetName: pins.subnet ?? naming.subnetName(svc, SUBNET_CIDR),
          subnetCidr: SUBNET_CIDR,
          peeringRangeName: naming.peeringRangeName(svc),
        }
      : undefined,
    postgres: pg && {
      instanceName,
      connectionName: `${env.projectID}:${region}:${instanceName}`,
      databases: pg.databases,
      cpu: pg.cpu,
      memoryGB: pg.memoryGB,
      tier: pins.postgresTier ?? naming.postgresTier(pg.cpu, pg.memoryGB),
      maxConnections: pg.maxConnections,
      highAvailability: fields.postgresHighAvailability(env),
      pointInTimeRecovery: fields.postgresPointInTimeRecovery(env),
      retainedBackups: category.retainedBackups,
      transactionLogRetentionDays: category.transactionLogRetentionDays,
      logicalDecoding: pg.logicalReplication !== undefined,
      majorVersion: POSTGRES_MAJOR_VERSION,
      connectorOnlyPublicAddress: true,
      publications: (pg.logicalReplication?.publications ?? []).map((p) => ({
        ...p,
        slotName: pins.replicationSlots?.[p.name] ?? replicationSlotName(p.name),
      })),
      breakGlassWriters: [],
    },
    redis: redis && {
      name: pins.redisInstance ?? naming.redisInstanceName(redisHa),
      tier: redisHa ? "STANDARD_HA" : "BASIC",
      highAvailability: redisHa,
      memoryGB: pins.redisMemoryGB ?? redis.memoryGB,
    },
    bigQuery: bq && {
      projectId: bq.projectID ?? env.projectID,
      inEnvironmentProject: bq.projectID === undefined,
      datasetId: fields.bigQueryDatasetIdOf(spec, env),
      location: fields.multiRegionOf(env),
      tables: Object.fromEntries(bq.tables.map((t) => [t, tableSchemas[t]!])),
    },
    logExport: env.logging?.exportToBigQuery ? resolveLogExport(env, workload.kind, domain) : undefined,
    workload,
    domain,
    monitoring: resolveMonitoring(spec, env, settings, workload, domain),
    // parsePlatformSettings requires msp:sentryTeam with msp:sentryOrganization.
    sentry:
      settings.sentryOrganization && settings.sentryTeam
        ? {
            organization: settings.sentryOrganization,
            team: settings.sentryTeam,
            slug: sentryProjectSlug(svc, env.id),
            name: sentryProjectName(naming.serviceName(spec), env.id),
            url: sentryProjectUrl(settings.sentryOrganization, sentryProjectSlug(svc, env.id)),
            tokenSecret: settings.sentryTokenSecret,
          }
        : undefined,
    rolloutStage:
      stageIndex >= 0
        ? {
            index: stageIndex,
            stages: spec.rollout!.stages.map((s) => s.environment),
            ...(spec.rollout!.stages[stageIndex]!.canary
              ? { canaryPercentages: spec.rollout!.stages[stageIndex]!.canary.percentages }
              : {}),
          }
        : undefined,
    rollout: rollout && fields.finalRolloutStage(spec)?.id === env.id ? rollout : undefined,
    stackOutputSecrets: stackOutputSecrets({
      serviceId: svc,
      serviceName: naming.serviceName(spec),
      envId: env.id,
      region,
      cloudRunName: workload.cloudRunName,
      imageTag: workload.imageTag,
      owners: spec.service.owners,
      alertDescriptionSuffix: alertDescriptionSuffix(
        handbookPage(settings, svc),
        env.id,
        settings.supportChannel,
      ),
      postgres: pg !== undefined,
      finalRolloutStage: !!rollout && fields.finalRolloutStage(spec)?.id === env.id,
    }),
  };
}

/** Resolves a service and every one of its environments. */
export function resolveService(loaded: LoadedService, settings: PlatformSettings): ResolvedService {
  const { spec } = loaded;
  const rollout = resolveRollout(spec, settings);
  return {
    id: spec.service.id,
    name: naming.serviceName(spec),
    owners: spec.service.owners,
    description: spec.service.description,
    notionPageUrl: fields.notionPageUrl(spec),
    kind: spec.service.kind,
    image: spec.build.image,
    source: spec.build.source,
    specUrl: `${settings.specRepositoryUrl}/${spec.service.id}/service.yaml`,
    readme: loaded.readme,
    handbookUrl: handbookPage(settings, spec.service.id),
    organisation: {
      slackWorkspaceUrl: settings.slackWorkspaceUrl,
      supportChannel: settings.supportChannel,
      platformTeam: settings.platformTeam,
      platformSupportHandle: settings.platformSupportHandle,
      accessRequestProcess: settings.accessRequestProcess,
      folderNames: settings.folderNames,
    },
    slackChannels: naming.slackChannel(spec.service.id, "<env>"),
    environments: spec.environments.map((env) => resolveEnvironment(loaded, env, settings, rollout)),
    rollout,
  };
}
