/**
 * One workload's container from the contract's tables (platform/container-contract.ts): what the spec puts in it
 * (`env` rendered, `secretEnv`, `secretVolumes`) and the platform's entries present for its contract.
 *
 * Pure functions: the resolver renders what the spec decides; the workload builder adds the values only known
 * once the data resources exist (the Cloud SQL instance, the Redis secrets) through `ContainerContract`.
 */
import type { EnvironmentSpec } from "../servicespec/schema";
import { parseSecretReference, renderTemplate, type TemplateVariable } from "../servicespec/values";
import type { EnvEntry, SecretMount } from "../plans/container";
import {
  PLATFORM_FILES,
  PLATFORM_VARIABLES,
  PRESENCE,
  type ContainerContract,
} from "../platform/container-contract";

export type TemplateVars = Readonly<Record<TemplateVariable, string>>;

/**
 * MSP's `env` templating: `{{ .ProjectID }}` and `{{ .ServiceDnsName }}`; anything else is an error. The parser
 * is the validator's (servicespec/values.ts), so a spec that validates always renders.
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

/** The platform's variables present for this contract, as container entries. */
function platformEntries(c: ContainerContract): EnvEntry[] {
  return PLATFORM_VARIABLES.filter((v) => PRESENCE[v.when].holds(c)).map((v) =>
    "secret" in v ? { name: v.name, secret: v.secret(c) } : { name: v.name, value: v.value(c) },
  );
}

/** Every environment variable of the container, in a stable order: contract first, then the spec's. */
export function containerEnv(spec: SpecContainer, c: ContainerContract): EnvEntry[] {
  return [...platformEntries(c), ...spec.env, ...spec.secretEnv];
}

/** Secret volumes: the spec's, plus the platform's files (the Redis CA certificate under /etc/ssl/custom-certs). */
export function secretMounts(spec: SpecContainer, c: ContainerContract): SecretMount[] {
  return [
    ...spec.secretVolumes,
    ...PLATFORM_FILES.filter((f) => PRESENCE[f.when].holds(c)).map((f) => ({
      volume: f.volume,
      secret: f.secret(c),
      mountDir: f.path.slice(0, f.path.lastIndexOf("/")),
      fileName: f.path.slice(f.path.lastIndexOf("/") + 1),
    })),
  ];
}

/**
 * Secrets of the environment's own project the workload reads (a plain name, or
 * `projects/<the environment's project>/secrets/<name>`), sorted. The platform creates their containers, with
 * no version: the value is the owner's to add (`gcloud secrets versions add`), and Cloud Run fails a revision
 * whose secret has no version (terraform-provider-google #10846), so the first deploy stops before it.
 */
export function ownProjectSecrets(env: EnvironmentSpec): string[] {
  const refs = [
    ...Object.values(env.secretEnv ?? {}),
    ...Object.values(env.secretVolumes ?? {}).map((v) => v.secret),
  ];
  const names = new Set<string>();
  for (const ref of refs) {
    const { project, name } = parseSecretReference(ref);
    if (!project || project === env.projectID) names.add(name);
  }
  return [...names].sort();
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
