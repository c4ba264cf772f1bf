/**
 * Deliberate breakages of the platform's decisions, one per entry: the suite must fail on every one of them
 * (test/mutation/run.ts applies each to a copy of the repository and runs the test files named beside it).
 * Each breakage is something a plausible edit could do; `tests` are the files expected to catch it.
 */
/**
 * What a mutant breaks: a default decided when the spec is silent, a boundary (a limit, a rounding), an input a
 * rule must treat as the bad value when it is unset, a cross-field spec rule, a delivery row (stateful types,
 * replace-on inputs, downgrades), a component's secure default, or another rule.
 */
export const MUTANT_KINDS = [
  "default",
  "boundary",
  "unset",
  "cross-field",
  "delivery",
  "secure-default",
  "rule",
] as const;
export type MutantKind = (typeof MUTANT_KINDS)[number];

export interface Mutant {
  /** What the breakage does, as a reviewer would describe the regression. */
  readonly what: string;
  readonly kind: MutantKind;
  readonly file: string;
  /** Text replaced (must occur exactly once in the file). */
  readonly from: string;
  readonly to: string;
  readonly tests: readonly string[];
}

const RESOLVE = [
  "test/resolve/*.test.ts",
  "test/program/stack.test.ts",
  "test/program/handbook-agreement.test.ts",
];
const COMPONENTS = ["test/components/*.test.ts", "test/program/stack.test.ts"];
const POLICIES = ["test/policy/rules-*.test.ts", "test/policy/policies-run.test.ts"];
const CROSS_FIELD = [
  "test/servicespec/cross-field-rules.test.ts",
  "test/servicespec/invalid-fixtures.test.ts",
];
const SPEC = [
  "test/servicespec/loader.test.ts",
  "test/servicespec/invalid-fixtures.test.ts",
  "test/servicespec/security-rules.test.ts",
  "test/servicespec/read-file.test.ts",
];

export const MUTANTS: readonly Mutant[] = [
  // resolve: the category table and the fields derived from it
  {
    what: "internal PostgreSQL without HA loses point-in-time recovery (PITR no longer 'always')",
    kind: "default",
    file: "platform/categories.ts",
    from: 'pointInTimeRecovery: "always",\n    transactionLogRetentionDays: 7,\n    minInstancesByDefault: 0,',
    to: 'pointInTimeRecovery: "with-high-availability",\n    transactionLogRetentionDays: 7,\n    minInstancesByDefault: 0,',
    tests: RESOLVE,
  },
  {
    what: "PITR decided by HA only, whatever the category",
    kind: "default",
    file: "resolve/fields.ts",
    from: 'return categoryDefaults(env.category).pointInTimeRecovery === "always" || postgresHighAvailability(env);',
    to: "return postgresHighAvailability(env);",
    tests: RESOLVE,
  },
  {
    what: "proxied production domains lose their Cloud Armor policy",
    kind: "default",
    file: "resolve/environment.ts",
    from: "cloudArmor: d.proxied && category.cloudArmorWhenProxied,",
    to: "cloudArmor: false,",
    tests: RESOLVE,
  },
  {
    what: "the category rank no longer orders external above internal (downgrades go unseen)",
    kind: "delivery",
    file: "platform/categories.ts",
    from: "rank: 2,",
    to: "rank: 1,",
    tests: ["test/resolve/*.test.ts", "test/delivery/diff.test.ts", "test/delivery/affected.test.ts"],
  },
  {
    what: "external services scale to zero by default (cold starts for customers)",
    kind: "default",
    file: "platform/categories.ts",
    from: "minInstancesByDefault: 1,",
    to: "minInstancesByDefault: 0,",
    tests: RESOLVE,
  },
  {
    what: "the uptime alert waits for 60% of checker regions to fail instead of 40%",
    kind: "default",
    file: "resolve/alerts.ts",
    from: "threshold: 0.4,",
    to: "threshold: 0.6,",
    tests: RESOLVE,
  },
  // components: secure defaults
  {
    what: "allowDestroys: true no longer lifts Pulumi protect",
    kind: "secure-default",
    file: "components/options.ts",
    from: "return { parent, protect: !allowDestroys, ...extra };",
    to: "return { parent, protect: true, ...extra };",
    tests: COMPONENTS,
  },
  {
    what: "stateful resources are no longer protected",
    kind: "secure-default",
    file: "components/options.ts",
    from: "return { parent, protect: !allowDestroys, ...extra };",
    to: "return { parent, protect: false, ...extra };",
    tests: COMPONENTS,
  },
  {
    what: "projects can be deleted although destroys are not allowed",
    kind: "secure-default",
    file: "components/project.ts",
    from: 'deletionPolicy: allowDestroys ? "DELETE" : "PREVENT",',
    to: 'deletionPolicy: "DELETE",',
    tests: COMPONENTS,
  },
  {
    what: "the Cloud SQL public address no longer requires the connector",
    kind: "secure-default",
    file: "components/postgres.ts",
    from: 'connectorEnforcement: "REQUIRED",',
    to: 'connectorEnforcement: "NOT_REQUIRED",',
    tests: COMPONENTS,
  },
  {
    what: "Redis without AUTH",
    kind: "secure-default",
    file: "components/redis.ts",
    from: "authEnabled: true,",
    to: "authEnabled: false,",
    tests: COMPONENTS,
  },
  {
    what: "Redis without in-transit encryption",
    kind: "secure-default",
    file: "components/redis.ts",
    from: 'transitEncryptionMode: "SERVER_AUTHENTICATION",',
    to: 'transitEncryptionMode: "DISABLED",',
    tests: COMPONENTS,
  },
  {
    what: "Cloud Run accepts traffic from the internet by default, around the load balancer",
    kind: "secure-default",
    file: "components/cloudrun-service.ts",
    from: "(args.internalLoadBalancerOnly ?? true)",
    to: "(args.internalLoadBalancerOnly ?? false)",
    tests: COMPONENTS,
  },
  // policies: a missing required value must fail, not pass
  {
    what: "missing backup configuration passes gcp-sql-backups-enabled (=== false instead of !== true)",
    kind: "unset",
    file: "policy/rules/gcp-sql-backups-enabled.ts",
    from: "if (db.settings?.backupConfiguration?.enabled !== true)",
    to: "if (db.settings?.backupConfiguration?.enabled === false)",
    tests: POLICIES,
  },
  {
    what: "missing PITR setting passes gcp-sql-pitr-enabled",
    kind: "unset",
    file: "policy/rules/gcp-sql-pitr-enabled.ts",
    from: "if (backup?.pointInTimeRecoveryEnabled !== true)",
    to: "if (backup?.pointInTimeRecoveryEnabled === false)",
    tests: POLICIES,
  },
  {
    what: "a DNS record with proxied unset passes cloudflare-record-proxied",
    kind: "unset",
    file: "policy/rules/cloudflare-record-proxied.ts",
    from: "if (record.proxied !== true)",
    to: "if (record.proxied === false)",
    tests: POLICIES,
  },
  {
    what: "Redis with authEnabled unset passes gcp-redis-auth-and-tls",
    kind: "unset",
    file: "policy/rules/gcp-redis-auth-and-tls.ts",
    from: 'if (redis.authEnabled !== true) report("AUTH is off.");',
    to: 'if (redis.authEnabled === false) report("AUTH is off.");',
    tests: POLICIES,
  },
  {
    what: "a missing settings.deletionProtectionEnabled passes gcp-sql-deletion-protection",
    kind: "unset",
    file: "policy/rules/gcp-sql-deletion-protection.ts",
    from: "if (db.settings?.deletionProtectionEnabled !== true)",
    to: "if (db.settings?.deletionProtectionEnabled === false)",
    tests: POLICIES,
  },
  {
    what: "a public address without SSL required passes gcp-sql-no-public-ip",
    kind: "rule",
    file: "policy/rules/gcp-sql-no-public-ip.ts",
    from: "if (!encrypted)",
    to: "if (encrypted && !encrypted)",
    tests: POLICIES,
  },
  {
    what: "basic roles on projects pass gcp-iam-no-basic-roles",
    kind: "rule",
    file: "policy/rules/gcp-iam-no-basic-roles.ts",
    from: "if (BASIC_ROLES.has(role)) report(",
    to: 'if (BASIC_ROLES.has(role) && role === "roles/none") report(',
    tests: POLICIES,
  },
  {
    what: "names one character over the limit pass msp-resource-name-prefix",
    kind: "boundary",
    file: "policy/rules/msp-resource-name-prefix.ts",
    from: "if (name.length > limits.max || name.length < min)",
    to: "if (name.length > limits.max + 1 || name.length < min)",
    tests: POLICIES,
  },
  // loader: what a spec may say
  {
    what: "service IDs of 21 characters load (project IDs would exceed 30)",
    kind: "boundary",
    file: "servicespec/schema.ts",
    from: '.max(20, { error: "must be at most 20 characters',
    to: '.max(21, { error: "must be at most 20 characters',
    tests: SPEC,
  },
  {
    what: "uppercase service IDs load",
    kind: "rule",
    file: "servicespec/schema.ts",
    from: ".regex(/^[a-z0-9-]+$/, { error: \"must contain only lowercase letters, digits and '-'\" })",
    to: ".regex(/^[A-Za-z0-9-]+$/, { error: \"must contain only lowercase letters, digits and '-'\" })",
    tests: SPEC,
  },
  {
    what: "a spec may grant itself roles/owner",
    kind: "rule",
    file: "servicespec/security-rules.ts",
    from: 'export const BASIC_ROLES: ReadonlySet<string> = new Set(["roles/owner", "roles/editor", "roles/viewer"]);',
    to: 'export const BASIC_ROLES: ReadonlySet<string> = new Set(["roles/editor", "roles/viewer"]);',
    tests: [...SPEC, ...POLICIES],
  },
  {
    what: "symlinks out of the services folder are followed",
    kind: "rule",
    file: "servicespec/read-file.ts",
    from: "if (!isInside(realRoot, real))",
    to: "if (!isInside(realRoot, real) && real === realRoot)",
    tests: SPEC,
  },
  {
    what: "a liveness probe interval above an hour loads",
    kind: "boundary",
    file: "servicespec/schema.ts",
    from: '.max(3600, { error: "must be at most 3600 seconds" })',
    to: '.max(36000, { error: "must be at most 3600 seconds" })',
    tests: SPEC,
  },
  // cross-field spec rules (servicespec/rules.ts): each named, with an invalid fixture
  {
    what: "a rollout stage listed twice loads",
    kind: "cross-field",
    file: "servicespec/rules.ts",
    from: "if (seen.has(stage.environment))",
    to: "if (seen.has(stage.environment) && stage.canary !== undefined)",
    tests: CROSS_FIELD,
  },
  {
    what: "a variable set in both env and secretEnv loads (which one wins is Cloud Run's choice)",
    kind: "cross-field",
    file: "servicespec/rules.ts",
    from: "if (env.secretEnv?.[name] !== undefined)",
    to: "if (env.secretEnv?.[name] === null)",
    tests: CROSS_FIELD,
  },
  {
    what: "the mount path's owner is the volume listed first, not the one that sorts first",
    kind: "cross-field",
    file: "servicespec/rules.ts",
    from: "if (owner === undefined || name < owner)",
    to: "if (owner === undefined)",
    tests: CROSS_FIELD,
  },
  {
    what: "two secret volumes on one mount path load",
    kind: "cross-field",
    file: "servicespec/rules.ts",
    from: "if (owner !== name)",
    to: "if (owner !== name && owner.length > name.length)",
    tests: CROSS_FIELD,
  },
  {
    what: "a job with responseCodeRatios loads (jobs serve no requests)",
    kind: "cross-field",
    file: "servicespec/rules.ts",
    from: 'if (svc.kind === "job" && alerts?.responseCodeRatios?.length)',
    to: 'if (svc.kind === "job" && alerts?.responseCodeRatios?.length && alerts.customAlerts?.length)',
    tests: CROSS_FIELD,
  },
  {
    what: "a job may deploy by rollout",
    kind: "cross-field",
    file: "servicespec/rules.ts",
    from: 'if (env.deploy.type === "rollout")\n        add("rollout-on-job"',
    to: 'if (env.deploy.type === "subscription")\n        add("rollout-on-job"',
    tests: CROSS_FIELD,
  },
  {
    what: "an environment defined twice loads",
    kind: "cross-field",
    file: "servicespec/rules.ts",
    from: "if (firstEnvIndex.get(env.id) !== i)",
    to: "if (firstEnvIndex.get(env.id) === undefined)",
    tests: CROSS_FIELD,
  },
  {
    what: "a manual environment may be a rollout stage",
    kind: "cross-field",
    file: "servicespec/rules.ts",
    from: 'else if (env.deploy.type !== "rollout")',
    to: 'else if (env.deploy.type === "subscription")',
    tests: CROSS_FIELD,
  },
  {
    what: "healthProbes with a startupProbe loads (only livenessProbe is superseded)",
    kind: "cross-field",
    file: "servicespec/rules.ts",
    from: "if (env.healthProbes && (env.startupProbe || env.livenessProbe))",
    to: "if (env.healthProbes && env.livenessProbe)",
    tests: CROSS_FIELD,
  },
  {
    what: "response-code ratio IDs checked against names: a repeated id loads",
    kind: "cross-field",
    file: "servicespec/rules.ts",
    from: "ratioIds.add(r.id);",
    to: "ratioIds.add(r.name);",
    tests: CROSS_FIELD,
  },
  {
    what: "custom alert names differing only in case load (their alert IDs collide)",
    kind: "cross-field",
    file: "servicespec/rules.ts",
    from: 'const id = a.name.toLowerCase().replaceAll(" ", "-");',
    to: 'const id = a.name.replaceAll(" ", "-");',
    tests: CROSS_FIELD,
  },
  {
    what: "a project ID that holds the environment ID inside a word passes (demo-product-a1b2 for prod)",
    kind: "cross-field",
    file: "servicespec/rules.ts",
    from: "else if (!env.projectID.includes(`-${env.id}-`))",
    to: "else if (!env.projectID.includes(env.id))",
    tests: CROSS_FIELD,
  },
  {
    what: "project display names of 31 characters load (GCP's limit is 30)",
    kind: "boundary",
    file: "servicespec/rules.ts",
    from: "if (dn.length > MAX_DISPLAY_NAME)",
    to: "if (dn.length > MAX_DISPLAY_NAME + 1)",
    tests: CROSS_FIELD,
  },
];
