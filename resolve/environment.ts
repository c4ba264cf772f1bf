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
import { categoryDefaults } from "../platform/categories";
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
import { stackOutputSecrets } from "./stack-outputs";
import { CONTAINER_PORT, HEALTHZ_PATH } from "../platform/container-contract";
import { crossProjectSecrets, ownProjectSecrets, specContainer } from "./container";
import { POSTGRES_MAJOR_VERSION, sqlIamUserName } from "../plans/postgres-settings";
import { replicationSlotName } from "../plans/postgres-grants-plan";
import { logExportFilter, logStreams } from "../plans/log-export";
import { artifactRegistryImage } from "../platform/image-reference";
import {
  sentryProjectName,
  sentryProjectSlug,
  sentryProjectUrl,
  sentrySlackAlertTags,
} from "../plans/sentry-project-plan";
import type {
  AuthenticationMode,
  ResolvedDomain,
  ResolvedEnvironment,
  ResolvedLogExport,
  ResolvedMonitoring,
  ResolvedRollout,
  ResolvedService,
  ResolvedWorkload,
} from "./model";
import { pagerDutyServices } from "../plans/pagerduty-plan";

/** Subnet range for Cloud Run direct VPC egress, as MSP. */
export const SUBNET_CIDR = "172.16.0.0/12";
/**
 * Who may invoke a service for each authentication mode; `sourcegraph` (MSP's name) is the organisation's
 * staff, every account of its Google Workspace domain (`msp:staffDomain`).
 */
const invokersOf = (mode: AuthenticationMode, settings: PlatformSettings): readonly string[] =>
  mode === "public" ? ["allUsers"] : mode === "sourcegraph" ? [`domain:${settings.staffDomain}`] : [];

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
    ...(spec.build.source ? { sourceRepo: spec.build.source.repo } : {}),
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
  const pagerDuty = pagesOwners && env.alerting?.paging === "pagerduty";
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
    pagingWebhookSecrets:
      pagesOwners && !pagerDuty
        ? Object.fromEntries(spec.service.owners.map((o) => [o, `${settings.pagingWebhookSecretPrefix}${o}`]))
        : {},
    pagerDuty: pagerDuty
      ? {
          tokenSecret: settings.pagerdutyTokenSecret,
          services: pagerDutyServices(
            serviceName,
            env.id,
            spec.service.owners,
            spec.service.description ?? "",
          ),
        }
      : undefined,
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
      memoryGB: fields.postgresMemoryGB(pg),
      tier: pins.postgresTier ?? naming.postgresTier(pg.cpu, fields.postgresMemoryGB(pg)),
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
        ...(pins.connectionProfiles?.[p.name] && { connectionProfileId: pins.connectionProfiles[p.name] }),
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
            slackAlert: settings.sentrySlackIntegration
              ? {
                  integration: settings.sentrySlackIntegration,
                  channel: `#${naming.slackChannel(svc, env.id)}`,
                  tags: sentrySlackAlertTags(svc, env.id),
                }
              : undefined,
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
    ...(spec.build.source ? { source: spec.build.source } : {}),
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
