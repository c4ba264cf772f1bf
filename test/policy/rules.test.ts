/**
 * Every policy: a compliant fixture, one violating fixture per failure mode, a value unknown at preview
 * (never a mandatory violation) and a not-applicable case; policies with config get a config variant.
 */
import * as assert from "node:assert/strict";
import { POLICIES } from "../../policy/policies";
import { mandatory } from "../../policy/evaluate";
import type { PolicyInput } from "../../policy/evaluate";
import { res, run, messages, UNKNOWN, withValue, TAGS } from "../helpers/policy";
import { T } from "../../policy/types";
import { postgresDatabaseFlags } from "../../components/postgres-settings";
import {
  CLOUDFLARE_MANAGED_RULESET,
  OWASP_CORE_RULESET,
} from "../../policy/rules/cloudflare-waf-managed-rulesets";

const LABELS = { service: "svc", environment: "prod", category: "external", msp: "true" };
const SQL = {
  name: "postgresql-ab12",
  databaseVersion: "POSTGRES_15",
  deletionProtection: true,
  settings: {
    tier: "db-custom-2-8192",
    availabilityType: "REGIONAL",
    deletionProtectionEnabled: true,
    userLabels: LABELS,
    databaseFlags: postgresDatabaseFlags({}),
    backupConfiguration: {
      enabled: true,
      pointInTimeRecoveryEnabled: true,
      transactionLogRetentionDays: 7,
      backupRetentionSettings: { retainedBackups: 90 },
    },
    ipConfiguration: {
      ipv4Enabled: false,
      privateNetwork: "projects/p/global/networks/svc",
      sslMode: "TRUSTED_CLIENT_CERTIFICATE_REQUIRED",
    },
  },
};
const REDIS = {
  name: "redis",
  tier: "STANDARD_HA",
  memorySizeGb: 1,
  authEnabled: true,
  transitEncryptionMode: "SERVER_AUTHENTICATION",
  connectMode: "PRIVATE_SERVICE_ACCESS",
  persistenceConfig: { persistenceMode: "RDB" },
  labels: LABELS,
};
const RUN = {
  name: "svc-prod-us-central1",
  ingress: "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
  labels: LABELS,
  template: {
    serviceAccount: "svc-sa@p.iam.gserviceaccount.com",
    scaling: { minInstanceCount: 1, maxInstanceCount: 5 },
    containers: [
      {
        envs: [
          { name: "MSP", value: "true" },
          { name: "API_TOKEN", valueSource: { secretKeyRef: { secret: "TOKEN", version: "latest" } } },
        ],
      },
    ],
  },
};
const JOB = {
  name: "svc-prod-us-central1",
  labels: LABELS,
  template: { template: { serviceAccount: "svc-sa@p.iam.gserviceaccount.com", containers: [{ envs: [] }] } },
};
const STACK = res(
  "pulumi:pulumi:Stack",
  {},
  {
    urn: "urn:pulumi:svc-prod::msp::pulumi:pulumi:Stack::msp-svc-prod",
    name: "msp-svc-prod",
    parent: undefined,
  },
);
const COMPONENT = res(
  "msp:gcp:X",
  {},
  { urn: "urn:pulumi:svc-prod::msp::msp:gcp:X::x", name: "x", parent: STACK.urn },
);
const OTHER = res("gcp:pubsub/topic:Topic", { name: "t" });

/** A load balancer as CloudflareDomain builds it. */
function edge(
  over: {
    proxied?: boolean;
    armorDefault?: string;
    noArmor?: boolean;
    redirect?: boolean;
    httpsPort?: string;
  } = {},
): PolicyInput[] {
  const armor = res(T.securityPolicy, {
    name: "armor",
    selfLink: "https://www.googleapis.com/compute/v1/projects/p/global/securityPolicies/armor",
    rules: [
      { priority: 4000, action: "allow" },
      { priority: 2147483647, action: over.armorDefault ?? "deny(403)" },
    ],
  });
  const backend = res(T.backend, {
    name: "be",
    loadBalancingScheme: "EXTERNAL_MANAGED",
    securityPolicy: over.noArmor
      ? undefined
      : "https://www.googleapis.com/compute/v1/projects/p/global/securityPolicies/armor",
  });
  const redirectMap = res(T.urlMap, {
    name: "redirect",
    selfLink: "https://www.googleapis.com/compute/v1/projects/p/global/urlMaps/redirect",
    ...(over.redirect === false ? { defaultService: "be" } : { defaultUrlRedirect: { httpsRedirect: true } }),
  });
  const httpProxy = res(T.httpProxy, {
    name: "http",
    selfLink: "https://www.googleapis.com/compute/v1/projects/p/global/targetHttpProxies/http",
    urlMap: "projects/p/global/urlMaps/redirect",
  });
  const http = res(T.forwardingRule, {
    name: "fr-http",
    portRange: "80",
    loadBalancingScheme: "EXTERNAL_MANAGED",
    target: "projects/p/global/targetHttpProxies/http",
  });
  const https = res(T.forwardingRule, {
    name: "fr-https",
    portRange: over.httpsPort ?? "443",
    loadBalancingScheme: "EXTERNAL_MANAGED",
    target: "projects/p/global/targetHttpsProxies/https",
  });
  const record = res(T.dnsRecord, { name: "svc.sourcegraph.com", type: "A", proxied: over.proxied ?? true });
  return [STACK, COMPONENT, armor, backend, redirectMap, httpProxy, http, https, record];
}

interface Case {
  compliant: PolicyInput[];
  violations: [string, PolicyInput[], RegExp][];
  unknown?: PolicyInput[];
  notApplicable: PolicyInput[];
  config?: [string, Record<string, unknown>, PolicyInput[], boolean][];
  tags?: Map<string, string>;
}

const sqlWith = (path: string, v: unknown) => [res(T.sql, withValue(SQL, path, v))];
const runWith = (path: string, v: unknown) => [res(T.runService, withValue(RUN, path, v))];
const redisWith = (path: string, v: unknown) => [res(T.redis, withValue(REDIS, path, v))];

const CASES: Record<string, Case> = {
  "msp-stack-name-format": {
    compliant: [STACK],
    violations: [
      [
        "bad name",
        [
          res(
            "pulumi:pulumi:Stack",
            {},
            { urn: "urn:pulumi:Prod_Stack::msp::pulumi:pulumi:Stack::x", parent: undefined },
          ),
        ],
        /not named/,
      ],
      ["missing tag", [STACK], /msp:category is missing/],
    ],
    notApplicable: [],
  },
  "msp-resource-name-prefix": {
    compliant: [
      res(T.runService, RUN),
      res("gcp:serviceaccount/account:Account", { accountId: "svc-sa-abc" }),
    ],
    violations: [
      ["not RFC 1035", [res(T.redis, { name: "Redis_1" })], /lowercase/],
      ["too long", [res(T.runService, { name: `svc-${"x".repeat(50)}` })], /allowed 1 to 49/],
      [
        "too short account",
        [res("gcp:serviceaccount/account:Account", { accountId: "sa" })],
        /allowed 6 to 30/,
      ],
      ["no service prefix", [res(T.runService, { name: "other-prod" })], /must start with "svc-"/],
    ],
    unknown: [res(T.runService, { name: UNKNOWN })],
    notApplicable: [OTHER],
  },
  "msp-required-labels": {
    compliant: [res(T.runService, RUN), res(T.sql, SQL), res(T.project, { labels: LABELS })],
    violations: [
      [
        "missing",
        [res(T.project, { labels: { service: "svc" } })],
        /Missing labels: environment, category, msp/,
      ],
      ["sql user labels", sqlWith("settings.userLabels", undefined), /Missing labels/],
      ["msp not true", [res(T.redis, { labels: { ...LABELS, msp: "yes" } })], /msp must be "true"/],
    ],
    unknown: [res(T.project, { labels: UNKNOWN })],
    notApplicable: [OTHER],
  },
  "msp-component-parentage": {
    compliant: [STACK, COMPONENT, res("gcp:storage/bucket:Bucket", {}, { parent: COMPONENT.urn })],
    violations: [
      [
        "at stack level",
        [STACK, res("gcp:storage/bucket:Bucket", {}, { name: "stray", parent: STACK.urn })],
        /"stray" is not inside an msp component/,
      ],
    ],
    notApplicable: [STACK],
  },
  "cloudflare-dns-allowed-zone": {
    compliant: [res(T.dnsRecord, { name: "svc.sgdev.org" })],
    violations: [
      ["apex", [res(T.dnsRecord, { name: "sourcegraph.com" })], /zone apex/],
      ["other zone", [res(T.dnsRecord, { name: "svc.evil.com" })], /not in an allowed zone/],
    ],
    unknown: [res(T.dnsRecord, { name: UNKNOWN })],
    notApplicable: [OTHER],
    config: [
      ["custom zones", { allowedZones: ["evil.com"] }, [res(T.dnsRecord, { name: "svc.evil.com" })], false],
    ],
  },
  "cloudflare-record-proxied": {
    compliant: [res(T.dnsRecord, { name: "a.sgdev.org", type: "A", proxied: true })],
    violations: [
      ["not proxied", [res(T.dnsRecord, { name: "a.sgdev.org", type: "A", proxied: false })], /not proxied/],
    ],
    unknown: [res(T.dnsRecord, { type: "A", proxied: UNKNOWN })],
    notApplicable: [res(T.dnsRecord, { type: "TXT", proxied: false }), OTHER],
  },
  "cloudflare-zone-ssl-strict": {
    compliant: [res(T.zoneSetting, { settingId: "ssl", value: "strict" })],
    violations: [
      ["flexible", [res(T.zoneSetting, { settingId: "ssl", value: "flexible" })], /must be strict/],
    ],
    unknown: [res(T.zoneSetting, { settingId: "ssl", value: UNKNOWN })],
    notApplicable: [res(T.zoneSetting, { settingId: "tls_1_3", value: "on" })],
  },
  "cloudflare-zone-https-tls": {
    compliant: [
      res(T.zoneSetting, { settingId: "alwaysUseHttps", value: "on" }),
      res(T.zoneSetting, { settingId: "min_tls_version", value: "1.2" }),
    ],
    violations: [
      [
        "http allowed",
        [res(T.zoneSetting, { settingId: "always_use_https", value: "off" })],
        /always_use_https/,
      ],
      ["old TLS", [res(T.zoneSetting, { settingId: "min_tls_version", value: "1.0" })], /1\.2 or 1\.3/],
    ],
    unknown: [res(T.zoneSetting, { settingId: "min_tls_version", value: UNKNOWN })],
    notApplicable: [res(T.zoneSetting, { settingId: "ssl", value: "strict" })],
  },
  "cloudflare-waf-managed-rulesets": {
    compliant: [
      res(T.ruleset, {
        phase: "http_request_firewall_managed",
        rules: [
          { action: "execute", actionParameters: { id: CLOUDFLARE_MANAGED_RULESET } },
          { action: "execute", actionParameters: { id: OWASP_CORE_RULESET } },
        ],
      }),
    ],
    violations: [
      [
        "no OWASP",
        [
          res(T.ruleset, {
            phase: "http_request_firewall_managed",
            rules: [{ action: "execute", actionParameters: { id: CLOUDFLARE_MANAGED_RULESET } }],
          }),
        ],
        /OWASP Core/,
      ],
    ],
    notApplicable: [OTHER],
  },
  "gcp-sslpolicy-modern-tls12": {
    compliant: [res(T.sslPolicy, { profile: "MODERN", minTlsVersion: "TLS_1_2" })],
    violations: [
      ["compatible", [res(T.sslPolicy, { profile: "COMPATIBLE", minTlsVersion: "TLS_1_2" })], /weak ciphers/],
      ["TLS 1.0", [res(T.sslPolicy, { profile: "MODERN", minTlsVersion: "TLS_1_0" })], /below TLS 1\.2/],
    ],
    unknown: [res(T.sslPolicy, { profile: UNKNOWN, minTlsVersion: "TLS_1_2" })],
    notApplicable: [OTHER],
  },
  "gcp-https-proxy-has-ssl-policy": {
    compliant: [res(T.httpsProxy, { sslPolicy: "projects/p/global/sslPolicies/x" })],
    violations: [["none", [res(T.httpsProxy, {})], /no SSL policy/]],
    unknown: [res(T.httpsProxy, { sslPolicy: UNKNOWN })],
    notApplicable: [OTHER],
  },
  "gcp-lb-no-plain-http": {
    compliant: edge(),
    violations: [
      ["HTTP without redirect", edge({ redirect: false }), /without redirecting/],
      ["HTTPS on another port", edge({ httpsPort: "8443" }), /must use 443/],
    ],
    notApplicable: [STACK],
  },
  "gcp-backend-cloud-armor": {
    compliant: edge(),
    violations: [
      ["no policy", edge({ noArmor: true }), /no Cloud Armor policy/],
      ["allow by default", edge({ armorDefault: "allow" }), /does not deny by default/],
    ],
    notApplicable: edge({ proxied: false }),
  },
  "gcp-cloudrun-ingress-restricted": {
    compliant: [res(T.runService, RUN)],
    violations: [["open", runWith("ingress", "INGRESS_TRAFFIC_ALL"), /INGRESS_TRAFFIC_ALL/]],
    unknown: runWith("ingress", UNKNOWN),
    notApplicable: [res(T.runJob, JOB)],
  },
  "gcp-sql-backups-enabled": {
    compliant: [res(T.sql, SQL)],
    violations: [["off", sqlWith("settings.backupConfiguration.enabled", false), /backups are off/]],
    unknown: sqlWith("settings.backupConfiguration", UNKNOWN),
    notApplicable: [res(T.sql, { ...SQL, masterInstanceName: "primary", settings: {} })],
  },
  "gcp-sql-pitr-enabled": {
    compliant: [res(T.sql, SQL)],
    violations: [
      [
        "off",
        sqlWith("settings.backupConfiguration.pointInTimeRecoveryEnabled", false),
        /Point-in-time recovery is off/,
      ],
      ["short logs", sqlWith("settings.backupConfiguration.transactionLogRetentionDays", 2), /kept 2 days/],
    ],
    unknown: sqlWith("settings.backupConfiguration.pointInTimeRecoveryEnabled", UNKNOWN),
    notApplicable: [res(T.sql, { ...SQL, databaseVersion: "MYSQL_8_0" }), OTHER],
    config: [["longer logs required", { minTransactionLogRetentionDays: 14 }, [res(T.sql, SQL)], true]],
  },
  "gcp-sql-backup-retention": {
    compliant: [res(T.sql, SQL)],
    violations: [
      [
        "too few",
        sqlWith("settings.backupConfiguration.backupRetentionSettings.retainedBackups", 3),
        /3 backups are kept/,
      ],
    ],
    unknown: sqlWith("settings.backupConfiguration.backupRetentionSettings.retainedBackups", UNKNOWN),
    notApplicable: [OTHER],
    config: [
      ["stricter", { minRetainedBackups: 100 }, [res(T.sql, SQL)], true],
      [
        "looser",
        { minRetainedBackups: 1 },
        sqlWith("settings.backupConfiguration.backupRetentionSettings.retainedBackups", 3),
        false,
      ],
    ],
  },
  "gcp-sql-deletion-protection": {
    compliant: [res(T.sql, SQL)],
    violations: [
      ["pulumi", sqlWith("deletionProtection", false), /deletionProtection is off/],
      ["api", sqlWith("settings.deletionProtectionEnabled", false), /deletionProtectionEnabled is off/],
    ],
    unknown: sqlWith("deletionProtection", UNKNOWN),
    notApplicable: [OTHER],
  },
  "msp-stateful-resources-protected": {
    compliant: [res(T.sql, SQL, { protect: true }), res(T.secret, {}, { protect: true })],
    violations: [
      ["unprotected", [res(T.dataset, {}, { name: "ds", protect: false })], /"ds" is not protected/],
    ],
    notApplicable: [res(T.runService, RUN)],
  },
  "gcp-bigquery-table-deletion-protection": {
    compliant: [
      res(T.table, { deletionProtection: true }),
      res(T.dataset, { deleteContentsOnDestroy: false }),
    ],
    violations: [
      ["table", [res(T.table, { deletionProtection: false })], /Table deletion protection is off/],
      ["dataset", [res(T.dataset, { deleteContentsOnDestroy: true })], /deletes its tables/],
    ],
    unknown: [res(T.table, { deletionProtection: UNKNOWN })],
    notApplicable: [OTHER],
  },
  "gcp-sql-high-availability": {
    compliant: [res(T.sql, SQL)],
    violations: [["zonal", sqlWith("settings.availabilityType", "ZONAL"), /ZONAL/]],
    unknown: sqlWith("settings.availabilityType", UNKNOWN),
    notApplicable: [OTHER],
  },
  "gcp-redis-ha-persistence": {
    compliant: [res(T.redis, REDIS)],
    violations: [
      ["basic", redisWith("tier", "BASIC"), /no replica/],
      ["no RDB", redisWith("persistenceConfig.persistenceMode", "DISABLED"), /RDB persistence is off/],
    ],
    unknown: redisWith("tier", UNKNOWN),
    notApplicable: [OTHER],
  },
  "gcp-sql-no-public-ip": {
    compliant: [res(T.sql, SQL)],
    violations: [
      ["ipv4", sqlWith("settings.ipConfiguration.ipv4Enabled", true), /public IPv4/],
      [
        "no private network",
        sqlWith("settings.ipConfiguration.privateNetwork", undefined),
        /No private network/,
      ],
      [
        "authorized network",
        sqlWith("settings.ipConfiguration.authorizedNetworks", [{ value: "0.0.0.0/0" }]),
        /0\.0\.0\.0\/0 opens/,
      ],
    ],
    unknown: sqlWith("settings.ipConfiguration.ipv4Enabled", UNKNOWN),
    notApplicable: [OTHER],
  },
  "gcp-sql-ssl-enforced": {
    compliant: [res(T.sql, SQL), ...sqlWith("settings.ipConfiguration.sslMode", "ENCRYPTED_ONLY")],
    violations: [
      [
        "allow unencrypted",
        sqlWith("settings.ipConfiguration.sslMode", "ALLOW_UNENCRYPTED_AND_ENCRYPTED"),
        /unencrypted connections/,
      ],
    ],
    unknown: sqlWith("settings.ipConfiguration.sslMode", UNKNOWN),
    notApplicable: [OTHER],
  },
  "gcp-sql-postgres-audit-flags": {
    compliant: [res(T.sql, SQL)],
    violations: [
      [
        "missing flag",
        sqlWith(
          "settings.databaseFlags",
          postgresDatabaseFlags({}).filter((f) => f.name !== "log_connections"),
        ),
        /log_connections is not set/,
      ],
      [
        "wrong value",
        sqlWith(
          "settings.databaseFlags",
          postgresDatabaseFlags({}).map((f) =>
            f.name === "log_error_verbosity" ? { ...f, value: "verbose" } : f,
          ),
        ),
        /log_error_verbosity is verbose/,
      ],
    ],
    unknown: sqlWith("settings.databaseFlags", UNKNOWN),
    notApplicable: [res(T.sql, { ...SQL, databaseVersion: "MYSQL_8_0" })],
  },
  "gcp-redis-auth-and-tls": {
    compliant: [res(T.redis, REDIS)],
    violations: [
      ["no auth", redisWith("authEnabled", false), /AUTH is off/],
      ["no TLS", redisWith("transitEncryptionMode", "DISABLED"), /TLS/],
      ["direct peering", redisWith("connectMode", "DIRECT_PEERING"), /PRIVATE_SERVICE_ACCESS/],
    ],
    unknown: redisWith("authEnabled", UNKNOWN),
    notApplicable: [OTHER],
  },
  "gcp-cloudrun-no-public-invoker": {
    compliant: [
      res(T.runService, RUN),
      res(T.runServiceIam, { name: RUN.name, role: "roles/run.invoker", member: "allUsers" }),
    ],
    violations: [
      [
        "directly reachable",
        [
          res(T.runService, { ...RUN, ingress: "INGRESS_TRAFFIC_ALL" }),
          res(T.runServiceIam, { name: RUN.name, role: "roles/run.invoker", member: "allUsers" }),
        ],
        /reachable directly/,
      ],
      [
        "another role",
        [res(T.projectIam, { role: "roles/storage.objectViewer", member: "allUsers" })],
        /may only invoke/,
      ],
      [
        "public job",
        [res(T.runJobIam, { role: "roles/run.invoker", member: "allAuthenticatedUsers" })],
        /only load-balanced/,
      ],
    ],
    notApplicable: [res(T.runServiceIam, { role: "roles/run.invoker", member: "domain:sourcegraph.com" })],
  },
  "gcp-cloudrun-dedicated-sa": {
    compliant: [res(T.runService, RUN), res(T.runJob, JOB)],
    violations: [
      ["none", runWith("template.serviceAccount", undefined), /No service account/],
      [
        "default",
        runWith("template.serviceAccount", "123-compute@developer.gserviceaccount.com"),
        /default account/,
      ],
      [
        "job default",
        [res(T.runJob, withValue(JOB, "template.template.serviceAccount", "p@appspot.gserviceaccount.com"))],
        /default account/,
      ],
    ],
    unknown: runWith("template.serviceAccount", UNKNOWN),
    notApplicable: [OTHER],
  },
  "gcp-cloudrun-secrets-from-gsm": {
    compliant: [res(T.runService, RUN)],
    violations: [
      [
        "plain token",
        runWith("template.containers", [{ envs: [{ name: "GITHUB_TOKEN", value: "ghp_x" }] }]),
        /GITHUB_TOKEN looks like a secret/,
      ],
    ],
    unknown: runWith("template.containers", UNKNOWN),
    notApplicable: [OTHER],
  },
  "gcp-iam-no-basic-roles": {
    compliant: [
      res(T.projectIam, {
        role: "roles/cloudtrace.agent",
        member: "serviceAccount:a@p.iam.gserviceaccount.com",
      }),
    ],
    violations: [
      ["owner", [res(T.projectIam, { role: "roles/owner", member: "group:g@x.com" })], /basic role/],
      [
        "admin to SA",
        [
          res(T.projectIam, {
            role: "roles/storage.admin",
            member: "serviceAccount:a@p.iam.gserviceaccount.com",
          }),
        ],
        /administrative rights/,
      ],
    ],
    unknown: [res(T.projectIam, { role: UNKNOWN, member: "group:g@x.com" })],
    notApplicable: [OTHER],
  },
  "gcp-iam-no-user-principals-or-keys": {
    compliant: [res(T.projectIam, { role: "roles/cloudtrace.agent", member: "group:g@x.com" })],
    violations: [
      [
        "user",
        [res(T.projectIam, { role: "roles/cloudtrace.agent", member: "user:me@x.com" })],
        /user principal/,
      ],
      [
        "default SA",
        [
          res(T.projectIam, {
            role: "roles/cloudtrace.agent",
            member: "serviceAccount:1-compute@developer.gserviceaccount.com",
          }),
        ],
        /default service account/,
      ],
      [
        "project-wide impersonation",
        [res(T.projectIam, { role: "roles/iam.serviceAccountUser", member: "group:g@x.com" })],
        /impersonate/,
      ],
      ["key", [res(T.saKey, { serviceAccountId: "a" })], /long-lived/],
    ],
    unknown: [res(T.projectIam, { role: "roles/cloudtrace.agent", member: UNKNOWN })],
    notApplicable: [OTHER],
  },
  "gcp-bigquery-not-public": {
    compliant: [res(T.dataset, { accesses: [{ role: "READER", groupByEmail: "g@x.com" }] })],
    violations: [
      [
        "dataset access",
        [res(T.dataset, { accesses: [{ role: "READER", specialGroup: "allAuthenticatedUsers" }] })],
        /allAuthenticatedUsers/,
      ],
      [
        "iam member",
        [res(T.datasetIam, { role: "roles/bigquery.dataViewer", member: "allUsers" })],
        /allUsers is granted/,
      ],
    ],
    unknown: [res(T.dataset, { accesses: UNKNOWN })],
    notApplicable: [OTHER],
  },
  "gcp-cloudrun-scaling-bounds": {
    compliant: [res(T.runService, RUN)],
    violations: [
      ["no max", runWith("template.scaling.maxInstanceCount", undefined), /No maximum/],
      ["too many", runWith("template.scaling.maxInstanceCount", 500), /exceeds 100/],
      ["too warm", runWith("template.scaling.minInstanceCount", 50), /more than 10/],
    ],
    unknown: runWith("template.scaling", UNKNOWN),
    notApplicable: [res(T.runJob, JOB)],
    config: [["test bounds", { maxInstances: 20, maxMinInstances: 0 }, [res(T.runService, RUN)], true]],
  },
  "gcp-sql-tier-allowlist": {
    compliant: [res(T.sql, SQL)],
    violations: [
      ["shared core", sqlWith("settings.tier", "db-f1-micro"), /not a db-custom tier/],
      ["too big", sqlWith("settings.tier", "db-custom-64-262144"), /64 CPUs/],
      ["old version", [res(T.sql, { ...SQL, databaseVersion: "POSTGRES_9_6" })], /not a supported version/],
    ],
    unknown: sqlWith("settings.tier", UNKNOWN),
    notApplicable: [OTHER],
    config: [["test budget", { maxCpu: 1 }, [res(T.sql, SQL)], true]],
  },
  "gcp-redis-size-allowlist": {
    compliant: [res(T.redis, REDIS)],
    violations: [["too big", redisWith("memorySizeGb", 100), /exceeds 64 GB/]],
    unknown: redisWith("memorySizeGb", UNKNOWN),
    notApplicable: [OTHER],
    config: [["basic only", { basicOnly: true }, [res(T.redis, REDIS)], true]],
  },
  "msp-allowed-resource-types": {
    compliant: [STACK, res(T.runService, RUN), COMPONENT],
    violations: [
      [
        "a VM",
        [res("gcp:compute/instance:Instance", {}, { name: "vm" })],
        /gcp:compute\/instance:Instance "vm" is not a type/,
      ],
    ],
    notApplicable: [],
  },
};

describe("policies", () => {
  it("has a test case for each of the 36 policies, and nothing else", () => {
    assert.equal(POLICIES.length, 36);
    assert.deepEqual(Object.keys(CASES).sort(), POLICIES.map((p) => p.name).sort());
  });

  for (const policy of POLICIES) {
    const c = CASES[policy.name]!;
    describe(policy.name, () => {
      it("has metadata: sentence description, severity, remediation, frameworks, levels", () => {
        assert.match(policy.description, /^[A-Z].*\.$/);
        assert.ok(["low", "medium", "high", "critical"].includes(String(policy.severity)));
        assert.ok(policy.remediationSteps && policy.remediationSteps.length > 10);
        assert.ok(policy.meta.frameworks.length > 0);
        assert.match(policy.name, /^[a-z0-9]+(-[a-z0-9]+)+$/);
      });

      it("passes the compliant fixture", () => {
        const r = run(policy, c.compliant, {}, c.tags ?? TAGS());
        assert.deepEqual(messages(r), []);
      });

      for (const [label, resources, expected] of c.violations)
        it(`reports: ${label}`, () => {
          const tags = label === "missing tag" ? new Map<string, string>() : (c.tags ?? TAGS());
          const r = run(policy, resources, {}, tags);
          assert.ok(
            messages(r).some((m) => expected.test(m)),
            `expected ${expected} in ${JSON.stringify(messages(r))}`,
          );
          assert.ok(mandatory(r).length > 0);
        });

      if (c.unknown)
        it("tolerates values unknown at preview (advisory, never mandatory)", () => {
          const r = run(policy, c.unknown!);
          assert.deepEqual(mandatory(r), []);
          assert.ok(r.violations.every((v) => /during preview/.test(v.message)));
        });

      it("is not applicable to other resources", () => {
        const r = run(policy, c.notApplicable);
        assert.deepEqual(mandatory(r), []);
      });

      for (const [label, config, resources, violates] of c.config ?? [])
        it(`config variant: ${label}`, () => {
          const r = run(policy, resources, config);
          assert.equal(mandatory(r).length > 0, violates, JSON.stringify(messages(r)));
        });

      it("honours a per-resource exemption with a reason, and the disabled level", () => {
        const violating = c.violations[0];
        if (!violating) return;
        const [, resources] = violating;
        const target =
          resources.find((r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("msp:")) ??
          resources[0]!;
        const exempt = run(policy, resources, {
          exemptions: [{ resource: target.urn, reason: "accepted risk: see ticket SEC-1" }],
        });
        if (!exempt.violations.some((v) => v.urn === undefined))
          assert.equal(mandatory(exempt).filter((v) => v.urn === target.urn).length, 0);
        assert.deepEqual(run(policy, resources, { enforcementLevel: "disabled" }).violations, []);
        const advisory = run(policy, resources, { enforcementLevel: "advisory" });
        assert.deepEqual(mandatory(advisory), []);
      });
    });
  }
});
