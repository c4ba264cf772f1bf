/**
 * The effective value of each optional spec field, defaults included (MSP's defaults, then the category's):
 * the building blocks of resolve/environment.ts, which applies them once per environment. Everything else
 * (program, handbook, CLI) reads the resolved environment instead of calling these.
 */
import type { EnvironmentSpec, PostgresSpec, ServiceSpec } from "../servicespec/schema";
import { categoryDefaults } from "../platform/categories";
import { bigQueryDatasetId, defaultPostgresMemoryGB } from "../platform/naming";
import { maxCronGapMinutes } from "../servicespec/values";
import { DIRECT_VPC_EGRESS_STARTUP_DELAY_SECONDS, MSP_PROBE_FAILURE_THRESHOLD } from "../platform/probes";
import type { AuthenticationMode, ProbeTiming, SpecDomain, SpecScaling } from "./model";

export const DEFAULT_REGION = "us-central1";
export const DEFAULT_DEADLINE_SECONDS = 300;
export const DEFAULT_PROBE_TIMEOUT = 3;
/** Cloud Run's own startup allowance when MSP probes are off. */
export const DEFAULT_STARTUP_SECONDS = 240;

/**
 * The Notion page of `service.notionPageID`. MSP links https://sourcegraph.notion.site/<id>, its own workspace;
 * notion.so resolves a page ID in any workspace.
 */
export function notionPageUrl(spec: ServiceSpec): string | undefined {
  const id = spec.service.notionPageID;
  return id === undefined ? undefined : `https://www.notion.so/${encodeURIComponent(id)}`;
}

export const regionOf = (env: EnvironmentSpec) => env.locations?.gcpRegion ?? DEFAULT_REGION;
export const multiRegionOf = (env: EnvironmentSpec) => (env.locations?.gcpLocation ?? "US").toUpperCase();

export function domainOf(env: EnvironmentSpec): SpecDomain | undefined {
  const d = env.domain;
  if (!d || d.type === "none" || !d.cloudflare) return undefined;
  const { subdomain, zone, proxied } = d.cloudflare;
  return {
    subdomain,
    zone,
    fqdn: `${subdomain}.${zone}`,
    proxied,
    loadBalancerLogging: d.networking?.loadBalancerLogging ?? false,
  };
}

/**
 * Cloud Run reaches the private network (Cloud SQL, Redis) through Direct VPC egress: the environment has one
 * when it has either (MSP creates the network lazily, reference §2.2).
 */
export const usesDirectVpcEgress = (env: EnvironmentSpec) =>
  !!(env.resources?.postgreSQL || env.resources?.redis);

/** The spec states the startup probe's period, and with MSP's threshold of 3 how long startup may take. */
export const startupIntervalExplicit = (env: EnvironmentSpec) =>
  (env.healthProbes ? env.healthProbes.startupInterval : env.startupProbe?.interval) !== undefined;

/**
 * The startup probe's failure threshold: MSP's 3, or, when the environment uses Direct VPC egress and the spec
 * leaves the startup interval to the platform, the smallest threshold whose budget covers the documented
 * egress delay (a threshold, not a longer period, so an instance that is ready is still found within one
 * period). A startup interval the spec sets is kept with MSP's threshold; the pack's
 * gcp-cloudrun-startup-probe-budget policy says when that is shorter than the egress delay.
 */
export function startupFailureThreshold(
  probe: { timeout: number; startupInterval: number },
  directVpcEgress: boolean,
  explicitInterval: boolean,
): number {
  if (!directVpcEgress || explicitInterval) return MSP_PROBE_FAILURE_THRESHOLD;
  const needed = Math.ceil((DIRECT_VPC_EGRESS_STARTUP_DELAY_SECONDS - probe.timeout) / probe.startupInterval);
  return Math.max(MSP_PROBE_FAILURE_THRESHOLD, needed);
}

/** The /-/healthz probes, or undefined when the spec leaves Cloud Run's default startup behaviour. */
export function probesOf(env: EnvironmentSpec): ProbeTiming | undefined {
  // Older specs: startupProbe/livenessProbe (probes on unless startupProbe.disabled).
  if (!env.healthProbes && (env.startupProbe || env.livenessProbe)) {
    if (env.startupProbe?.disabled) return undefined;
    const timeout = env.startupProbe?.timeout ?? env.livenessProbe?.timeout ?? DEFAULT_PROBE_TIMEOUT;
    return withThreshold(env, {
      timeout,
      startupInterval: env.startupProbe?.interval ?? timeout,
      livenessInterval: env.livenessProbe?.interval ?? timeout * 10,
    });
  }
  const p = env.healthProbes;
  if (!p || p.healthzProbes === false) return undefined;
  const timeout = p.timeout ?? DEFAULT_PROBE_TIMEOUT;
  return withThreshold(env, {
    timeout,
    startupInterval: p.startupInterval ?? timeout,
    livenessInterval: p.livenessInterval ?? timeout * 10,
  });
}

const withThreshold = (env: EnvironmentSpec, p: Omit<ProbeTiming, "startupFailureThreshold">) => ({
  ...p,
  startupFailureThreshold: startupFailureThreshold(p, usesDirectVpcEgress(env), startupIntervalExplicit(env)),
});

export function maxStartupLatencySeconds(env: EnvironmentSpec): number {
  const p = probesOf(env);
  return p ? 3 * p.startupInterval : DEFAULT_STARTUP_SECONDS;
}

export const deadlineSecondsOf = (env: EnvironmentSpec) => env.deadlineSeconds ?? DEFAULT_DEADLINE_SECONDS;

export function scalingOf(env: EnvironmentSpec): SpecScaling {
  const s = env.instances.scaling;
  const min = s?.minCount ?? categoryDefaults(env.category).minInstancesByDefault;
  const max = s?.maxCount ?? 5;
  return {
    minCount: Math.min(min, max),
    maxCount: max,
    maxRequestConcurrency: s?.maxRequestConcurrency ?? 1000,
    declared: !!s,
  };
}

export function authenticationOf(env: EnvironmentSpec): AuthenticationMode {
  if (!env.authentication) return "public";
  return env.authentication.sourcegraph ? "sourcegraph" : "restricted";
}

/** Cloud SQL memory: the spec's, else 4 GB or 1 GB per vCPU above 4 (platform/naming.ts). */
export const postgresMemoryGB = (pg: PostgresSpec) => pg.memoryGB ?? defaultPostgresMemoryGB(pg.cpu);

export function postgresHighAvailability(env: EnvironmentSpec): boolean {
  return (
    env.resources?.postgreSQL?.highAvailability ?? categoryDefaults(env.category).highAvailabilityByDefault
  );
}

export function postgresPointInTimeRecovery(env: EnvironmentSpec): boolean {
  return categoryDefaults(env.category).pointInTimeRecovery === "always" || postgresHighAvailability(env);
}

/** STANDARD_HA Redis: the spec's choice, else the category's (see CategoryDefaults.highAvailabilityByDefault). */
export function redisHighAvailability(env: EnvironmentSpec): boolean {
  return env.resources?.redis?.highAvailability ?? categoryDefaults(env.category).highAvailabilityByDefault;
}

export function pagesOwners(env: EnvironmentSpec): boolean {
  return env.alerting?.opsgenie ?? categoryDefaults(env.category).pageOwnersByDefault;
}

/** Image tag Pulumi sets: the pinned manual tag, the followed subscription tag, or the rollout's first tag. */
export function imageTagOf(spec: ServiceSpec, env: EnvironmentSpec): string {
  switch (env.deploy.type) {
    case "manual":
      return env.deploy.manual?.tag ?? "insiders";
    case "subscription":
      return env.deploy.subscription!.tag;
    case "rollout":
      return spec.rollout?.initialImageTag ?? "insiders";
  }
}

export const bigQueryDatasetIdOf = (spec: ServiceSpec, env: EnvironmentSpec) =>
  env.resources?.bigQueryDataset?.datasetID ?? bigQueryDatasetId(spec.service.id);

/** Minutes after which a scheduled job's missing execution alerts (largest cron gap + 10, MSP's rule). */
export function executionAbsenceMinutes(env: EnvironmentSpec): number | undefined {
  if (!env.schedule) return undefined;
  return Math.ceil(maxCronGapMinutes(env.schedule.cron)) + 10;
}

/** The final rollout stage, where the delivery pipeline lives. */
export function finalRolloutStage(spec: ServiceSpec): EnvironmentSpec | undefined {
  const last = spec.rollout?.stages.at(-1);
  return last ? spec.environments.find((e) => e.id === last.environment) : undefined;
}
