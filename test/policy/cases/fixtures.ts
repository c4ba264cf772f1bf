/** Analyzer inputs shared by the policy cases: resources as the components build them. */
import type { PolicyInput } from "../../../policy-emulator/evaluate";
import { res, withValue } from "../../helpers/policy";
import { T } from "../../../policy/types";
import { postgresDatabaseFlags } from "../../../plans/postgres-settings";
import { cloudflareOnlyRules } from "../../../plans/cloud-armor";

export const LABELS = { service: "svc", environment: "prod", category: "external", msp: "true" };
export const PROJECT = "svc-prod-ab12";

export const SQL = {
  project: PROJECT,
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
      privateNetwork: `projects/${PROJECT}/global/networks/svc`,
      sslMode: "TRUSTED_CLIENT_CERTIFICATE_REQUIRED",
    },
  },
};
export const REDIS = {
  name: "redis",
  tier: "STANDARD_HA",
  memorySizeGb: 1,
  authEnabled: true,
  transitEncryptionMode: "SERVER_AUTHENTICATION",
  connectMode: "PRIVATE_SERVICE_ACCESS",
  persistenceConfig: { persistenceMode: "RDB" },
  labels: LABELS,
};
export const RUN = {
  project: PROJECT,
  location: "us-central1",
  name: "svc-prod-us-central1",
  ingress: "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
  labels: LABELS,
  template: {
    serviceAccount: `svc-sa@${PROJECT}.iam.gserviceaccount.com`,
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
export const JOB = {
  project: PROJECT,
  location: "us-central1",
  name: "svc-prod-us-central1",
  labels: LABELS,
  template: {
    template: { serviceAccount: `svc-sa@${PROJECT}.iam.gserviceaccount.com`, containers: [{ envs: [] }] },
  },
};
export const GCP_PROJECT = { projectId: PROJECT, labels: LABELS, autoCreateNetwork: false };
export const SA = `serviceAccount:svc-sa@${PROJECT}.iam.gserviceaccount.com`;

export const STACK = res(
  "pulumi:pulumi:Stack",
  {},
  {
    urn: "urn:pulumi:svc-prod::msp::pulumi:pulumi:Stack::msp-svc-prod",
    name: "msp-svc-prod",
    parent: undefined,
  },
);
export const COMPONENT = res(
  "msp:gcp:X",
  {},
  { urn: "urn:pulumi:svc-prod::msp::msp:gcp:X::x", name: "x", parent: STACK.urn },
);
export const OTHER = res("gcp:pubsub/topic:Topic", { name: "t" });

/** The Cloud Armor rules CloudflareDomain builds, with one change. */
export const armorRules = () =>
  structuredClone(
    cloudflareOnlyRules(["173.245.48.0/20", "103.21.244.0/22", "103.22.200.0/22"]),
  ) as unknown as Record<string, unknown>[];

const COMPUTE = "https://www.googleapis.com/compute/v1";

/** A load balancer as CloudflareDomain builds it, with the given changes. */
export function edge(
  over: {
    proxied?: boolean;
    noArmor?: boolean;
    armorRef?: string;
    redirect?: boolean;
    httpsPort?: string;
    httpTarget?: string;
    httpsTarget?: string;
  } = {},
): PolicyInput[] {
  const armor = res(T.securityPolicy, {
    project: PROJECT,
    name: "armor",
    selfLink: `${COMPUTE}/projects/${PROJECT}/global/securityPolicies/armor`,
    rules: armorRules(),
  });
  const backend = res(T.backend, {
    project: PROJECT,
    name: "be",
    loadBalancingScheme: "EXTERNAL_MANAGED",
    securityPolicy: over.noArmor ? undefined : (over.armorRef ?? armor.inputs.selfLink),
  });
  const redirectMap = res(T.urlMap, {
    name: "redirect",
    selfLink: `${COMPUTE}/projects/${PROJECT}/global/urlMaps/redirect`,
    ...(over.redirect === false ? { defaultService: "be" } : { defaultUrlRedirect: { httpsRedirect: true } }),
  });
  const httpProxy = res(T.httpProxy, {
    name: "http",
    selfLink: `${COMPUTE}/projects/${PROJECT}/global/targetHttpProxies/http`,
    urlMap: `projects/${PROJECT}/global/urlMaps/redirect`,
  });
  const httpsProxy = res(T.httpsProxy, {
    name: "https",
    selfLink: `${COMPUTE}/projects/${PROJECT}/global/targetHttpsProxies/https`,
    sslPolicy: `projects/${PROJECT}/global/sslPolicies/ssl`,
  });
  const http = res(T.forwardingRule, {
    name: "fr-http",
    portRange: "80",
    loadBalancingScheme: "EXTERNAL_MANAGED",
    target: over.httpTarget ?? `projects/${PROJECT}/global/targetHttpProxies/http`,
  });
  const https = res(T.forwardingRule, {
    name: "fr-https",
    portRange: over.httpsPort ?? "443",
    loadBalancingScheme: "EXTERNAL_MANAGED",
    target: over.httpsTarget ?? `projects/${PROJECT}/global/targetHttpsProxies/https`,
  });
  const record = res(T.dnsRecord, { name: "svc.sourcegraph.com", type: "A", proxied: over.proxied ?? true });
  return [STACK, COMPONENT, armor, backend, redirectMap, httpProxy, httpsProxy, http, https, record];
}

export const sqlWith = (path: string, v: unknown) => [res(T.sql, withValue(SQL, path, v))];
export const runWith = (path: string, v: unknown) => [res(T.runService, withValue(RUN, path, v))];
export const redisWith = (path: string, v: unknown) => [res(T.redis, withValue(REDIS, path, v))];
/** The SQL fixture with one database flag set (or removed, with undefined). */
export const sqlFlag = (name: string, value: string | undefined) =>
  sqlWith("settings.databaseFlags", [
    ...postgresDatabaseFlags({}).filter((f) => f.name !== name),
    ...(value === undefined ? [] : [{ name, value }]),
  ]);
