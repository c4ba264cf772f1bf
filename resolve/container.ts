/**
 * The container's runtime contract (reference §8): the environment variables and secret volumes every MSP
 * workload gets, in a stable order, plus the spec's `env`, `secretEnv` and `secretVolumes`. Pure functions:
 * the resolver renders what the spec decides; the workload builder adds the values only known once the data
 * resources exist (the Cloud SQL instance, the Redis secrets) through `ContainerContract`.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { EnvironmentSpec } from "../spec/schema";
import { parseSecretReference, renderTemplate, type TemplateVariable } from "../spec/values";
import type { EnvEntry, SecretMount } from "../components/container";

export const CUSTOM_CERTS_DIR = "/etc/ssl/custom-certs";
export const REDIS_CA_FILE = "redis-ca-cert.pem";

export type TemplateVars = Readonly<Record<TemplateVariable, string>>;

/**
 * MSP's `env` templating: `{{ .ProjectID }}` and `{{ .ServiceDnsName }}`; anything else is an error. The parser
 * is the validator's (spec/values.ts), so a spec that validates always renders.
 */
export function renderEnvTemplate(value: string, vars: TemplateVars): string {
  return renderTemplate(value, vars);
}

/** What the spec puts in the container, rendered: plain variables, secret variables and secret volumes. */
export interface SpecContainer {
  /** `env`, templates rendered, sorted by name. */
  readonly env: readonly { name: string; value: string }[];
  /** `secretEnv`, sorted by name: secret names or projects/<p>/secrets/<name>. */
  readonly secretEnv: readonly { name: string; secret: string }[];
  /** `secretVolumes`, sorted by volume name. */
  readonly secretVolumes: readonly SecretMount[];
}

export function specContainer(env: EnvironmentSpec, vars: TemplateVars): SpecContainer {
  const sorted = <T>(o: Readonly<Record<string, T>> | undefined) =>
    Object.entries(o ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    env: sorted(env.env).map(([name, value]) => ({ name, value: renderEnvTemplate(value, vars) })),
    secretEnv: sorted(env.secretEnv).map(([name, secret]) => ({ name, secret })),
    secretVolumes: Object.entries(env.secretVolumes ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([volume, v]) => ({
        volume,
        secret: v.secret,
        mountDir: v.mountPath.slice(0, v.mountPath.lastIndexOf("/")),
        fileName: v.mountPath.slice(v.mountPath.lastIndexOf("/") + 1),
      })),
  };
}

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
  job?: { cron?: string; deadlineSeconds: number };
  /** Secret Manager secret holding the Sentry DSN, when Sentry is on. */
  sentryDsnSecret?: pulumi.Input<string>;
}

/** Every environment variable of the container, in a stable order: contract first, then the spec's. */
export function containerEnv(spec: SpecContainer, c: ContainerContract): EnvEntry[] {
  const out: EnvEntry[] = [
    { name: "MSP", value: "true" },
    { name: "ENVIRONMENT_ID", value: c.envId },
    { name: "GOOGLE_CLOUD_PROJECT", value: c.projectId },
    { name: "SSL_CERT_DIR", value: c.redis ? `/etc/ssl/certs:${CUSTOM_CERTS_DIR}` : "/etc/ssl/certs" },
    { name: "DIAGNOSTICS_SECRET", secret: c.diagnosticsSecret },
  ];
  if (c.dnsName) out.push({ name: "EXTERNAL_DNS_NAME", value: c.dnsName });
  // The DSN names the Sentry project's key: like every credential, it comes from Secret Manager.
  if (c.sentryDsnSecret) out.push({ name: "SENTRY_DSN", secret: c.sentryDsnSecret });
  if (c.postgres)
    out.push({ name: "PGINSTANCE", value: c.postgres.instance }, { name: "PGUSER", value: c.postgres.user });
  // The endpoint embeds the AUTH string: it reaches the container only through Secret Manager.
  if (c.redis) out.push({ name: "REDIS_ENDPOINT", secret: c.redis.endpointSecret });
  if (c.bigQuery)
    out.push(
      { name: "BIGQUERY_PROJECT_ID", value: c.bigQuery.projectId },
      { name: "BIGQUERY_DATASET_ID", value: c.bigQuery.datasetId },
    );
  if (c.job?.cron)
    out.push(
      { name: "JOB_EXECUTION_CRON_SCHEDULE", value: c.job.cron },
      { name: "JOB_EXECUTION_DEADLINE", value: `${c.job.deadlineSeconds}s` },
    );
  return [...out, ...spec.env, ...spec.secretEnv];
}

/** Secret volumes: the spec's, plus the Redis CA certificate under /etc/ssl/custom-certs. */
export function secretMounts(spec: SpecContainer, c: ContainerContract): SecretMount[] {
  const mounts: SecretMount[] = [...spec.secretVolumes];
  if (c.redis)
    mounts.push({
      volume: "redis-ca",
      secret: c.redis.caSecret,
      mountDir: CUSTOM_CERTS_DIR,
      fileName: REDIS_CA_FILE,
    });
  return mounts;
}

/** Secrets that live in another project: the workload needs an accessor grant there. */
export function crossProjectSecrets(env: EnvironmentSpec): { project: string; name: string }[] {
  const refs = [
    ...Object.values(env.secretEnv ?? {}),
    ...Object.values(env.secretVolumes ?? {}).map((v) => v.secret),
  ];
  const seen = new Set<string>();
  const out: { project: string; name: string }[] = [];
  for (const ref of refs) {
    const { project, name } = parseSecretReference(ref);
    if (!project || seen.has(ref)) continue;
    seen.add(ref);
    out.push({ project, name });
  }
  return out.sort((a, b) => `${a.project}/${a.name}`.localeCompare(`${b.project}/${b.name}`));
}
