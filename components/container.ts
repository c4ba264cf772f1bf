/**
 * The container both Cloud Run services and jobs run: environment variables (the runtime contract of
 * reference §8 plus the spec's `env`), secrets from Secret Manager (always `secretKeyRef`, never a plain
 * value) and read-only secret volumes. Pure functions; the components only turn the result into inputs.
 */
import * as pulumi from "@pulumi/pulumi";
import type { EnvironmentSpec } from "../spec/schema";
import { parseSecretReference, renderTemplate, type TemplateVariable } from "../spec/values";

export const CONTAINER_PORT = 9992;
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

/** A plain variable, or one whose value Cloud Run reads from Secret Manager at start-up. */
export type EnvEntry =
  { name: string; value: pulumi.Input<string> } | { name: string; secret: pulumi.Input<string> };

export interface SecretMount {
  volume: string;
  /** Secret name, or projects/<p>/secrets/<name>. */
  secret: pulumi.Input<string>;
  mountDir: string;
  fileName: string;
}

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
}

/** Every environment variable of the container, in a stable order: contract first, then the spec's, sorted. */
export function containerEnv(env: EnvironmentSpec, c: ContainerContract): EnvEntry[] {
  const out: EnvEntry[] = [
    { name: "MSP", value: "true" },
    { name: "ENVIRONMENT_ID", value: c.envId },
    { name: "GOOGLE_CLOUD_PROJECT", value: c.projectId },
    { name: "SSL_CERT_DIR", value: c.redis ? `/etc/ssl/certs:${CUSTOM_CERTS_DIR}` : "/etc/ssl/certs" },
    { name: "DIAGNOSTICS_SECRET", secret: c.diagnosticsSecret },
  ];
  if (c.dnsName) out.push({ name: "EXTERNAL_DNS_NAME", value: c.dnsName });
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
  const vars = { ProjectID: c.projectId, ServiceDnsName: c.dnsName ?? "" };
  for (const name of Object.keys(env.env ?? {}).sort())
    out.push({ name, value: renderEnvTemplate(env.env![name]!, vars) });
  for (const name of Object.keys(env.secretEnv ?? {}).sort())
    out.push({ name, secret: env.secretEnv![name]! });
  return out;
}

/** Secret volumes: the spec's, plus the Redis CA certificate under /etc/ssl/custom-certs. */
export function secretMounts(env: EnvironmentSpec, c: ContainerContract): SecretMount[] {
  const mounts: SecretMount[] = Object.entries(env.secretVolumes ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([volume, v]) => ({
      volume,
      secret: v.secret,
      mountDir: v.mountPath.slice(0, v.mountPath.lastIndexOf("/")),
      fileName: v.mountPath.slice(v.mountPath.lastIndexOf("/") + 1),
    }));
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

/** Cloud Run v2 container `envs` input (shared by services and jobs). */
export function toCloudRunEnvs(entries: EnvEntry[]) {
  return entries.map((e) =>
    "secret" in e
      ? { name: e.name, valueSource: { secretKeyRef: { secret: e.secret, version: "latest" } } }
      : { name: e.name, value: e.value },
  );
}

/** Cloud Run v2 `volumes` and container `volumeMounts` inputs (one volume per mounted secret, mode 0444). */
export function toCloudRunVolumes(mounts: SecretMount[]) {
  return {
    volumes: mounts.map((m) => ({
      name: m.volume,
      secret: { secret: m.secret, items: [{ version: "latest", path: m.fileName, mode: 0o444 }] },
    })),
    volumeMounts: mounts.map((m) => ({ name: m.volume, mountPath: m.mountDir })),
  };
}
