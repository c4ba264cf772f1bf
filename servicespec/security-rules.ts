/**
 * Security rules of the spec: what a service owner may ask for. The same tables back the policy pack, which
 * refuses the same things in any stack export (policy/rules/gcp-iam-no-privilege-escalation.ts,
 * gcp-secret-access-allowlist.ts, cloudflare-dns-safe-hostname.ts, cloudflare-dns-allowed-zone.ts), so a spec
 * is stopped at `msp validate` with file:line:col and anything that bypasses the spec is stopped by the pack.
 *
 * Platform settings these rules need (`msp:allowedZones`, `msp:secretProjects`, `msp:sharedSecretsProject`) are
 * read from the Pulumi project file the spec belongs to, the same file `msp policy docs` generates the policy
 * configuration from.
 */
import { categoryDefaults } from "../platform/categories";
import * as fs from "node:fs";
import * as path from "node:path";
import { UnreadableInputError } from "./read-file";
import { asProjectFile, mspValues, PulumiFileError, readPulumiFile } from "./pulumi-files";
import type { ServiceSpec } from "./schema";
import type { RuleIssue } from "./rules";
import { parseSecretReference } from "./values";
import { PLATFORM_DEFAULTS, platformSettingsSchema } from "../platform/settings";
import { imageProject } from "../platform/oci-reference";

/**
 * Every security rule of the spec, by name: each issue `securityIssues` reports carries one. Each has an invalid
 * fixture under test/fixtures/invalid that breaks it alone (test/servicespec/security-rule-fixtures.test.ts), so a
 * rule that stops firing fails a test.
 */
export const SECURITY_RULES = [
  "iam-role-dangerous",
  "iam-permission-dangerous",
  "image-in-shared-secrets-project",
  "image-registry-not-allowed",
  "dataset-in-shared-secrets-project",
  "dataset-project-not-allowed",
  "moving-tag-in-external-environment",
  "secret-in-shared-secrets-project",
  "secret-project-not-allowed",
  "subdomain-not-plain",
  "subdomain-contains-zone",
  "zone-not-plain",
  "zone-not-allowed",
] as const;
export type SecurityRule = (typeof SECURITY_RULES)[number];

/** A security problem and the rule that found it (the exported `...Problem` functions give the message only). */
interface Finding {
  rule: SecurityRule;
  message: string;
}
const finding = (rule: SecurityRule, message: string): Finding => ({ rule, message });

// ---------------------------------------------------------------------------------------------------------
// IAM: roles and permissions that let the workload grant itself (or anyone) more power.

/** Basic roles: owner and editor hold every escalation below; viewer reads everything. */
export const BASIC_ROLES: ReadonlySet<string> = new Set(["roles/owner", "roles/editor", "roles/viewer"]);

/**
 * Predefined roles that allow privilege escalation or impersonation: Checkov's impersonation list
 * (AbsGoogleImpersonationRoles: CKV_GCP_41/44/45/49) plus roles that run code as another identity or
 * rewrite IAM and organisation policy.
 */
export const DANGEROUS_ROLES: ReadonlyMap<string, string> = new Map([
  ["roles/iam.serviceAccountUser", "acts as any service account of the project (actAs)"],
  ["roles/iam.serviceAccountTokenCreator", "mints access and ID tokens for any service account"],
  ["roles/iam.serviceAccountOpenIdTokenCreator", "mints OpenID tokens for any service account"],
  ["roles/iam.workloadIdentityUser", "impersonates service accounts from external identities"],
  ["roles/iam.serviceAccountKeyAdmin", "creates long-lived service account keys"],
  ["roles/iam.serviceAccountAdmin", "manages service accounts and their IAM policies"],
  ["roles/iam.securityAdmin", "sets any IAM policy"],
  ["roles/iam.roleAdmin", "creates and widens custom roles"],
  ["roles/iam.organizationRoleAdmin", "creates and widens organisation roles"],
  ["roles/resourcemanager.projectIamAdmin", "sets the project's IAM policy"],
  ["roles/resourcemanager.folderIamAdmin", "sets folder IAM policies"],
  ["roles/resourcemanager.folderAdmin", "administers folders and their IAM"],
  ["roles/resourcemanager.organizationAdmin", "administers the organisation and its IAM"],
  ["roles/orgpolicy.policyAdmin", "lifts organisation policy constraints"],
  ["roles/cloudbuild.builds.editor", "runs builds as the Cloud Build service account"],
  ["roles/cloudbuild.builds.builder", "runs builds as the Cloud Build service account"],
  ["roles/deploymentmanager.editor", "deploys as the Google APIs service account (project editor)"],
  ["roles/dataproc.editor", "runs clusters as other service accounts"],
  ["roles/dataproc.admin", "runs clusters as other service accounts"],
  ["roles/dataflow.developer", "runs jobs as other service accounts"],
  ["roles/serverless.serviceAgent", "is the Cloud Run service agent's role (acts as every runtime account)"],
  ["roles/dataproc.serviceAgent", "is a service agent's role (acts as other service accounts)"],
]);

/** Any administrator, owner or service-agent role: they include setIamPolicy or act as other identities. */
const DANGEROUS_ROLE_PATTERN = /^roles\/[A-Za-z.]*?(?:[aA]dmin(?:\.v\d+)?|[oO]wner|\.serviceAgent)$/;

/** Why a role must not be granted to a workload (or at project level), or undefined when it may be. */
export function dangerousRoleReason(role: string): string | undefined {
  if (BASIC_ROLES.has(role)) return "is a basic role (owner, editor and viewer reach every resource)";
  const known = DANGEROUS_ROLES.get(role);
  if (known) return `${known}: a privilege escalation path`;
  if (DANGEROUS_ROLE_PATTERN.test(role))
    return "is an administrator, owner or service-agent role (it can change IAM or act as other identities)";
  return undefined;
}

/** Permissions that let the holder escalate: rewrite IAM, mint credentials, act as or run code as others. */
export const DANGEROUS_PERMISSIONS: ReadonlyMap<string, string> = new Map([
  ["iam.serviceAccountKeys.create", "creates long-lived keys for service accounts"],
  ["iam.serviceAccountKeys.upload", "uploads keys for service accounts"],
  ["iam.serviceAccounts.getAccessToken", "mints access tokens for service accounts"],
  ["iam.serviceAccounts.getOpenIdToken", "mints OpenID tokens for service accounts"],
  ["iam.serviceAccounts.signBlob", "signs as service accounts"],
  ["iam.serviceAccounts.signJwt", "signs tokens as service accounts"],
  ["iam.serviceAccounts.implicitDelegation", "chains impersonation through service accounts"],
  ["iam.serviceAccounts.actAs", "attaches service accounts to resources it creates"],
  ["iam.roles.create", "creates roles with any permission"],
  ["iam.roles.update", "adds permissions to existing roles"],
  ["iam.workloadIdentityPoolProviders.create", "trusts new external identities"],
  ["iam.workloadIdentityPoolProviders.update", "changes which external identities are trusted"],
  ["orgpolicy.policy.set", "lifts organisation policy constraints"],
  ["orgpolicy.policies.create", "lifts organisation policy constraints"],
  ["orgpolicy.policies.update", "lifts organisation policy constraints"],
  ["deploymentmanager.deployments.create", "deploys as the Google APIs service account"],
  ["deploymentmanager.deployments.update", "deploys as the Google APIs service account"],
  ["cloudbuild.builds.create", "runs builds as the Cloud Build service account"],
  ["cloudbuild.builds.update", "runs builds as the Cloud Build service account"],
  ["storage.hmacKeys.create", "creates HMAC keys for service accounts"],
]);

/** Why a permission must not be in a workload's custom role, or undefined when it may be. */
export function dangerousPermissionReason(permission: string): string | undefined {
  if (permission.includes("*")) return "is a wildcard (custom roles list permissions one by one)";
  if (permission.endsWith(".setIamPolicy"))
    return "sets an IAM policy (the holder can grant itself or anyone any role on that resource)";
  const known = DANGEROUS_PERMISSIONS.get(permission);
  return known ? `${known}: a privilege escalation path` : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// DNS: hostnames the platform may publish.

/** ASCII letters, digits and '-', not at either end: the LDH rule of RFC 1035 / 5891. */
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Why a DNS label must not be published (wildcard, IDN, look-alike), or undefined when it is plain. */
export function hostnameLabelProblem(label: string): string | undefined {
  if (label.includes("*"))
    return `"${label}" is a wildcard: it would publish every name under the zone (use one explicit subdomain)`;
  // Anything outside printable ASCII: other scripts and confusable characters (Cyrillic "а" for "a").
  if (/[^\x20-\x7e]/.test(label))
    return `"${label}" has non-ASCII characters, which can imitate another name (homoglyphs); use ASCII letters, digits and '-'`;
  if (/^xn--/i.test(label))
    return `"${label}" is an internationalised (punycode xn--) label, which can imitate another name; use ASCII letters, digits and '-'`;
  if (label !== label.toLowerCase()) return `"${label}" has upper-case letters; use lower case`;
  if (!LDH_LABEL.test(label))
    return `"${label}" is not a DNS label (ASCII letters, digits and '-', not at either end, at most 63 characters)`;
  return undefined;
}

/** The first problem of a dotted host name (each label checked), or undefined. */
export function hostnameProblem(name: string): string | undefined {
  for (const label of name.split(".")) {
    const problem = hostnameLabelProblem(label);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * Why `subdomain` must not be used in `zone`: it already ends with the zone, or with another allowed zone (a
 * fully qualified name where the record name goes). The platform publishes `<subdomain>.<zone>`, so
 * `orders.sourcegraph.com` in `sourcegraph.com` would become `orders.sourcegraph.com.sourcegraph.com`.
 */
export function subdomainZoneProblem(
  subdomain: string,
  zone: string,
  allowedZones: readonly string[] = [],
): string | undefined {
  const sub = subdomain.toLowerCase().replace(/\.$/, "");
  const zones = [zone, ...allowedZones.filter((z) => z !== zone)].map((z) => z.toLowerCase());
  const labels = sub.split(".");
  for (const z of zones)
    for (let k = 0; k < labels.length; k++) {
      if (labels.slice(k).join(".") !== z) continue;
      const record = labels.slice(0, k).join(".");
      const fix = record
        ? `write subdomain: ${record}`
        : "name a subdomain (the record is <subdomain>.<zone>)";
      return z === zone.toLowerCase()
        ? `"${subdomain}" already ends with the zone ${zone}: the platform adds the zone, so the host would be ${sub}.${zone}; ${fix}`
        : `"${subdomain}" ends with the zone ${z}, but the zone is ${zone}: the host would be ${sub}.${zone}; ${record ? `write subdomain: ${record} and zone: ${z}` : `set zone: ${z} and name a subdomain`}`;
    }
  // The zone inside the name (`orders.sourcegraph.com.eu`): a host name pasted where the record name goes.
  const own = zone.toLowerCase();
  if (`.${sub}.`.includes(`.${own}.`))
    return `"${subdomain}" contains the zone ${zone}: the subdomain is only the record name before the zone (the host is <subdomain>.${zone})`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Platform settings the rules need, from the Pulumi project the spec belongs to.

export interface PolicySettings {
  /** Cloudflare zones services may use (`msp:allowedZones`); undefined when no Pulumi project is found. */
  allowedZones?: readonly string[];
  /** The platform's own credentials project (`msp:sharedSecretsProject`): never readable by workloads. */
  sharedSecretsProject?: string;
  /** Projects besides the environment's own whose secrets workloads may read (`msp:secretProjects`). */
  secretProjects: readonly string[];
  /** Registry prefixes images may come from (`msp:imageRegistries`); undefined when no Pulumi project is found. */
  imageRegistries?: readonly string[];
  /** Projects besides the environment's own that may hold its BigQuery dataset (`msp:datasetProjects`). */
  datasetProjects?: readonly string[];
}

/** Platform defaults for keys Pulumi.yaml leaves out. */
const DEFAULT_ALLOWED_ZONES = PLATFORM_DEFAULTS.allowedZones;

/**
 * The policy settings of a Pulumi project file (Pulumi.yaml), read by the one reader of Pulumi files
 * (servicespec/pulumi-files.ts); a file that cannot be read or parsed is an `UnreadableInputError` naming it (the CLI
 * exits 2). Only the settings the checks need are read, each with the platform schema (platform/settings.ts);
 * a malformed one counts as unset here: the stack program refuses it, with its own message.
 */
export function policySettingsOf(pulumiYaml: string): PolicySettings {
  let file: unknown;
  try {
    file = readPulumiFile(pulumiYaml);
  } catch (e) {
    if (!(e instanceof PulumiFileError)) throw e;
    throw new UnreadableInputError(
      e.unreadable ? `${pulumiYaml}: ${e.reason}` : `${e.message} (the Pulumi project file)`,
    );
  }
  const values = mspValues(asProjectFile(file).config, true);
  const { shape } = platformSettingsSchema;
  const zones = shape.allowedZones.safeParse(values.allowedZones);
  const shared = shape.sharedSecretsProject.safeParse(values.sharedSecretsProject);
  const projects = shape.secretProjects.safeParse(values.secretProjects);
  const registries = shape.imageRegistries.safeParse(values.imageRegistries);
  const datasets = shape.datasetProjects.safeParse(values.datasetProjects);
  return {
    allowedZones: zones.success ? zones.data : DEFAULT_ALLOWED_ZONES,
    sharedSecretsProject: shared.success ? shared.data : undefined,
    secretProjects: projects.success ? projects.data : [],
    // Unset or malformed: no registry is allowed (the stack program refuses a malformed value itself).
    imageRegistries: registries.success ? registries.data : [],
    datasetProjects: datasets.success ? datasets.data : [],
  };
}

/** The nearest Pulumi.yaml at or above `dir`, if any. */
export function findPulumiProject(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const file = path.join(d, "Pulumi.yaml");
    if (fs.existsSync(file)) return file;
    if (path.dirname(d) === d) return undefined;
  }
}

const settingsCache = new Map<string, PolicySettings>();
/** Without a Pulumi project: no zone list to check against, and no project but the environment's own. */
const NO_PROJECT: PolicySettings = { secretProjects: [] };

/**
 * The settings for a spec in `dir`: from the Pulumi project above it, else the one above the working
 * directory (how the Pulumi CLI finds its project), else none.
 */
export function policySettingsNear(dir: string): PolicySettings {
  const file = findPulumiProject(dir) ?? findPulumiProject(process.cwd());
  if (!file) return NO_PROJECT;
  let s = settingsCache.get(file);
  if (!s) settingsCache.set(file, (s = policySettingsOf(file)));
  return s;
}

// ---------------------------------------------------------------------------------------------------------
// Secrets: where a workload may read them from.

/** Why a workload in `ownProject` may not read a secret of `project`, or undefined when it may. */
export function secretProjectProblem(
  project: string,
  ownProject: string,
  settings: PolicySettings,
): string | undefined {
  return secretProjectFinding(project, ownProject, settings)?.message;
}

function secretProjectFinding(
  project: string,
  ownProject: string,
  settings: PolicySettings,
): Finding | undefined {
  if (project === ownProject) return undefined;
  if (settings.sharedSecretsProject !== undefined && project === settings.sharedSecretsProject)
    return finding(
      "secret-in-shared-secrets-project",
      `"${project}" is the platform's shared secrets project (msp:sharedSecretsProject): it holds platform credentials (origin certificate key, Slack token, paging hooks) that only the deployment reads; keep the secret in the environment's project or an allowlisted one`,
    );
  if (!settings.secretProjects.includes(project))
    return finding(
      "secret-project-not-allowed",
      `"${project}" is neither the environment's project (${ownProject}) nor in msp:secretProjects in Pulumi.yaml (${settings.secretProjects.join(", ") || "empty"}), and a workload reads secrets of its own project and of allowlisted ones only; copy the secret into the environment's project, or have the platform team allowlist the project`,
    );
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Other projects a spec reaches: the image's registry, a dataset's project (issue 23, finding 4).

/** Why `image` may not be pulled by a workload, or undefined when its registry is allowlisted. */
export function imageRegistryProblem(image: string, settings: PolicySettings): string | undefined {
  return imageRegistryFinding(image, settings)?.message;
}

function imageRegistryFinding(image: string, settings: PolicySettings): Finding | undefined {
  const registries = settings.imageRegistries;
  if (!registries) return undefined;
  const project = imageProject(image);
  if (project !== undefined && project === settings.sharedSecretsProject)
    return finding(
      "image-in-shared-secrets-project",
      `"${project}" is the platform's shared secrets project (msp:sharedSecretsProject): workloads get no access to it`,
    );
  if (registries.some((r) => image.startsWith(`${r.replace(/\/+$/, "")}/`))) return undefined;
  // The reason before the list, which can be long (messages are cut at 300 characters).
  return finding(
    "image-registry-not-allowed",
    `is not in an allowed registry, and the Cloud Run service agent would get read access there: publish the image to an allowed registry (msp:imageRegistries in Pulumi.yaml: ${registries.join(", ") || "none"}), or have the platform team allowlist it`,
  );
}

/** Why an environment in `ownProject` may not put its dataset in `project`, or undefined when it may. */
export function datasetProjectProblem(
  project: string,
  ownProject: string,
  settings: PolicySettings,
): string | undefined {
  return datasetProjectFinding(project, ownProject, settings)?.message;
}

function datasetProjectFinding(
  project: string,
  ownProject: string,
  settings: PolicySettings,
): Finding | undefined {
  if (project === ownProject) return undefined;
  if (settings.sharedSecretsProject !== undefined && project === settings.sharedSecretsProject)
    return finding(
      "dataset-in-shared-secrets-project",
      `"${project}" is the platform's shared secrets project (msp:sharedSecretsProject): no dataset or grant goes there`,
    );
  const allowed = settings.datasetProjects ?? [];
  if (!allowed.includes(project))
    return finding(
      "dataset-project-not-allowed",
      `"${project}" is neither the environment's project (${ownProject}) nor in msp:datasetProjects in Pulumi.yaml (${allowed.join(", ") || "empty"}): the dataset and its grants would be created in another team's project; leave projectID unset, or have the platform team allowlist the project`,
    );
  return undefined;
}

/** Tags that name no particular image: production must run a version someone chose. */
const MOVING_TAGS: ReadonlySet<string> = new Set(["latest"]);

// ---------------------------------------------------------------------------------------------------------

/** Every security problem of a spec, with the field it is at. */
export function securityIssues(spec: ServiceSpec, settings: PolicySettings): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const add = (rule: SecurityRule, p: (string | number)[], message: string) =>
    issues.push({ rule, path: p, message });
  const addFinding = (p: (string | number)[], found: Finding | undefined) => {
    if (found) add(found.rule, p, found.message);
  };

  spec.service.iam?.roles?.forEach((role, i) => {
    const why = dangerousRoleReason(role);
    if (why)
      add(
        "iam-role-dangerous",
        ["service", "iam", "roles", i],
        `${role} ${why}; grant narrower roles (or exact permissions in service.iam.permissions)`,
      );
  });
  spec.service.iam?.permissions?.forEach((permission, i) => {
    const why = dangerousPermissionReason(permission);
    if (why)
      add(
        "iam-permission-dangerous",
        ["service", "iam", "permissions", i],
        `${permission} ${why}; workloads may not hold it (ask the platform team for a reviewed component instead)`,
      );
  });

  addFinding(["build", "image"], imageRegistryFinding(spec.build.image, settings));

  spec.environments.forEach((env, i) => {
    const dsProject = env.resources?.bigQueryDataset?.projectID;
    if (dsProject !== undefined)
      addFinding(
        ["environments", i, "resources", "bigQueryDataset", "projectID"],
        datasetProjectFinding(dsProject, env.projectID, settings),
      );
    if (categoryDefaults(env.category).refusesMovingTags) {
      const latest = (tag: string | undefined, at: (string | number)[]) => {
        if (tag !== undefined && MOVING_TAGS.has(tag))
          add(
            "moving-tag-in-external-environment",
            at,
            `"${tag}" names no particular image: an external environment runs a tag or digest chosen for it`,
          );
      };
      latest(env.deploy.manual?.tag, ["environments", i, "deploy", "manual", "tag"]);
      latest(env.deploy.subscription?.tag, ["environments", i, "deploy", "subscription", "tag"]);
      if (env.deploy.type === "rollout")
        latest(spec.rollout?.initialImageTag, ["rollout", "initialImageTag"]);
    }
    const checkSecret = (ref: string, at: (string | number)[]) => {
      const { project } = parseSecretReference(ref);
      if (project) addFinding(at, secretProjectFinding(project, env.projectID, settings));
    };
    for (const [name, ref] of Object.entries(env.secretEnv ?? {}))
      checkSecret(ref, ["environments", i, "secretEnv", name]);
    for (const [name, vol] of Object.entries(env.secretVolumes ?? {}))
      checkSecret(vol.secret, ["environments", i, "secretVolumes", name, "secret"]);

    const cf = env.domain?.cloudflare;
    if (!cf) return;
    const at = (field: string) => ["environments", i, "domain", "cloudflare", field];
    const label = hostnameProblem(cf.subdomain);
    const inZone = label ? undefined : subdomainZoneProblem(cf.subdomain, cf.zone, settings.allowedZones);
    if (label) add("subdomain-not-plain", at("subdomain"), label);
    else if (inZone) add("subdomain-contains-zone", at("subdomain"), inZone);
    const zone = hostnameProblem(cf.zone);
    if (zone) add("zone-not-plain", at("zone"), zone);
    else if (settings.allowedZones && !settings.allowedZones.includes(cf.zone))
      add(
        "zone-not-allowed",
        at("zone"),
        `"${cf.zone}" is not an allowed zone (msp:allowedZones in Pulumi.yaml: ${settings.allowedZones.join(", ")}): the platform publishes records only in the zones it manages`,
      );
  });
  return issues;
}
