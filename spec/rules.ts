/**
 * Rules across the whole spec (MSP's `spec.go`): they need several parts of the file at once, so they run
 * after the schema has accepted every part.
 */
import type { ServiceSpec } from "./schema";
import { displayName } from "./resolve";

export interface RuleIssue {
  path: (string | number)[];
  message: string;
}

const SERVICE_ONLY = ["domain", "healthProbes", "startupProbe", "livenessProbe", "authentication"] as const;
const JOB_ONLY = ["schedule", "deadlineSeconds"] as const;
const MAX_DISPLAY_NAME = 30;

export function crossFieldIssues(spec: ServiceSpec): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const add = (path: (string | number)[], message: string) => issues.push({ path, message });
  const svc = spec.service;
  const envIds = spec.environments.map((e) => e.id);

  spec.environments.forEach((env, i) => {
    const at = (...p: (string | number)[]) => ["environments", i, ...p];
    if (envIds.indexOf(env.id) !== i) add(at("id"), `environment "${env.id}" is defined twice`);

    const dn = displayName(spec, env);
    if (dn.length > MAX_DISPLAY_NAME)
      add(
        at("id"),
        `project display name "${dn}" is ${dn.length} characters; shorten service.name or the environment ID to fit ${MAX_DISPLAY_NAME}`,
      );
    if (!env.projectID.startsWith(`${svc.id}-`))
      add(at("projectID"), `must start with "${svc.id}-" (the service ID)`);
    else if (!env.projectID.includes(`-${env.id}-`))
      add(at("projectID"), `must contain "-${env.id}-" (the environment ID), e.g. ${svc.id}-${env.id}-a1b2`);

    const forbidden = svc.kind === "job" ? SERVICE_ONLY : JOB_ONLY;
    for (const key of forbidden)
      if (env[key] !== undefined)
        add(at(key), `is only allowed for kind: ${svc.kind === "job" ? "service" : "job"}`);
    if (svc.kind === "job") {
      if (env.instances.scaling)
        add(at("instances", "scaling"), "is not allowed for kind: job (a job runs one task)");
      if (env.deploy.type === "rollout") add(at("deploy", "type"), "rollout is not supported for kind: job");
    }

    const stageIndex = spec.rollout?.stages.findIndex((s) => s.environment === env.id) ?? -1;
    if (env.deploy.type === "rollout" && stageIndex < 0)
      add(at("deploy", "type"), `rollout needs environment "${env.id}" listed in rollout.stages`);

    if (env.healthProbes && (env.startupProbe || env.livenessProbe))
      add(
        at(env.startupProbe ? "startupProbe" : "livenessProbe"),
        "is superseded by healthProbes: keep only healthProbes",
      );
    for (const [name, vol] of Object.entries(env.secretVolumes ?? {})) {
      const dup = Object.entries(env.secretVolumes ?? {}).find(
        ([n, v]) => n < name && v.mountPath === vol.mountPath,
      );
      if (dup) add(at("secretVolumes", name, "mountPath"), `is already used by volume "${dup[0]}"`);
    }
    for (const name of Object.keys(env.env ?? {}))
      if (env.secretEnv?.[name] !== undefined)
        add(at("env", name), "is also set in secretEnv: keep one of them");
  });

  const domains = new Map<string, number>();
  spec.environments.forEach((env, i) => {
    const cf =
      env.domain?.type === "cloudflare" || (env.domain?.type === undefined && env.domain?.cloudflare)
        ? env.domain.cloudflare
        : undefined;
    if (!cf) return;
    const fqdn = `${cf.subdomain}.${cf.zone}`;
    const first = domains.get(fqdn);
    if (first !== undefined)
      add(
        ["environments", i, "domain", "cloudflare", "subdomain"],
        `${fqdn} is already used by environment "${spec.environments[first]!.id}"`,
      );
    else domains.set(fqdn, i);
  });

  if (spec.rollout) {
    const seen = new Set<string>();
    spec.rollout.stages.forEach((stage, i) => {
      const at = ["rollout", "stages", i, "environment"];
      const env = spec.environments.find((e) => e.id === stage.environment);
      if (!env)
        add(at, `"${stage.environment}" is not an environment of this service (${envIds.join(", ")})`);
      else if (env.deploy.type !== "rollout")
        add(at, `environment "${env.id}" must use deploy.type: rollout to be a stage`);
      if (seen.has(stage.environment)) add(at, `"${stage.environment}" is listed more than once`);
      seen.add(stage.environment);
    });
  }

  const alerts = spec.monitoring.alerts;
  const ratioIds = new Set<string>();
  alerts?.responseCodeRatios?.forEach((r, i) => {
    if (ratioIds.has(r.id))
      add(
        ["monitoring", "alerts", "responseCodeRatios", i, "id"],
        `"${r.id}" is used twice; ids must be unique`,
      );
    ratioIds.add(r.id);
  });
  const customIds = new Set<string>();
  alerts?.customAlerts?.forEach((a, i) => {
    const id = a.name.toLowerCase().replaceAll(" ", "-");
    if (customIds.has(id))
      add(
        ["monitoring", "alerts", "customAlerts", i, "name"],
        `gives the alert ID "${id}" twice; names must be unique`,
      );
    customIds.add(id);
  });
  if (svc.kind === "job" && alerts?.responseCodeRatios?.length)
    add(
      ["monitoring", "alerts", "responseCodeRatios"],
      "is only allowed for kind: service (jobs serve no requests)",
    );

  return issues;
}
