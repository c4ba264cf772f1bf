/**
 * The container contract (reference §8), written once: what the platform gives every workload's container (the
 * port, the probes, each environment variable and each file, with when it is present) and the names a spec may
 * not set. The stack program builds the Cloud Run container from these tables (`containerEnv`, `secretMounts`),
 * and the README, the handbook pages and `msp contract` render the same tables (resolve/contract.ts gives one
 * environment's view), so what the documentation says is what is deployed.
 *
 * Pure functions: the resolver renders what the spec decides; the workload builder adds the values only known
 * once the data resources exist (the Cloud SQL instance, the Redis secrets) through `ContainerContract`.
 */
import type * as pulumi from "@pulumi/pulumi";

/** The port Cloud Run sends requests to, and sets as `PORT` (MSP's: services listen on `:$PORT`). */
export const CONTAINER_PORT = 9992;
/** MSP's health endpoint: probes and the uptime check call it with the diagnostics bearer token. */
export const HEALTHZ_PATH = "/-/healthz";
/** The header probes send: `Authorization: Bearer <value of DIAGNOSTICS_SECRET>`. */
export const HEALTHZ_HEADER = "Authorization: Bearer $DIAGNOSTICS_SECRET";
export const CUSTOM_CERTS_DIR = "/etc/ssl/custom-certs";
export const REDIS_CA_FILE = "redis-ca-cert.pem";
const SYSTEM_CERTS_DIR = "/etc/ssl/certs";

/** The platform's part of the contract: values the resolver knows, and those the data resources provide. */
export interface ContainerContract {
  projectId: string;
  envId: string;
  dnsName?: string;
  /** Secret Manager secret holding the diagnostics bearer token. */
  diagnosticsSecret: pulumi.Input<string>;
  postgres?: { instance: pulumi.Input<string>; user: pulumi.Input<string> };
  /** Secret Manager secrets holding the Redis endpoint (with AUTH) and its CA certificate. */
  redis?: { endpointSecret: pulumi.Input<string>; caSecret: pulumi.Input<string> };
  bigQuery?: { projectId: string; datasetId: string };
  /** Present for every job (a service has none); `cron` only for a scheduled one. */
  job?: { cron?: string; deadlineSeconds: number };
  /** Secret Manager secret holding the Sentry DSN, when Sentry is on. */
  sentryDsnSecret?: pulumi.Input<string>;
}

/** When an entry of the contract is present. */
export type Presence =
  "always" | "service" | "job" | "domain" | "sentry" | "postgres" | "redis" | "bigquery" | "schedule";

export const PRESENCE: Readonly<
  Record<Presence, { label: string; holds: (c: ContainerContract) => boolean }>
> = {
  always: { label: "always", holds: () => true },
  service: { label: "services", holds: (c) => !c.job },
  job: { label: "jobs", holds: (c) => !!c.job },
  domain: { label: "with a domain", holds: (c) => !!c.dnsName },
  sentry: { label: "with a Sentry organization (msp:sentryOrganization)", holds: (c) => !!c.sentryDsnSecret },
  postgres: { label: "with PostgreSQL", holds: (c) => !!c.postgres },
  redis: { label: "with Redis", holds: (c) => !!c.redis },
  bigquery: { label: "with a BigQuery dataset", holds: (c) => !!c.bigQuery },
  schedule: { label: "jobs with a schedule", holds: (c) => !!c.job?.cron },
};

/** A variable the platform sets: a plain value, or a secret in the environment's project Cloud Run reads. */
export type PlatformVariable = {
  readonly name: string;
  readonly when: Presence;
  /** What it holds, as the README and the handbook say it. */
  readonly meaning: string;
} & (
  | { readonly value: (c: ContainerContract) => pulumi.Input<string> }
  | { readonly secret: (c: ContainerContract) => pulumi.Input<string> }
);

/** Every variable the platform sets, in the order the container gets them (MSP's order). */
export const PLATFORM_VARIABLES: readonly PlatformVariable[] = [
  { name: "MSP", when: "always", meaning: "`true`: running on the platform", value: () => "true" },
  {
    name: "ENVIRONMENT_ID",
    when: "always",
    meaning: "the environment ID (`dev`, `prod`)",
    value: (c) => c.envId,
  },
  {
    name: "GOOGLE_CLOUD_PROJECT",
    when: "always",
    meaning: "the environment's GCP project ID (tracing and metrics export)",
    value: (c) => c.projectId,
  },
  {
    name: "SSL_CERT_DIR",
    when: "always",
    meaning: `\`${SYSTEM_CERTS_DIR}\`, plus \`:${CUSTOM_CERTS_DIR}\` with Redis (its CA certificate)`,
    value: (c) => (c.redis ? `${SYSTEM_CERTS_DIR}:${CUSTOM_CERTS_DIR}` : SYSTEM_CERTS_DIR),
  },
  {
    name: "DIAGNOSTICS_SECRET",
    when: "always",
    meaning: `bearer token ${HEALTHZ_PATH} must check (probes and the uptime check send it)`,
    secret: (c) => c.diagnosticsSecret,
  },
  { name: "EXTERNAL_DNS_NAME", when: "domain", meaning: "the public DNS name", value: (c) => c.dnsName! },
  // The DSN names the Sentry project's key: like every credential, it comes from Secret Manager.
  {
    name: "SENTRY_DSN",
    when: "sentry",
    meaning: "the Sentry project's DSN (environment = the environment ID)",
    secret: (c) => c.sentryDsnSecret!,
  },
  {
    name: "PGINSTANCE",
    when: "postgres",
    meaning: "Cloud SQL connection name `project:region:instance` (connect with the Cloud SQL connector)",
    value: (c) => c.postgres!.instance,
  },
  {
    name: "PGUSER",
    when: "postgres",
    meaning: "the workload's IAM database user (IAM authentication: no password)",
    value: (c) => c.postgres!.user,
  },
  // The endpoint embeds the AUTH string: it reaches the container only through Secret Manager.
  {
    name: "REDIS_ENDPOINT",
    when: "redis",
    meaning: "`rediss://:<auth>@host:port` (TLS with the CA certificate below)",
    secret: (c) => c.redis!.endpointSecret,
  },
  {
    name: "BIGQUERY_PROJECT_ID",
    when: "bigquery",
    meaning: "project of the BigQuery dataset",
    value: (c) => c.bigQuery!.projectId,
  },
  {
    name: "BIGQUERY_DATASET_ID",
    when: "bigquery",
    meaning: "the BigQuery dataset",
    value: (c) => c.bigQuery!.datasetId,
  },
  {
    name: "JOB_EXECUTION_CRON_SCHEDULE",
    when: "schedule",
    meaning: "the job's cron schedule, UTC (Sentry cron check-ins)",
    value: (c) => c.job!.cron!,
  },
  {
    name: "JOB_EXECUTION_DEADLINE",
    when: "schedule",
    meaning: "the task timeout, e.g. `300s` (Sentry cron check-ins)",
    value: (c) => `${c.job!.deadlineSeconds}s`,
  },
];

/** Facts of the workload Cloud Run's own variables show. */
export interface CloudRunFacts {
  /** The Cloud Run service or job name. */
  readonly name: string;
}

/** A variable Cloud Run itself sets: part of the contract, reserved, never set by the platform. */
export interface CloudRunVariable {
  readonly name: string;
  readonly when: "service" | "job";
  readonly meaning: string;
  /** Its value where the plan knows it. */
  readonly known?: (f: CloudRunFacts) => string;
}

/**
 * Cloud Run's container runtime contract: the variables it sets in every container, which cannot be set by a
 * deployment ("The environment variables defined in the container runtime contract are reserved and cannot be
 * set", https://cloud.google.com/run/docs/configuring/services/environment-variables#reserved-names; the lists:
 * https://cloud.google.com/run/docs/container-contract#env-vars for services and jobs).
 */
export const CLOUD_RUN_VARIABLES: readonly CloudRunVariable[] = [
  { name: "PORT", when: "service", meaning: "the port to listen on", known: () => String(CONTAINER_PORT) },
  { name: "K_SERVICE", when: "service", meaning: "the Cloud Run service name", known: (f) => f.name },
  { name: "K_REVISION", when: "service", meaning: "the revision running (`<service>-<n>-<suffix>`)" },
  {
    name: "K_CONFIGURATION",
    when: "service",
    meaning: "the configuration (the service name)",
    known: (f) => f.name,
  },
  { name: "CLOUD_RUN_JOB", when: "job", meaning: "the Cloud Run job name", known: (f) => f.name },
  { name: "CLOUD_RUN_EXECUTION", when: "job", meaning: "the execution running" },
  { name: "CLOUD_RUN_TASK_INDEX", when: "job", meaning: "this task's index", known: () => "0" },
  {
    name: "CLOUD_RUN_TASK_ATTEMPT",
    when: "job",
    meaning: "how many times this task was retried (`0` first)",
  },
  // Components/cloudrun-job.ts runs one task per execution.
  { name: "CLOUD_RUN_TASK_COUNT", when: "job", meaning: "tasks in the execution", known: () => "1" },
];

/** A file the platform mounts (read-only, mode 0444) from a secret in the environment's project. */
export interface PlatformFile {
  readonly volume: string;
  readonly path: string;
  readonly when: Presence;
  readonly meaning: string;
  readonly secret: (c: ContainerContract) => pulumi.Input<string>;
}

export const PLATFORM_FILES: readonly PlatformFile[] = [
  {
    volume: "redis-ca",
    path: `${CUSTOM_CERTS_DIR}/${REDIS_CA_FILE}`,
    when: "redis",
    meaning: "the Memorystore server CA certificate (on `SSL_CERT_DIR`)",
    secret: (c) => c.redis!.caSecret,
  },
];

/** A meaning without its backticks and parenthesised detail, for one-line messages. */
const brief = (meaning: string) => meaning.replace(/ \(.*$/, "").replaceAll("`", "");

/**
 * Variable names `env` and `secretEnv` may not use, with the reason. The platform's: MSP does not refuse them
 * (reference §2.3, §8: its Terraform adds the platform's variables, then the spec's), so the container gets the
 * name twice and the program may read either value. Cloud Run's: it sets them itself and refuses a revision that
 * sets one, which MSP does not check either, so the deploy would fail.
 */
export const RESERVED_VARIABLES: ReadonlyMap<string, string> = new Map([
  ...PLATFORM_VARIABLES.map(
    (v) =>
      [
        v.name,
        `is set by the platform (${PRESENCE[v.when].label}: ${brief(v.meaning)}); MSP would pass it twice, the platform's value and this one, and the program may read either: use another name`,
      ] as const,
  ),
  ...CLOUD_RUN_VARIABLES.map(
    (v) =>
      [
        v.name,
        `is reserved by Cloud Run's container contract (Cloud Run sets it in ${PRESENCE[v.when].label}: ${brief(v.meaning)}) and refuses a revision that sets it; MSP does not check, so the deploy would fail: use another name`,
      ] as const,
  ),
]);
