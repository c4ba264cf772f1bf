/**
 * One environment's container contract: the tables of platform/container-contract.ts applied to a resolved environment,
 * with the values the plan knows (names, IDs, the spec's `env`) and, for every secret the workload reads, where
 * it lives, who sets it and the command to add a version. The handbook pages and `msp contract` render this; the
 * stack program builds the container from the same tables (test/resolve/contract.test.ts compares the two).
 */
import type { ResolvedEnvironment } from "./model";
import {
  CLOUD_RUN_VARIABLES,
  CONTAINER_PORT,
  HEALTHZ_HEADER,
  HEALTHZ_PATH,
  PLATFORM_FILES,
  PLATFORM_VARIABLES,
  PRESENCE,
  type ContainerContract,
} from "../platform/container-contract";
import { parseSecretReference } from "../servicespec/values";
import {
  DIAGNOSTICS_SECRET_ID,
  REDIS_CA_SECRET_ID,
  REDIS_ENDPOINT_SECRET_ID,
  SENTRY_DSN_SECRET,
} from "../plans/platform-secrets";
import { shellQuote } from "./shell";

/** A Secret Manager secret, always read at its latest version. */
export interface SecretLocation {
  readonly name: string;
  readonly project: string;
}

export interface ContractVariable {
  readonly name: string;
  /** Who sets it: the platform, Cloud Run itself, or the spec (`env`, `secretEnv`). */
  readonly setBy: "platform" | "Cloud Run" | "spec";
  /** The value, where the plan knows it. */
  readonly value?: string;
  /** The secret Cloud Run reads the value from at start-up. */
  readonly secret?: SecretLocation;
  readonly meaning?: string;
}

export interface ContractFile {
  readonly path: string;
  readonly setBy: "platform" | "spec";
  readonly secret: SecretLocation;
  readonly meaning?: string;
}

export interface ContractSecret extends SecretLocation {
  /** The platform creates the secret and writes every version; the owner's: someone must add a version. */
  readonly setBy: "platform" | "owner";
  /** What reads it: `env NAME` or `file /path`. */
  readonly usedBy: readonly string[];
  /** For the owner's secrets: the command that adds a version (the value read from standard input). */
  readonly command?: string;
}

export interface EnvironmentContract {
  readonly stack: string;
  readonly kind: "service" | "job";
  /** The Cloud Run service or job. */
  readonly cloudRunName: string;
  /** Services only: where Cloud Run sends requests (and sets `PORT`). */
  readonly port?: { readonly number: number; readonly protocol: "http1" | "h2c" };
  /** Services with `healthProbes`: MSP's authenticated probes; otherwise Cloud Run's default TCP startup probe. */
  readonly probes?: {
    readonly path: string;
    readonly header: string;
    readonly timeoutSeconds: number;
    readonly startupIntervalSeconds: number;
    readonly livenessIntervalSeconds: number;
  };
  readonly variables: readonly ContractVariable[];
  readonly files: readonly ContractFile[];
  readonly secrets: readonly ContractSecret[];
}

/** `gcloud secrets versions add`, every value shell-quoted: the value comes from standard input, never argv. */
export function secretVersionsAddCommand(s: SecretLocation): string {
  return `gcloud secrets versions add ${shellQuote(s.name)} --project=${shellQuote(s.project)} --data-file=-`;
}

/** The contract's facts for an environment as the plan knows them (secret IDs as the components create them). */
export function plannedContainerContract(env: ResolvedEnvironment): ContainerContract {
  const job = env.workload.job;
  return {
    projectId: env.project.id,
    envId: env.envId,
    dnsName: env.domain?.fqdn,
    diagnosticsSecret: DIAGNOSTICS_SECRET_ID,
    postgres: env.postgres && { instance: env.postgres.connectionName, user: env.identities.workloadSqlUser },
    redis: env.redis && { endpointSecret: REDIS_ENDPOINT_SECRET_ID, caSecret: REDIS_CA_SECRET_ID },
    bigQuery: env.bigQuery && { projectId: env.bigQuery.projectId, datasetId: env.bigQuery.datasetId },
    job: job && { cron: job.cron, deadlineSeconds: job.deadlineSeconds },
    sentryDsnSecret: env.sentry ? SENTRY_DSN_SECRET : undefined,
  };
}

export function environmentContract(env: ResolvedEnvironment): EnvironmentContract {
  const c = plannedContainerContract(env);
  const w = env.workload;
  const own = (name: string): SecretLocation => ({ name, project: env.project.id });
  const specSecret = (ref: string): SecretLocation => {
    const { project, name } = parseSecretReference(ref);
    return { name, project: project ?? env.project.id };
  };
  // Values here are strings: plannedContainerContract gives no Outputs.
  const str = (v: unknown) => v as string;

  const variables: ContractVariable[] = [
    ...PLATFORM_VARIABLES.filter((v) => PRESENCE[v.when].holds(c)).map((v): ContractVariable =>
      "secret" in v
        ? { name: v.name, setBy: "platform", secret: own(str(v.secret(c))), meaning: v.meaning }
        : { name: v.name, setBy: "platform", value: str(v.value(c)), meaning: v.meaning },
    ),
    ...w.container.env.map((e): ContractVariable => ({ name: e.name, setBy: "spec", value: e.value })),
    ...w.container.secretEnv.map((e): ContractVariable => ({
      name: e.name,
      setBy: "spec",
      secret: specSecret(e.secret),
    })),
    ...CLOUD_RUN_VARIABLES.filter((v) => PRESENCE[v.when].holds(c)).map((v): ContractVariable => ({
      name: v.name,
      setBy: "Cloud Run",
      value: v.known?.({ name: w.cloudRunName }),
      meaning: v.meaning,
    })),
  ];
  const files: ContractFile[] = [
    ...w.container.secretVolumes.map((m): ContractFile => ({
      path: `${m.mountDir}/${m.fileName}`,
      setBy: "spec",
      secret: specSecret(str(m.secret)),
    })),
    ...PLATFORM_FILES.filter((f) => PRESENCE[f.when].holds(c)).map((f): ContractFile => ({
      path: f.path,
      setBy: "platform",
      secret: own(str(f.secret(c))),
      meaning: f.meaning,
    })),
  ];

  // Every secret once, with everything that reads it: the platform's in the table's order, then the owner's.
  const secrets = new Map<
    string,
    { loc: SecretLocation; setBy: ContractSecret["setBy"]; usedBy: string[] }
  >();
  const use = (loc: SecretLocation, setBy: ContractSecret["setBy"], by: string) => {
    const key = `${loc.project}/${loc.name}`;
    const seen = secrets.get(key) ?? { loc, setBy, usedBy: [] };
    seen.usedBy.push(by);
    secrets.set(key, seen);
  };
  for (const v of variables)
    if (v.secret) use(v.secret, v.setBy === "platform" ? "platform" : "owner", `env ${v.name}`);
  for (const f of files) use(f.secret, f.setBy === "platform" ? "platform" : "owner", `file ${f.path}`);
  const all = [...secrets.values()];
  const key = (s: { loc: SecretLocation }) => `${s.loc.project}/${s.loc.name}`;
  const ordered = [
    ...all.filter((s) => s.setBy === "platform"),
    ...all.filter((s) => s.setBy === "owner").sort((a, b) => key(a).localeCompare(key(b))),
  ];

  const probes = w.service?.probes;
  return {
    stack: env.stack,
    kind: w.kind,
    cloudRunName: w.cloudRunName,
    port: w.service && { number: w.service.port, protocol: w.service.h2c ? "h2c" : "http1" },
    probes: probes && {
      path: probes.path,
      header: HEALTHZ_HEADER,
      timeoutSeconds: probes.timeout,
      startupIntervalSeconds: probes.startupInterval,
      livenessIntervalSeconds: probes.livenessInterval,
    },
    variables,
    files,
    secrets: ordered.map((s): ContractSecret => ({
      ...s.loc,
      setBy: s.setBy,
      usedBy: s.usedBy,
      ...(s.setBy === "owner" ? { command: secretVersionsAddCommand(s.loc) } : {}),
    })),
  };
}

/** The platform-wide contract, as the README shows it: one row per entry, with when it is present. */
export interface ContractRow {
  readonly name: string;
  readonly kind: "port" | "probe" | "variable" | "file";
  readonly when: string;
  readonly setBy: "platform" | "Cloud Run";
  readonly source: string;
  readonly meaning: string;
}

export function contractRows(): ContractRow[] {
  return [
    {
      name: String(CONTAINER_PORT),
      kind: "port",
      when: PRESENCE.service.label,
      setBy: "platform",
      source: "Cloud Run sends requests here (HTTP/1, or h2c with `protocol: h2c`)",
      meaning: "listen on `:$PORT`",
    },
    {
      name: `GET ${HEALTHZ_PATH}`,
      kind: "probe",
      when: "services with `healthProbes`",
      setBy: "platform",
      source: `startup and liveness probes with \`${HEALTHZ_HEADER}\` (the uptime check too)`,
      meaning: "answer 200 once ready; check the token",
    },
    ...PLATFORM_VARIABLES.map((v): ContractRow => ({
      name: v.name,
      kind: "variable",
      when: PRESENCE[v.when].label,
      setBy: "platform",
      source: "secret" in v ? "secret in the environment's project" : "value",
      meaning: v.meaning,
    })),
    ...CLOUD_RUN_VARIABLES.map((v): ContractRow => ({
      name: v.name,
      kind: "variable",
      when: PRESENCE[v.when].label,
      setBy: "Cloud Run",
      source: "value",
      meaning: v.meaning,
    })),
    ...PLATFORM_FILES.map((f): ContractRow => ({
      name: f.path,
      kind: "file",
      when: PRESENCE[f.when].label,
      setBy: "platform",
      source: "secret in the environment's project, read-only (0444)",
      meaning: f.meaning,
    })),
  ];
}
