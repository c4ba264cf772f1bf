/**
 * Deliberate breakages of the platform's decisions, one per entry: the suite must fail on every one of them
 * (test/mutation/run.ts applies each to a copy of the repository and runs the test files named beside it).
 * Each breakage is something a plausible edit could do; `tests` are the files expected to catch it.
 */
export interface Mutant {
  /** What the breakage does, as a reviewer would describe the regression. */
  readonly what: string;
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
    file: "platform/categories.ts",
    from: 'pointInTimeRecovery: "always",\n    transactionLogRetentionDays: 7,\n    minInstancesByDefault: 0,',
    to: 'pointInTimeRecovery: "with-high-availability",\n    transactionLogRetentionDays: 7,\n    minInstancesByDefault: 0,',
    tests: RESOLVE,
  },
  {
    what: "PITR decided by HA only, whatever the category",
    file: "resolve/fields.ts",
    from: 'return categoryDefaults(env.category).pointInTimeRecovery === "always" || postgresHighAvailability(env);',
    to: "return postgresHighAvailability(env);",
    tests: RESOLVE,
  },
  {
    what: "proxied production domains lose their Cloud Armor policy",
    file: "resolve/environment.ts",
    from: "cloudArmor: d.proxied && category.cloudArmorWhenProxied,",
    to: "cloudArmor: false,",
    tests: RESOLVE,
  },
  {
    what: "the category rank no longer orders external above internal (downgrades go unseen)",
    file: "platform/categories.ts",
    from: "rank: 2,",
    to: "rank: 1,",
    tests: ["test/resolve/*.test.ts", "test/delivery/diff.test.ts", "test/delivery/affected.test.ts"],
  },
  {
    what: "external services scale to zero by default (cold starts for customers)",
    file: "platform/categories.ts",
    from: "minInstancesByDefault: 1,",
    to: "minInstancesByDefault: 0,",
    tests: RESOLVE,
  },
  {
    what: "the uptime alert waits for 60% of checker regions to fail instead of 40%",
    file: "resolve/alerts.ts",
    from: "threshold: 0.4,",
    to: "threshold: 0.6,",
    tests: RESOLVE,
  },
  // components: secure defaults
  {
    what: "allowDestroys: true no longer lifts Pulumi protect",
    file: "components/options.ts",
    from: "return { parent, protect: !allowDestroys, ...extra };",
    to: "return { parent, protect: true, ...extra };",
    tests: COMPONENTS,
  },
  {
    what: "stateful resources are no longer protected",
    file: "components/options.ts",
    from: "return { parent, protect: !allowDestroys, ...extra };",
    to: "return { parent, protect: false, ...extra };",
    tests: COMPONENTS,
  },
  {
    what: "projects can be deleted although destroys are not allowed",
    file: "components/project.ts",
    from: 'deletionPolicy: allowDestroys ? "DELETE" : "PREVENT",',
    to: 'deletionPolicy: "DELETE",',
    tests: COMPONENTS,
  },
  {
    what: "the Cloud SQL public address no longer requires the connector",
    file: "components/postgres.ts",
    from: 'connectorEnforcement: "REQUIRED",',
    to: 'connectorEnforcement: "NOT_REQUIRED",',
    tests: COMPONENTS,
  },
  {
    what: "Redis without AUTH",
    file: "components/redis.ts",
    from: "authEnabled: true,",
    to: "authEnabled: false,",
    tests: COMPONENTS,
  },
  {
    what: "Redis without in-transit encryption",
    file: "components/redis.ts",
    from: 'transitEncryptionMode: "SERVER_AUTHENTICATION",',
    to: 'transitEncryptionMode: "DISABLED",',
    tests: COMPONENTS,
  },
  {
    what: "Cloud Run accepts traffic from the internet by default, around the load balancer",
    file: "components/cloudrun-service.ts",
    from: "(args.internalLoadBalancerOnly ?? true)",
    to: "(args.internalLoadBalancerOnly ?? false)",
    tests: COMPONENTS,
  },
  // policies: a missing required value must fail, not pass
  {
    what: "missing backup configuration passes gcp-sql-backups-enabled (=== false instead of !== true)",
    file: "policy/rules/gcp-sql-backups-enabled.ts",
    from: "if (db.settings?.backupConfiguration?.enabled !== true)",
    to: "if (db.settings?.backupConfiguration?.enabled === false)",
    tests: POLICIES,
  },
  {
    what: "missing PITR setting passes gcp-sql-pitr-enabled",
    file: "policy/rules/gcp-sql-pitr-enabled.ts",
    from: "if (backup?.pointInTimeRecoveryEnabled !== true)",
    to: "if (backup?.pointInTimeRecoveryEnabled === false)",
    tests: POLICIES,
  },
  {
    what: "a DNS record with proxied unset passes cloudflare-record-proxied",
    file: "policy/rules/cloudflare-record-proxied.ts",
    from: "if (record.proxied !== true)",
    to: "if (record.proxied === false)",
    tests: POLICIES,
  },
  {
    what: "a firewall rule open to 0.0.0.0/0 passes gcp-firewall-ingress-restricted",
    file: "policy/rules/gcp-firewall-ingress-restricted.ts",
    from: 'const EVERYWHERE = new Set(["0.0.0.0/0", "::/0"]);',
    to: 'const EVERYWHERE = new Set(["::/0"]);',
    tests: POLICIES,
  },
  {
    what: "a VM with an external address passes gcp-compute-instance-hardened",
    file: "policy/rules/gcp-compute-instance-hardened.ts",
    from: "report(`networkInterfaces[${i}] has an external address (accessConfigs).`);",
    to: "void i;",
    tests: POLICIES,
  },
  {
    what: "Datastream's proxy VM keeps project-wide SSH keys",
    file: "components/datastream.ts",
    from: '"block-project-ssh-keys": "TRUE",',
    to: "",
    tests: COMPONENTS,
  },
  {
    what: "the Sentry Slack rule posts to a channel name without its #",
    file: "resolve/environment.ts",
    from: "channel: `#${naming.slackChannel(svc, env.id)}`,",
    to: "channel: naming.slackChannel(svc, env.id),",
    tests: COMPONENTS,
  },
  {
    what: "Redis with authEnabled unset passes gcp-redis-auth-and-tls",
    file: "policy/rules/gcp-redis-auth-and-tls.ts",
    from: 'if (redis.authEnabled !== true) report("AUTH is off.");',
    to: 'if (redis.authEnabled === false) report("AUTH is off.");',
    tests: POLICIES,
  },
  {
    what: "a missing settings.deletionProtectionEnabled passes gcp-sql-deletion-protection",
    file: "policy/rules/gcp-sql-deletion-protection.ts",
    from: "if (db.settings?.deletionProtectionEnabled !== true)",
    to: "if (db.settings?.deletionProtectionEnabled === false)",
    tests: POLICIES,
  },
  {
    what: "a public address without SSL required passes gcp-sql-no-public-ip",
    file: "policy/rules/gcp-sql-no-public-ip.ts",
    from: "if (!encrypted)",
    to: "if (encrypted && !encrypted)",
    tests: POLICIES,
  },
  {
    what: "basic roles on projects pass gcp-iam-no-basic-roles",
    file: "policy/rules/gcp-iam-no-basic-roles.ts",
    from: "if (BASIC_ROLES.has(role)) report(",
    to: 'if (BASIC_ROLES.has(role) && role === "roles/none") report(',
    tests: POLICIES,
  },
  {
    what: "names one character over the limit pass msp-resource-name-prefix",
    file: "policy/rules/msp-resource-name-prefix.ts",
    from: "if (name.length > limits.max || name.length < min)",
    to: "if (name.length > limits.max + 1 || name.length < min)",
    tests: POLICIES,
  },
  // loader: what a spec may say
  {
    what: "service IDs of 21 characters load (project IDs would exceed 30)",
    file: "servicespec/schema.ts",
    from: '.max(20, { error: "must be at most 20 characters',
    to: '.max(21, { error: "must be at most 20 characters',
    tests: SPEC,
  },
  {
    what: "uppercase service IDs load",
    file: "servicespec/schema.ts",
    from: ".regex(/^[a-z0-9-]+$/, { error: \"must contain only lowercase letters, digits and '-'\" })",
    to: ".regex(/^[A-Za-z0-9-]+$/, { error: \"must contain only lowercase letters, digits and '-'\" })",
    tests: SPEC,
  },
  {
    what: "a spec may grant itself roles/owner",
    file: "servicespec/security-rules.ts",
    from: 'export const BASIC_ROLES: ReadonlySet<string> = new Set(["roles/owner", "roles/editor", "roles/viewer"]);',
    to: 'export const BASIC_ROLES: ReadonlySet<string> = new Set(["roles/editor", "roles/viewer"]);',
    tests: [...SPEC, ...POLICIES],
  },
  {
    what: "symlinks out of the services folder are followed",
    file: "servicespec/read-file.ts",
    from: "if (!isInside(realRoot, real))",
    to: "if (!isInside(realRoot, real) && real === realRoot)",
    tests: SPEC,
  },
  {
    what: "a liveness probe interval above an hour loads",
    file: "servicespec/schema.ts",
    from: '.max(3600, { error: "must be at most 3600 seconds" })',
    to: '.max(36000, { error: "must be at most 3600 seconds" })',
    tests: SPEC,
  },
];
