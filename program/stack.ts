/**
 * The stack program: turns the stack name `<service>-<env>` into its spec and composes the components.
 * `pulumi up` runs it through index.ts; `msp preview` runs the same function in-process.
 */
import * as cloudflare from "@pulumi/cloudflare";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { EnvironmentSpec } from "../spec/schema";
import { loadServices, type LoadedService } from "../spec/loader";
import * as resolve from "../spec/resolve";
import { categoryDefaults } from "../spec/categories";
import {
  parsePlatformSettings,
  PLATFORM_CONFIG_KEYS,
  folderFor,
  handbookPage,
  type PlatformSettings,
} from "../components/platform";
import { cloudRunName, mspLabels, slackChannel } from "../components/naming";
import { GcpProject } from "../components/project";
import { AuditLogging } from "../components/audit-logging";
import { Identities } from "../components/identities";
import { DiagnosticsSecret } from "../components/secret";
import { PrivateNetwork } from "../components/network";
import { PostgresInstance } from "../components/postgres";
import { RedisInstance } from "../components/redis";
import { BigQueryDataset } from "../components/bigquery";
import { CloudRunService, HEALTHZ_PATH } from "../components/cloudrun-service";
import { CloudRunJob } from "../components/cloudrun-job";
import { CloudflareDomain } from "../components/domain";
import { AlertPolicies } from "../components/alerts/alert-policies";
import { alertCatalogue, uptimeTimeoutSeconds } from "../components/alerts/catalogue";
import { RolloutPipeline } from "../components/rollout";
import {
  containerEnv,
  crossProjectSecrets,
  secretMounts,
  type ContainerContract,
} from "../components/container";

export interface StackTarget {
  service: LoadedService;
  env: EnvironmentSpec;
  /** `<service>-<env>` */
  name: string;
}

export function listStacks(services: readonly LoadedService[]): StackTarget[] {
  return services.flatMap((service) =>
    service.spec.environments.map((env) => ({ service, env, name: resolve.stackName(service.spec, env) })),
  );
}

export function findStack(services: readonly LoadedService[], name: string): StackTarget | undefined {
  return listStacks(services).find((s) => s.name === name);
}

/** Reads the `msp:*` Pulumi config (strings, or JSON for objects and lists). */
export function readPlatformSettings(): PlatformSettings {
  const config = new pulumi.Config("msp");
  const values: Record<string, unknown> = {};
  for (const key of PLATFORM_CONFIG_KEYS) {
    const raw = config.get(key);
    if (raw === undefined) continue;
    values[key] = /^\s*[[{]/.test(raw) ? JSON.parse(raw) : raw;
  }
  return parsePlatformSettings(values);
}

/** Creates every resource of the stack; returns the stack outputs. */
export function stackProgram(
  target: StackTarget,
  settings: PlatformSettings,
): Record<string, pulumi.Input<unknown>> {
  const { spec, tableSchemas } = target.service;
  const env = target.env;
  const svc = spec.service;
  const region = resolve.regionOf(env);
  const category = categoryDefaults(env.category);
  const allowDestroys = env.allowDestroys;
  const labels = mspLabels(svc.id, env.id, env.category);
  const crName = cloudRunName(svc.id, env.id, region);
  const domain = resolve.domainOf(env);

  const gcpProvider = new gcp.Provider("gcp", { project: env.projectID, region });
  const cfProvider = new cloudflare.Provider("cloudflare", {});
  const providers = { gcp: gcpProvider, cloudflare: cfProvider };
  const sharedSecret = (secret: string) =>
    pulumi.secret(
      gcp.secretmanager.getSecretVersionOutput(
        { project: settings.sharedSecretsProject, secret },
        { provider: gcpProvider },
      ).secretData,
    );

  const project = new GcpProject(
    "project",
    {
      projectId: env.projectID,
      displayName: resolve.displayName(spec, env),
      folderId: folderFor(settings, env.category),
      billingAccount: settings.billingAccount,
      labels: category.securityAuditLogs ? { ...labels, "collect-security-audit-logs": "true" } : labels,
      extraApis: svc.iam?.services,
      allowDestroys,
    },
    { providers },
  );
  const opts: pulumi.ComponentResourceOptions = { providers, dependsOn: project.services };
  const projectId = project.projectId;
  new AuditLogging("audit-logging", { projectId }, opts);

  const identities = new Identities(
    "iam",
    {
      serviceId: svc.id,
      serviceName: resolve.serviceName(spec),
      projectId,
      projectIdLiteral: env.projectID,
      projectNumber: project.projectNumber,
      extraRoles: svc.iam?.roles,
      permissions: svc.iam?.permissions,
      image: spec.build.image,
      crossProjectSecrets: crossProjectSecrets(env),
      allowDestroys,
    },
    opts,
  );
  const diagnostics = new DiagnosticsSecret("diagnostics", { projectId, labels, allowDestroys }, opts);

  const pg = env.resources?.postgreSQL;
  const redisSpec = env.resources?.redis;
  const bq = env.resources?.bigQueryDataset;
  const network =
    pg || redisSpec
      ? new PrivateNetwork("network", { serviceId: svc.id, projectId, region }, opts)
      : undefined;
  const dependsOn: pulumi.Resource[] = [identities, diagnostics];

  let postgres: PostgresInstance | undefined;
  if (pg && network) {
    postgres = new PostgresInstance(
      "postgres",
      {
        projectId,
        projectIdLiteral: env.projectID,
        region,
        databases: pg.databases,
        cpu: pg.cpu,
        memoryGB: pg.memoryGB,
        maxConnections: pg.maxConnections,
        highAvailability: resolve.postgresHighAvailability(env),
        pointInTimeRecovery: resolve.postgresPointInTimeRecovery(env),
        retainedBackups: category.retainedBackups,
        transactionLogRetentionDays: category.transactionLogRetentionDays,
        logicalDecoding: pg.logicalReplication !== undefined,
        networkId: network.networkId,
        peering: network.peering,
        workloadEmail: identities.workloadEmail,
        operatorEmail: identities.operatorEmail,
        labels,
        allowDestroys,
      },
      opts,
    );
    dependsOn.push(postgres);
  }
  let redis: RedisInstance | undefined;
  if (redisSpec && network) {
    redis = new RedisInstance(
      "redis",
      {
        projectId,
        region,
        memoryGB: redisSpec.memoryGB,
        highAvailability: redisSpec.highAvailability,
        networkId: network.networkId,
        peering: network.peering,
        labels,
        allowDestroys,
      },
      opts,
    );
    dependsOn.push(redis);
  }
  const datasetId = resolve.bigQueryDatasetIdOf(spec, env);
  const bigQueryProject = bq?.projectID ?? env.projectID;
  if (bq) {
    const tables = Object.fromEntries(bq.tables.map((t) => [t, tableSchemas[t]!]));
    dependsOn.push(
      new BigQueryDataset(
        "bigquery",
        {
          projectId: bq.projectID ?? projectId,
          datasetId,
          location: resolve.multiRegionOf(env),
          tables,
          workloadMember: identities.workloadMember,
          labels,
          allowDestroys,
        },
        opts,
      ),
    );
  }

  const contract: ContainerContract = {
    projectId: env.projectID,
    envId: env.id,
    dnsName: domain?.fqdn,
    diagnosticsSecret: diagnostics.secretId,
    postgres: postgres && { instance: postgres.connectionName, user: postgres.workloadUser },
    redis: redis && { endpointSecret: redis.endpointSecretId, caSecret: redis.caSecretId },
    bigQuery: bq && { projectId: bigQueryProject, datasetId },
    job:
      svc.kind === "job"
        ? { cron: env.schedule?.cron, deadlineSeconds: resolve.deadlineSecondsOf(env) }
        : undefined,
  };
  const workload = {
    projectId,
    region,
    name: crName,
    containerName: svc.id,
    image: `${spec.build.image}:${resolve.imageTagOf(spec, env)}`,
    cpu: env.instances.resources.cpu,
    memory: env.instances.resources.memory,
    generation: env.instances.resources.cloudRunGeneration,
    env: containerEnv(env, contract),
    mounts: secretMounts(env, contract),
    serviceAccountEmail: identities.workloadEmail,
    network: network && { network: network.networkId, subnetwork: network.subnetSelfLink },
    labels,
    dependsOn,
  };

  const outputs: Record<string, pulumi.Input<unknown>> = {
    projectId,
    workloadServiceAccount: identities.workloadEmail,
    cloudRunName: crName,
    region,
  };
  const probes = resolve.probesOf(env);
  if (svc.kind === "job") {
    const job = new CloudRunJob(
      "job",
      {
        ...workload,
        serviceId: svc.id,
        deadlineSeconds: resolve.deadlineSecondsOf(env),
        cron: env.schedule?.cron,
      },
      opts,
    );
    outputs.jobName = job.jobName;
  } else {
    const service = new CloudRunService(
      "cloudrun",
      {
        ...workload,
        scaling: resolve.scalingOf(env),
        h2c: svc.protocol === "h2c",
        internalLoadBalancerOnly: domain !== undefined,
        probes,
        diagnosticsToken: diagnostics.token,
        authentication: resolve.authenticationOf(env),
        imageManagedByRollout: env.deploy.type === "rollout",
      },
      opts,
    );
    outputs.serviceUri = service.uri;
    if (domain) {
      const edge = new CloudflareDomain(
        "domain",
        {
          projectId,
          region,
          cloudRunName: service.serviceName,
          baseName: crName,
          subdomain: domain.subdomain,
          zone: domain.zone,
          proxied: domain.proxied,
          restrictToCloudflare: category.cloudArmorWhenProxied,
          loadBalancerLogging: domain.loadBalancerLogging,
          originCertificate: {
            project: settings.sharedSecretsProject,
            certificateSecret: settings.originCertificateSecret,
            keySecret: settings.originKeySecret,
          },
        },
        opts,
      );
      outputs.url = edge.url;
      outputs.loadBalancerIp = edge.ipAddress;
    }
  }

  const alerts = alertCatalogue(spec, env, crName);
  const monitoring = new AlertPolicies(
    "monitoring",
    {
      projectId,
      serviceId: svc.id,
      serviceName: resolve.serviceName(spec),
      envId: env.id,
      alerts,
      slackChannel: slackChannel(svc.id, env.id),
      sharedSlackChannel: settings.sharedSlackChannel,
      slackToken: sharedSecret(settings.slackTokenSecret),
      pagingWebhooks: resolve.pagesOwners(env)
        ? Object.fromEntries(
            svc.owners.map((o) => [o, sharedSecret(`${settings.pagingWebhookSecretPrefix}${o}`)]),
          )
        : {},
      handbookUrl: handbookPage(settings, svc.id),
      uptime:
        domain && alerts.some((a) => a.condition.kind === "uptime")
          ? {
              host: domain.fqdn,
              path: probes ? HEALTHZ_PATH : "/",
              timeoutSeconds: uptimeTimeoutSeconds(env),
              bearerToken: probes ? diagnostics.token : undefined,
            }
          : undefined,
      preconditionMetric: svc.kind === "service",
    },
    opts,
  );

  if (resolve.finalRolloutStage(spec)?.id === env.id) {
    const pipeline = new RolloutPipeline(
      "rollout",
      {
        projectId,
        serviceId: svc.id,
        region,
        image: spec.build.image,
        stages: spec.rollout!.stages.map((s) => {
          const stageEnv = spec.environments.find((e) => e.id === s.environment)!;
          return {
            envId: stageEnv.id,
            projectId: stageEnv.projectID,
            serviceName: cloudRunName(svc.id, stageEnv.id, resolve.regionOf(stageEnv)),
          };
        }),
        suspended: spec.rollout!.suspended,
        extraReleaser: spec.rollout!.serviceAccount,
        sourceRepo: spec.build.source.repo,
        labels,
        notificationEndpoint: sharedSecret(settings.rolloutNotificationSecret),
      },
      opts,
    );
    outputs.deliveryPipeline = pipeline.pipelineName;
  }

  outputs.sqlConnectionName = postgres?.connectionName;
  outputs.redisHost = redis?.host;
  outputs.dashboard = pulumi.interpolate`https://console.cloud.google.com/monitoring/dashboards/builder/${monitoring.dashboardId.apply((id) => id.split("/").pop() ?? id)}?project=${env.projectID}`;
  for (const k of Object.keys(outputs)) if (outputs[k] === undefined) delete outputs[k];
  return outputs;
}

/** Entry point for `pulumi up`: the program of the selected stack. */
export function programForCurrentStack(servicesDir: string): Record<string, pulumi.Input<unknown>> {
  const name = pulumi.getStack();
  const services = loadServices(servicesDir);
  const target = findStack(services, name);
  if (!target)
    throw new Error(
      `stack "${name}" matches no service environment; stacks are ${listStacks(services)
        .map((s) => s.name)
        .join(", ")}`,
    );
  return stackProgram(target, readPlatformSettings());
}
