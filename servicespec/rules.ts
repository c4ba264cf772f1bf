/**
 * Rules across the whole spec (MSP's `spec.go`): they need several parts of the file at once, so they run
 * after the schema has accepted every part.
 */
import type { ServiceSpec } from "./schema";
import { customAlertKey, displayName, LOG_EXPORT_DATASET } from "../platform/naming";
import { mqlAlertingProblems } from "../platform/mql";
import { clipText, parseEnvTemplate, QUOTE_LIMIT, quote } from "./values";
import { RESERVED_VARIABLES } from "../platform/container-contract";
import { categoryDefaults } from "../platform/categories";
import type { SecurityRule } from "./security-rules";

export interface RuleIssue {
  path: (string | number)[];
  message: string;
  /** Report at the key of `path` (a map key that is wrong), not at its value. */
  key?: boolean;
  /** The rule that found it: a cross-field rule (CROSS_FIELD_RULES) or a security rule (SECURITY_RULES). */
  rule?: CrossFieldRule | SecurityRule;
}

/**
 * Every cross-field rule, by name. Each has an invalid fixture under test/fixtures/invalid that breaks it alone
 * (test/servicespec/cross-field-rules.test.ts), so a rule that stops firing fails a test.
 */
export const CROSS_FIELD_RULES = [
  "environment-defined-twice",
  "display-name-too-long",
  "notion-page-missing",
  "project-id-wrong-prefix",
  "project-id-missing-environment",
  "service-field-on-job",
  "job-field-on-service",
  "scaling-on-job",
  "rollout-on-job",
  "rollout-environment-not-staged",
  "probes-superseded",
  "mount-path-reused",
  "reserved-variable",
  "env-also-secret",
  "env-template-invalid",
  "domain-reused",
  "stage-unknown-environment",
  "stage-not-rollout",
  "stage-repeated",
  "response-code-ratio-id-repeated",
  "custom-alert-id-repeated",
  "custom-alert-mql",
  "response-code-ratios-on-job",
  "log-export-dataset-taken",
] as const;
export type CrossFieldRule = (typeof CROSS_FIELD_RULES)[number];

const SERVICE_ONLY = ["domain", "healthProbes", "startupProbe", "livenessProbe", "authentication"] as const;
const JOB_ONLY = ["schedule", "deadlineSeconds"] as const;
const MAX_DISPLAY_NAME = 30;

export function crossFieldIssues(spec: ServiceSpec): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const add = (rule: CrossFieldRule, path: (string | number)[], message: string, key?: boolean) =>
    issues.push({ rule, path, message, ...(key ? { key } : {}) });
  const svc = spec.service;
  const envIds = spec.environments.map((e) => e.id);
  // Lookups by ID through maps, not list searches: the rules stay linear however many entries a file has.
  const firstEnvIndex = new Map<string, number>();
  envIds.forEach((id, i) => firstEnvIndex.set(id, firstEnvIndex.get(id) ?? i));
  const stageIndex = new Map<string, number>();
  spec.rollout?.stages.forEach((s, i) => stageIndex.set(s.environment, stageIndex.get(s.environment) ?? i));

  spec.environments.forEach((env, i) => {
    const at = (...p: (string | number)[]) => ["environments", i, ...p];
    if (firstEnvIndex.get(env.id) !== i)
      add(
        "environment-defined-twice",
        at("id"),
        `environment ${quote(env.id)} is defined twice: one stack name would name two environments`,
      );

    const dn = displayName(spec, env);
    if (dn.length > MAX_DISPLAY_NAME)
      add(
        "display-name-too-long",
        at("id"),
        `project display name ${quote(dn)} is ${dn.length} characters; shorten service.name or the environment ID to fit ${MAX_DISPLAY_NAME}`,
      );
    // MSP's spec.go: every production environment (internal, external) needs the service's Notion page.
    if (categoryDefaults(env.category).production && svc.notionPageID === undefined)
      add(
        "notion-page-missing",
        at("category"),
        `an ${env.category} environment needs service.notionPageID, the ID of the service's Notion operations page (MSP requires one for every production environment; the handbook page links it): add notionPageID: <page id> under service`,
      );
    if (!env.projectID.startsWith(`${svc.id}-`))
      add("project-id-wrong-prefix", at("projectID"), `must start with "${svc.id}-" (the service ID)`);
    else if (!env.projectID.includes(`-${env.id}-`))
      add(
        "project-id-missing-environment",
        at("projectID"),
        `must contain "-${clipText(env.id, QUOTE_LIMIT)}-" (the environment ID), e.g. ${svc.id}-${clipText(env.id, QUOTE_LIMIT)}-a1b2`,
      );

    const forbidden = svc.kind === "job" ? SERVICE_ONLY : JOB_ONLY;
    for (const key of forbidden)
      if (env[key] !== undefined)
        add(
          svc.kind === "job" ? "service-field-on-job" : "job-field-on-service",
          at(key),
          `is only allowed for kind: ${svc.kind === "job" ? "service" : "job"}`,
        );
    if (svc.kind === "job") {
      if (env.instances.scaling)
        add(
          "scaling-on-job",
          at("instances", "scaling"),
          "is not allowed for kind: job (a job runs one task)",
        );
      if (env.deploy.type === "rollout")
        add("rollout-on-job", at("deploy", "type"), "rollout is not supported for kind: job");
    }

    if (env.deploy.type === "rollout" && !stageIndex.has(env.id))
      add(
        "rollout-environment-not-staged",
        at("deploy", "type"),
        `rollout needs environment ${quote(env.id)} listed in rollout.stages`,
      );

    if (env.healthProbes && (env.startupProbe || env.livenessProbe))
      add(
        "probes-superseded",
        at(env.startupProbe ? "startupProbe" : "livenessProbe"),
        "is superseded by healthProbes, and two settings for one probe cannot both hold: keep only healthProbes",
      );
    // Each mount path belongs to the volume whose name sorts first; the others are reported.
    const mountOwner = new Map<string, string>();
    for (const [name, vol] of Object.entries(env.secretVolumes ?? {})) {
      const owner = mountOwner.get(vol.mountPath);
      if (owner === undefined || name < owner) mountOwner.set(vol.mountPath, name);
    }
    for (const [name, vol] of Object.entries(env.secretVolumes ?? {})) {
      const owner = mountOwner.get(vol.mountPath)!;
      if (owner !== name)
        add(
          "mount-path-reused",
          at("secretVolumes", name, "mountPath"),
          `is already used by volume ${quote(owner)}: Cloud Run mounts one file per path`,
        );
    }
    // The container contract's names (platform/container-contract.ts): the platform's, and Cloud Run's reserved ones.
    for (const field of ["env", "secretEnv"] as const)
      for (const name of Object.keys(env[field] ?? {})) {
        const reason = RESERVED_VARIABLES.get(name);
        if (reason) add("reserved-variable", at(field, name), `${quote(name)} ${reason}`, true);
      }
    // The log export's dataset is `logs` in the environment's project: the spec's own dataset may not be it.
    const bq = env.resources?.bigQueryDataset;
    if (env.logging?.exportToBigQuery && bq?.datasetID === LOG_EXPORT_DATASET && bq.projectID === undefined)
      add(
        "log-export-dataset-taken",
        at("resources", "bigQueryDataset", "datasetID"),
        `${quote(LOG_EXPORT_DATASET)} is the dataset logging.exportToBigQuery writes logs to: name this dataset otherwise`,
      );
    for (const [name, value] of Object.entries(env.env ?? {})) {
      if (env.secretEnv?.[name] !== undefined)
        add(
          "env-also-secret",
          at("env", name),
          "is also set in secretEnv: the container would get two values for one name; keep one of them",
        );
      const template = parseEnvTemplate(value);
      if ("error" in template) add("env-template-invalid", at("env", name), template.error);
    }
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
        "domain-reused",
        ["environments", i, "domain", "cloudflare", "subdomain"],
        `${clipText(fqdn, QUOTE_LIMIT * 2)} is already used by environment ${quote(spec.environments[first]!.id)}`,
      );
    else domains.set(fqdn, i);
  });

  if (spec.rollout) {
    const seen = new Set<string>();
    spec.rollout.stages.forEach((stage, i) => {
      const at = ["rollout", "stages", i, "environment"];
      const envIndex = firstEnvIndex.get(stage.environment);
      const env = envIndex === undefined ? undefined : spec.environments[envIndex];
      if (!env)
        add(
          "stage-unknown-environment",
          at,
          `${quote(stage.environment)} is not an environment of this service (${clipText(envIds.join(", "), QUOTE_LIMIT * 2)})`,
        );
      else if (env.deploy.type !== "rollout")
        add(
          "stage-not-rollout",
          at,
          `environment ${quote(env.id)} must use deploy.type: rollout to be a stage`,
        );
      if (seen.has(stage.environment))
        add("stage-repeated", at, `${quote(stage.environment)} is listed more than once`);
      seen.add(stage.environment);
    });
  }

  const alerts = spec.monitoring.alerts;
  const ratioIds = new Set<string>();
  alerts?.responseCodeRatios?.forEach((r, i) => {
    if (ratioIds.has(r.id))
      add(
        "response-code-ratio-id-repeated",
        ["monitoring", "alerts", "responseCodeRatios", i, "id"],
        `${quote(r.id)} is used twice; ids must be unique`,
      );
    ratioIds.add(r.id);
  });
  const customIds = new Set<string>();
  alerts?.customAlerts?.forEach((a, i) => {
    const id = customAlertKey(a.name);
    if (customIds.has(id))
      add(
        "custom-alert-id-repeated",
        ["monitoring", "alerts", "customAlerts", i, "name"],
        `gives the alert ID ${quote(id)} twice; names must be unique`,
      );
    customIds.add(id);
    // A custom MQL alert must be evaluated as its text says (platform/mql.ts: Google's MQL alerting rules).
    if (a.condition.type === "mql")
      for (const problem of mqlAlertingProblems(a.condition.query))
        add("custom-alert-mql", ["monitoring", "alerts", "customAlerts", i, "condition", "query"], problem);
  });
  if (svc.kind === "job" && alerts?.responseCodeRatios?.length)
    add(
      "response-code-ratios-on-job",
      ["monitoring", "alerts", "responseCodeRatios"],
      "is only allowed for kind: service (jobs serve no requests)",
    );

  return issues;
}
