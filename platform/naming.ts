/**
 * The naming rules of every resource, pure functions that respect GCP's length and character limits
 * (reference §4). Only the resolver (resolve/environment.ts) applies them; components receive the names.
 * Tests cover each limit.
 */
import { createHash } from "node:crypto";

/** What naming reads of a spec: its service's ID and display name (a ServiceSpec is one). */
interface NamedService {
  readonly service: { readonly id: string; readonly name?: string };
}

/** The service's display name: `name`, else its ID. */
export const serviceName = (spec: NamedService) => spec.service.name ?? spec.service.id;
/** An environment's display name (its GCP project's, `<name> - <env>`): the spec's cross-field rules check its length. */
export const displayName = (spec: NamedService, env: { readonly id: string }) =>
  `${serviceName(spec)} - ${env.id}`;
/** GCP's rule for project IDs (https://cloud.google.com/resource-manager/docs/creating-managing-projects). */
export const PROJECT_ID_RULE =
  "GCP project IDs are 6 to 30 lowercase letters, digits and '-', starting with a letter";
/**
 * An environment ID: lowercase letters, digits and '-' inside (`prod`, `prod-eu`). MSP checks nothing, but the ID
 * is part of the project ID, `<service>-<env>-<suffix>`, and of the stack name `<service>-<env>`.
 */
export const ENVIRONMENT_ID = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
/** Why an environment ID can be no other: the message of every check of ENVIRONMENT_ID. */
export const ENVIRONMENT_ID_RULE = `must be lowercase letters, digits and '-' (not at either end), e.g. dev or prod-eu: it is part of the project ID, and ${PROJECT_ID_RULE}`;
/** The Pulumi stack of a service's environment: `<service>-<env>` (`releaseregistry-prod`). */
export const stackNameOf = (serviceId: string, envId: string) => `${serviceId}-${envId}`;
export const stackName = (spec: NamedService, env: { readonly id: string }) =>
  stackNameOf(spec.service.id, env.id);

/** Cloud Run services and jobs: at most 49 characters (revision names append a suffix to reach 63). */
export const CLOUD_RUN_NAME_MAX = 49;
/** Service account IDs: 6 to 30 characters. */
export const SERVICE_ACCOUNT_ID_MAX = 30;
export const SERVICE_ACCOUNT_ID_MIN = 6;
/** Compute resources (address, NEG, backend, URL map, proxy, SSL policy, security policy): 63. */
export const COMPUTE_NAME_MAX = 63;
/** Label values: at most 63 lowercase characters. */
export const LABEL_VALUE_MAX = 63;

/** A short stable hash, for names that must change when their input changes (like MSP's keyed randoms). */
export function shortHash(input: string, length = 8): string {
  return createHash("sha256").update(input).digest("hex").slice(0, length);
}

/** Shortens `name` to `max` characters, keeping it unique with a hash suffix and ending in [a-z0-9]. */
export function fitName(name: string, max: number): string {
  if (name.length <= max) return name;
  const suffix = shortHash(name, 6);
  const head = name.slice(0, max - suffix.length - 1).replace(/-+$/, "");
  return `${head}-${suffix}`;
}

export const cloudRunName = (svc: string, env: string, region: string) =>
  fitName(`${svc}-${env}-${region}`, CLOUD_RUN_NAME_MAX);

function serviceAccountId(base: string, suffix: string): string {
  const room = SERVICE_ACCOUNT_ID_MAX - suffix.length;
  const id = `${base.slice(0, room).replace(/-+$/, "")}${suffix}`;
  return id.length >= SERVICE_ACCOUNT_ID_MIN ? id : `${id}-msp`.slice(0, SERVICE_ACCOUNT_ID_MAX);
}

export const workloadServiceAccountId = (svc: string) => serviceAccountId(svc, "-sa");
export const jobInvokerServiceAccountId = (svc: string) => serviceAccountId(svc, "-job-sa");
/** MSP: operatoraccess-<6 hex>; ours hashes the project so it is stable across runs. */
export const operatorServiceAccountId = (projectId: string) => `operatoraccess-${shortHash(projectId, 6)}`;

export const serviceAccountEmail = (accountId: string, projectId: string) =>
  `${accountId}@${projectId}.iam.gserviceaccount.com`;

export const networkName = (svc: string) => fitName(svc, COMPUTE_NAME_MAX);
/** Subnet name changes with its CIDR, because GCP cannot change a subnet's range in place. */
export const subnetName = (svc: string, cidr: string) =>
  fitName(`${svc}-${shortHash(cidr)}`, COMPUTE_NAME_MAX);
export const peeringRangeName = (svc: string) =>
  fitName(`${svc}-service-networking-connection`, COMPUTE_NAME_MAX);

/** Cloud SQL: postgresql-<4 hex>, stable per project (MSP used a random suffix). */
export const sqlInstanceName = (projectId: string) => `postgresql-${shortHash(projectId, 4)}`;
/**
 * Cloud SQL memory when the spec gives none: 4 GB (MSP's default), or 1 GB per vCPU above 4 vCPUs, Cloud SQL's
 * floor for a custom tier (MSP's 4 GB for 8 vCPUs was refused by Cloud SQL at deploy).
 */
export const defaultPostgresMemoryGB = (cpu: number) => Math.max(4, cpu);
/** Cloud SQL custom machine tier `db-custom-<cpu>-<memory MiB>`, MSP's tier naming. */
export const postgresTier = (cpu: number, memoryGB: number) => `db-custom-${cpu}-${memoryGB * 1024}`;

/** Redis: a BASIC instance is named redis-basic so that moving to STANDARD_HA creates a new one. */
export const redisInstanceName = (highAvailability: boolean) => (highAvailability ? "redis" : "redis-basic");

export const bigQueryDatasetId = (svc: string) => svc.replaceAll("-", "_");

/** Logs in BigQuery (`logging.exportToBigQuery`): the dataset in the environment's project, and its sink. */
export const LOG_EXPORT_DATASET = "logs";
export const LOG_EXPORT_SINK = "logs-to-bigquery";

export const lbNames = (crName: string) => ({
  address: fitName(`${crName}-ip`, COMPUTE_NAME_MAX),
  neg: fitName(crName, COMPUTE_NAME_MAX),
  backend: fitName(crName, COMPUTE_NAME_MAX),
  urlMap: fitName(crName, COMPUTE_NAME_MAX),
  httpsProxy: fitName(`${crName}-https`, COMPUTE_NAME_MAX),
  sslPolicy: fitName(`${crName}-https`, COMPUTE_NAME_MAX),
  certificate: fitName(`${crName}-cert`, COMPUTE_NAME_MAX),
  forwardingRule: fitName(crName, COMPUTE_NAME_MAX),
  redirectUrlMap: fitName(`${crName}-redirect`, COMPUTE_NAME_MAX),
  httpProxy: fitName(`${crName}-http`, COMPUTE_NAME_MAX),
  redirectRule: fitName(`${crName}-http`, COMPUTE_NAME_MAX),
  securityPolicy: fitName(`${crName}-security-policy`, COMPUTE_NAME_MAX),
});

export const slackChannel = (svc: string, env: string) => `alerts-${svc}-${env}`;
export const dashboardTitle = (serviceName: string, env: string) => `MSP Alerts - ${serviceName} (${env})`;
export const deliveryPipelineName = (svc: string, region: string) =>
  fitName(`${svc}-${region}-rollout`, COMPUTE_NAME_MAX);
export const deployTargetName = (env: string, region: string) =>
  fitName(`${env}-${region}`, COMPUTE_NAME_MAX);
export const skaffoldBucketName = (projectId: string) => `${projectId}-cloudrun-skaffold`;

/**
 * A custom alert's ID from its name (`custom_` before it in the alert's ID): lowercase, spaces as `-`, so two
 * names that differ only so give one ID, which the spec rules refuse.
 */
export const customAlertKey = (name: string): string => name.toLowerCase().replaceAll(" ", "-");

/** The characters a label may hold: lowercase, anything but [a-z0-9_-] as `_`. */
export const labelCharacters = (v: string): string => v.toLowerCase().replace(/[^a-z0-9_-]/g, "_");

/** Label values: label characters, at most 63 of them. */
export function labelValue(v: string): string {
  return labelCharacters(v).slice(0, LABEL_VALUE_MAX);
}

/**
 * A label value that must stay unique, such as an alert's ID: label characters, and when longer than 63, its
 * first 54 and a hash of the whole (a cut alone would give two long custom alerts one ID; GCP refuses a label
 * over 63 characters, so the alert policy would fail to deploy).
 */
export function uniqueLabelValue(v: string): string {
  const chars = labelCharacters(v);
  return chars.length <= LABEL_VALUE_MAX ? chars : `${chars.slice(0, LABEL_VALUE_MAX - 9)}_${shortHash(v)}`;
}

/** The labels every labelable MSP resource carries (mspLabels), which policy msp-required-labels requires. */
export const MSP_LABEL_KEYS = ["service", "environment", "category", "msp"] as const;

/** The labels every labelable MSP resource carries. */
export function mspLabels(
  svc: string,
  env: string,
  category: string,
): Record<(typeof MSP_LABEL_KEYS)[number], string> {
  return {
    service: labelValue(svc),
    environment: labelValue(env),
    category: labelValue(category),
    msp: "true",
  };
}

/**
 * The label a stateful resource carries while its environment sets `allowDestroys: true`: the policies
 * (msp-stateful-resources-protected, gcp-sql-deletion-protection, gcp-bigquery-table-deletion-protection)
 * accept the protections allowDestroys lifts on exactly the resources that carry it, so a stack without it
 * still fails them, and the intent shows on the resource in the console and in every export.
 */
export const ALLOW_DESTROYS_LABEL = "msp-allow-destroys";
