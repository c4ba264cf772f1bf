/**
 * MSP compatibility, as a table (issue 25.2): inputs that MSP's spec validation (`spec.go`, `service.go`,
 * `environment.go`, `monitoring.go`: yaml.v3's non-strict decoding, then every `Validate()`) accepts, each with
 * this platform's verdict. An input is accepted unless a security or a correctness reason says otherwise; a
 * refused row names its reason, and the refusal's message says it (test/servicespec/msp-compatibility.test.ts
 * loads every row through the real loader; the README's "MSP compatibility" table is rendered from here and a
 * test compares them).
 *
 * Each row is a change to `BASE_SPEC`, a minimal valid spec: `service`, `build` and the other top-level keys
 * are merged into it (objects key by key, lists and values replaced, `null` removes a key), and `environment`
 * into its one environment.
 */

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface SpecChange {
  /** Merged into the spec's top level (`service`, `build`, `monitoring`, `rollout`, or a whole `environments`). */
  readonly spec?: JsonObject;
  /** Merged into the base spec's environment (`environments[0]`). */
  readonly environment?: JsonObject;
}

interface RowBase {
  /** Kebab-case name of the row (the test's title). */
  readonly id: string;
  /** What the input is, in a few words. */
  readonly input: string;
  readonly change: SpecChange;
  /** How the README shows the change, where the change itself is too long for a cell. */
  readonly shown?: string;
}

export type CompatibilityRow =
  | (RowBase & { readonly verdict: "accepted"; /** What the platform does with it. */ readonly note: string })
  | (RowBase & {
      readonly verdict: "refused";
      readonly kind: "security" | "correctness";
      /** Why, in words that the refusal's message contains. */
      readonly reason: string;
    });

/** The minimal spec every row changes: it loads as it is. */
export const BASE_SPEC: JsonObject = {
  service: {
    id: "compat",
    owners: ["core-services"],
    description: "A service of the MSP compatibility table.",
  },
  build: {
    image: "us-central1-docker.pkg.dev/sourcegraph-ci/compat/compat",
    source: { repo: "github.com/sourcegraph/compat", dir: "." },
  },
  environments: [
    {
      id: "dev",
      projectID: "compat-dev-a1b2",
      category: "test",
      deploy: { type: "manual", manual: { tag: "1.2.3" } },
      instances: { resources: { cpu: 1, memory: "512Mi" } },
    },
  ],
};

const baseEnvironment = (BASE_SPEC.environments as JsonObject[])[0]!;
const PG = { databases: ["primary"] };
const ROLLOUT_DEV = { stages: [{ environment: "dev" }] };
const ratio = (extra: JsonObject): JsonObject => ({
  monitoring: { alerts: { responseCodeRatios: [{ id: "errors", name: "Errors", ratio: 0.1, ...extra }] } },
});
const customAlert = (query: string, extra: JsonObject = {}): JsonObject => ({
  monitoring: {
    alerts: {
      customAlerts: [{ name: "Slow", severityLevel: "WARNING", condition: { type: "mql", query, ...extra } }],
    },
  },
});

/** Reasons shared by several rows (one text, so each refusal says the same). */
const PROJECT_ID_CHARACTERS = "GCP project IDs are 6 to 30 lowercase letters, digits and '-'";
const UNKNOWN_KEY = "a misspelt key would drop its setting without a word";

export const COMPATIBILITY: readonly CompatibilityRow[] = [
  // ----------------------------------------------------------------------------------------------------------
  // Accepted: MSP's behaviour, or a working default where MSP's would fail at deploy.
  {
    id: "environment-id-with-dash",
    input: "an environment ID with '-'",
    change: { environment: { id: "prod-eu", projectID: "compat-prod-eu-a1b2" } },
    verdict: "accepted",
    note: "the stack is compat-prod-eu; two specs claiming one stack name are refused (fleet claims)",
  },
  {
    id: "env-name-with-dash",
    input: "an env variable name with '-' or '.'",
    change: { environment: { env: { "LOG-LEVEL": "info", "app.mode": "x" } } },
    verdict: "accepted",
    note: "Cloud Run takes letters, digits, '_', '-' and '.'; programs read it with getenv (a shell cannot name it)",
  },
  {
    id: "ratio-alert-duration-zero",
    input: "a response-code ratio alert with durationMinutes: 0",
    change: { spec: ratio({ codeClass: "5xx", durationMinutes: 0 }) },
    verdict: "accepted",
    note: "the condition fires at the first evaluation above the ratio (duration 0 s)",
  },
  {
    id: "custom-alert-duration-zero",
    input: "a custom alert with durationMinutes: 0",
    change: {
      spec: customAlert("fetch cloud_run_revision | metric 'x' | every 30s", { durationMinutes: 0 }),
    },
    verdict: "accepted",
    note: "the condition fires at the first evaluation that returns a series (duration 0 s)",
  },
  {
    id: "postgres-cpu-without-memory",
    input: "postgreSQL.cpu above 4 without memoryGB",
    change: { environment: { resources: { postgreSQL: { ...PG, cpu: 8 } } } },
    verdict: "accepted",
    note: "memory defaults to the larger of 4 GB and 1 GB per vCPU (MSP's 4 GB for 8 vCPUs is refused by Cloud SQL)",
  },
  {
    id: "manual-block-without-tag",
    input: "deploy.manual: {} (no tag)",
    change: { environment: { deploy: { type: "manual", manual: {} } } },
    verdict: "accepted",
    note: "deploys insiders, MSP's default tag (MSP itself wrote an image with an empty tag)",
  },
  {
    id: "domain-type-empty",
    input: 'domain.type: ""',
    change: { environment: { domain: { type: "" } } },
    verdict: "accepted",
    note: "no domain, as none",
  },
  {
    id: "cloudflare-required",
    input: "domain.cloudflare.required (unimplemented in MSP)",
    change: {
      environment: {
        domain: {
          type: "cloudflare",
          cloudflare: { subdomain: "compat", zone: "sgdev.org", required: true },
        },
      },
    },
    verdict: "accepted",
    note: "no effect, as in MSP",
  },
  {
    id: "older-probe-fields",
    input: "startupProbe / livenessProbe (older MSP)",
    change: { environment: { startupProbe: { timeout: 2, interval: 5 }, livenessProbe: { interval: 30 } } },
    verdict: "accepted",
    note: "mapped onto healthProbes",
  },
  {
    id: "empty-private-networking",
    input: "privateNetworking: {} and monitoring.nobl9: false",
    change: { environment: { privateNetworking: {} }, spec: { monitoring: { nobl9: false } } },
    verdict: "accepted",
    note: "they ask for nothing",
  },
  {
    id: "build-without-source",
    input: "build without source",
    change: { spec: { build: { source: null } } },
    verdict: "accepted",
    note: "the handbook shows no source link and the rollout pipeline no repository annotation",
  },
  {
    id: "docker-hub-manual",
    input: "a Docker Hub image (allowed registry) with a manual deploy",
    change: { spec: { build: { image: "index.docker.io/sourcegraph/compat" } } },
    verdict: "accepted",
    note: "index.docker.io/sourcegraph is in msp:imageRegistries",
  },

  // ----------------------------------------------------------------------------------------------------------
  // Refused for correctness: the deploy would fail, or the spec would say something the platform does not do.
  {
    id: "unknown-top-level-key",
    input: "an unknown top-level key",
    change: { spec: { team: "core" } },
    verdict: "refused",
    kind: "correctness",
    reason: UNKNOWN_KEY,
  },
  {
    id: "misspelt-environment-key",
    input: "a misspelt key (alowDestroys)",
    change: { environment: { alowDestroys: true } },
    verdict: "refused",
    kind: "correctness",
    reason: UNKNOWN_KEY,
  },
  {
    id: "environment-id-uppercase",
    input: "an environment ID with upper-case letters",
    change: { environment: { id: "Prod", projectID: "compat-Prod-a1b2" } },
    verdict: "refused",
    kind: "correctness",
    reason: PROJECT_ID_CHARACTERS,
  },
  {
    id: "environment-id-underscore",
    input: "an environment ID with '_'",
    change: { environment: { id: "prod_eu", projectID: "compat-prod_eu-a1b2" } },
    verdict: "refused",
    kind: "correctness",
    reason: PROJECT_ID_CHARACTERS,
  },
  {
    id: "project-id-uppercase",
    input: "a project ID with upper-case letters",
    change: { environment: { projectID: "compat-dev-A1B2" } },
    verdict: "refused",
    kind: "correctness",
    reason: PROJECT_ID_CHARACTERS,
  },
  {
    id: "project-id-trailing-dash",
    input: "a project ID ending with '-'",
    change: { environment: { projectID: "compat-dev-" } },
    verdict: "refused",
    kind: "correctness",
    reason: PROJECT_ID_CHARACTERS,
  },
  {
    id: "service-id-leading-digit",
    input: "a service ID starting with a digit",
    change: { spec: { service: { id: "1compat" } }, environment: { projectID: "1compat-dev-a1b2" } },
    verdict: "refused",
    kind: "correctness",
    reason: "GCP project IDs are 6 to 30 lowercase letters, digits and '-', starting with a letter",
  },
  {
    id: "duplicate-environment",
    input: "two environments with one ID",
    change: {
      spec: { environments: [baseEnvironment, { ...baseEnvironment, projectID: "compat-dev-c3d4" }] },
    },
    shown: "environments: [{id: dev, ...}, {id: dev, ...}]",
    verdict: "refused",
    kind: "correctness",
    reason: "one stack name would name two environments",
  },
  {
    id: "name-punctuation",
    input: "a service name with '.', ':' or '()'",
    change: { spec: { service: { name: "Compat (beta)" } } },
    verdict: "refused",
    kind: "correctness",
    reason: "GCP refuses other characters in a project's display name",
  },
  {
    id: "owner-with-space",
    input: "an owner with a space",
    change: { spec: { service: { owners: ["Core Services"] } } },
    verdict: "refused",
    kind: "correctness",
    reason: "it names secrets and resources",
  },
  {
    id: "kind-unknown",
    input: "kind: worker",
    change: { spec: { service: { kind: "worker" } } },
    verdict: "refused",
    kind: "correctness",
    reason: "only a Cloud Run service or job is built",
  },
  {
    id: "protocol-unknown",
    input: "protocol: http2",
    change: { spec: { service: { protocol: "http2" } } },
    verdict: "refused",
    kind: "correctness",
    reason: "Cloud Run names the port http1 or h2c",
  },
  {
    id: "custom-role-named-organization",
    input: "a custom role of organizations/<name>",
    change: { spec: { service: { iam: { roles: ["organizations/sourcegraph/roles/reader"] } } } },
    verdict: "refused",
    kind: "correctness",
    reason: "organization IDs are numeric",
  },
  {
    id: "image-with-tag",
    input: "build.image with a tag",
    change: { spec: { build: { image: "us-central1-docker.pkg.dev/sourcegraph-ci/compat/compat:1.2.3" } } },
    verdict: "refused",
    kind: "correctness",
    reason: "the deploy type chooses the tag",
  },
  {
    id: "image-without-registry-host",
    input: "build.image without a registry host (sourcegraph/compat)",
    change: { spec: { build: { image: "sourcegraph/compat" } } },
    verdict: "refused",
    kind: "correctness",
    reason: "the allowlist and the read grant go by the registry host",
  },
  {
    id: "subscription-docker-hub",
    input: "a subscription deploy of a Docker Hub image",
    change: {
      spec: { build: { image: "index.docker.io/sourcegraph/compat" } },
      environment: { deploy: { type: "subscription", subscription: { tag: "insiders" } } },
    },
    verdict: "refused",
    kind: "correctness",
    reason: "the deploy resolves the tag to a digest there",
  },
  {
    id: "manual-empty-tag",
    input: 'deploy.manual.tag: ""',
    change: { environment: { deploy: { type: "manual", manual: { tag: "" } } } },
    verdict: "refused",
    kind: "correctness",
    reason: "an empty tag names no image",
  },
  {
    id: "rollout-with-manual-tag",
    input: "deploy.type: rollout with a manual block",
    change: {
      spec: { rollout: ROLLOUT_DEV },
      environment: { deploy: { type: "rollout", manual: { tag: "1.2.3" } } },
    },
    verdict: "refused",
    kind: "correctness",
    reason: "Cloud Deploy sets the image, so the tag would be ignored",
  },
  {
    id: "domain-type-unknown",
    input: "domain.type: route53",
    change: { environment: { domain: { type: "route53" } } },
    verdict: "refused",
    kind: "correctness",
    reason: "only Cloudflare domains are built",
  },
  {
    id: "cloudflare-without-record",
    input: "domain.type: cloudflare without the cloudflare block",
    change: { environment: { domain: { type: "cloudflare" } } },
    verdict: "refused",
    kind: "correctness",
    reason: "the record needs a subdomain and a zone",
  },
  {
    id: "subdomain-with-zone",
    input: "a subdomain that ends with the zone",
    change: {
      environment: {
        domain: { type: "cloudflare", cloudflare: { subdomain: "compat.sgdev.org", zone: "sgdev.org" } },
      },
    },
    verdict: "refused",
    kind: "correctness",
    reason: "the platform adds the zone",
  },
  {
    id: "probe-timeout-zero",
    input: "healthProbes.timeout: 0",
    change: { environment: { healthProbes: { timeout: 0 } } },
    verdict: "refused",
    kind: "correctness",
    reason: "Cloud Run probes time out after 1 to 240 seconds",
  },
  {
    id: "probes-twice",
    input: "healthProbes together with startupProbe",
    change: { environment: { healthProbes: { timeout: 3 }, startupProbe: { timeout: 5 } } },
    verdict: "refused",
    kind: "correctness",
    reason: "two settings for one probe",
  },
  {
    id: "cloud-run-generation-3",
    input: "instances.resources.cloudRunGeneration: 3",
    change: { environment: { instances: { resources: { cpu: 1, memory: "512Mi", cloudRunGeneration: 3 } } } },
    verdict: "refused",
    kind: "correctness",
    reason: "Cloud Run has execution environments 1 and 2",
  },
  {
    id: "min-count-above-max",
    input: "scaling.minCount above maxCount",
    change: { environment: { instances: { scaling: { minCount: 3, maxCount: 2 } } } },
    verdict: "refused",
    kind: "correctness",
    reason: "Cloud Run refuses a minimum instance count above the maximum",
  },
  {
    id: "concurrency-above-1000",
    input: "scaling.maxRequestConcurrency above 1000",
    change: { environment: { instances: { scaling: { maxRequestConcurrency: 2000 } } } },
    verdict: "refused",
    kind: "correctness",
    reason: "Cloud Run serves at most 1000 concurrent requests per instance",
  },
  {
    id: "env-and-secret-env",
    input: "one variable in env and secretEnv",
    change: { environment: { env: { TOKEN: "x" }, secretEnv: { TOKEN: "COMPAT_TOKEN" } } },
    verdict: "refused",
    kind: "correctness",
    reason: "the container would get two values for one name",
  },
  {
    id: "env-name-with-equals",
    input: "an env variable name with '='",
    change: { environment: { env: { "A=B": "x" } } },
    verdict: "refused",
    kind: "correctness",
    reason: "Cloud Run takes letters, digits, '_', '-' and '.', not starting with a digit",
  },
  {
    id: "env-cloud-run-reserved",
    input: "env PORT (Cloud Run's)",
    change: { environment: { env: { PORT: "8080" } } },
    verdict: "refused",
    kind: "correctness",
    reason: "is reserved by Cloud Run's container contract",
  },
  {
    id: "env-platform-variable",
    input: "env DIAGNOSTICS_SECRET (the platform's)",
    change: { environment: { env: { DIAGNOSTICS_SECRET: "x" } } },
    verdict: "refused",
    kind: "correctness",
    reason: "MSP would pass it twice, the platform's value and this one",
  },
  {
    id: "env-template-unknown",
    input: "an env value with {{ .Region }}",
    change: { environment: { env: { REGION: "{{ .Region }}" } } },
    verdict: "refused",
    kind: "correctness",
    reason: "the template knows only {{ .ProjectID }} and {{ .ServiceDnsName }}",
  },
  {
    id: "secret-version-pinned",
    input: "a secretEnv value with /versions/",
    change: { environment: { secretEnv: { TOKEN: "projects/compat-dev-a1b2/secrets/TOKEN/versions/1" } } },
    verdict: "refused",
    kind: "correctness",
    reason: "the latest version is always used",
  },
  {
    id: "secret-volumes-one-path",
    input: "two secretVolumes on one mountPath",
    change: {
      environment: {
        secretVolumes: {
          a: { mountPath: "/etc/app/key", secret: "A" },
          b: { mountPath: "/etc/app/key", secret: "B" },
        },
      },
    },
    verdict: "refused",
    kind: "correctness",
    reason: "Cloud Run mounts one file per path",
  },
  {
    id: "redis-memory-zero",
    input: "redis.memoryGB: 0",
    change: { environment: { resources: { redis: { memoryGB: 0 } } } },
    verdict: "refused",
    kind: "correctness",
    reason: "Memorystore instances have 1 to 300 GB",
  },
  {
    id: "max-connections-below-14",
    input: "postgreSQL.maxConnections below 14",
    change: { environment: { resources: { postgreSQL: { ...PG, maxConnections: 10 } } } },
    verdict: "refused",
    kind: "correctness",
    reason: "Cloud SQL refuses max_connections outside 14 to 262143",
  },
  {
    id: "publication-unknown-database",
    input: "a publication in a database not listed",
    change: {
      environment: {
        resources: {
          postgreSQL: {
            ...PG,
            logicalReplication: { publications: [{ name: "p", database: "other", tables: ["t"] }] },
          },
        },
      },
    },
    verdict: "refused",
    kind: "correctness",
    reason: "the publication is created in that database",
  },
  {
    id: "ratio-without-code",
    input: "a response-code ratio alert without code or codeClass",
    change: { spec: ratio({}) },
    verdict: "refused",
    kind: "correctness",
    reason: "without one the alert does not say which responses it counts",
  },
  {
    id: "mql-every-15s",
    input: "a custom MQL alert with every 15s",
    change: { spec: customAlert("fetch cloud_run_revision | metric 'x' | every 15s") },
    verdict: "refused",
    kind: "correctness",
    reason: "Cloud Monitoring evaluates MQL alerting conditions every 30s",
  },
  {
    id: "nobl9-true",
    input: "monitoring.nobl9: true",
    change: { spec: { monitoring: { nobl9: true } } },
    verdict: "refused",
    kind: "correctness",
    reason: "Nobl9 (MSP's SLO trial) is not provisioned by this platform",
  },
  {
    id: "private-access-perimeter",
    input: "privateNetworking.privateAccessPerimeter (unmerged MSP draft)",
    change: {
      environment: { privateNetworking: { privateAccessPerimeter: { allowlistedProjects: ["p"] } } },
    },
    verdict: "refused",
    kind: "correctness",
    reason: "a VPC Service Controls perimeter lives in the organization's access policy",
  },
  {
    id: "rollout-account-not-email",
    input: "rollout.serviceAccount that is not an email",
    change: {
      spec: { rollout: { ...ROLLOUT_DEV, serviceAccount: "ci-bot" } },
      environment: { deploy: { type: "rollout" } },
    },
    verdict: "refused",
    kind: "correctness",
    reason: "IAM names a service account by its email",
  },
  {
    id: "cron-every-5-minutes",
    input: "a job's cron every 5 minutes",
    change: { spec: { service: { kind: "job" } }, environment: { schedule: { cron: "*/5 * * * *" } } },
    verdict: "refused",
    kind: "correctness",
    reason: "MSP's own rule, which it applies when it generates the job's alerts",
  },
  {
    id: "dataset-id-with-dash",
    input: "bigQueryDataset.datasetID with '-'",
    change: {
      environment: { resources: { bigQueryDataset: { tables: ["events"], datasetID: "compat-events" } } },
    },
    verdict: "refused",
    kind: "correctness",
    reason: "BigQuery dataset IDs are letters, digits and '_'",
  },
  {
    id: "job-deadline-zero",
    input: "deadlineSeconds: 0 (kind: job)",
    change: { spec: { service: { kind: "job" } }, environment: { deadlineSeconds: 0 } },
    verdict: "refused",
    kind: "correctness",
    reason: "Cloud Run job tasks time out after at least 1 second",
  },

  // ----------------------------------------------------------------------------------------------------------
  // Refused for security: the platform's rules (servicespec/security-rules.ts), which the policy pack also applies.
  {
    id: "basic-role",
    input: "iam.roles: roles/editor",
    change: { spec: { service: { iam: { roles: ["roles/editor"] } } } },
    verdict: "refused",
    kind: "security",
    reason: "owner, editor and viewer reach every resource",
  },
  {
    id: "impersonation-role",
    input: "iam.roles: roles/iam.serviceAccountTokenCreator",
    change: { spec: { service: { iam: { roles: ["roles/iam.serviceAccountTokenCreator"] } } } },
    verdict: "refused",
    kind: "security",
    reason: "mints access and ID tokens for any service account: a privilege escalation path",
  },
  {
    id: "set-iam-policy-permission",
    input: "iam.permissions: *.setIamPolicy",
    change: { spec: { service: { iam: { permissions: ["storage.buckets.setIamPolicy"] } } } },
    verdict: "refused",
    kind: "security",
    reason: "the holder can grant itself or anyone any role on that resource",
  },
  {
    id: "image-registry-not-allowed",
    input: "an image outside msp:imageRegistries",
    change: { spec: { build: { image: "docker.io/library/nginx" } } },
    verdict: "refused",
    kind: "security",
    reason: "the Cloud Run service agent would get read access there",
  },
  {
    id: "latest-in-external",
    input: "tag latest in an external environment",
    change: {
      spec: { service: { notionPageID: "0123456789abcdef" } },
      environment: { category: "external", deploy: { type: "manual", manual: { tag: "latest" } } },
    },
    verdict: "refused",
    kind: "security",
    reason: "names no particular image: an external environment runs a tag or digest chosen for it",
  },
  {
    id: "secret-in-shared-project",
    input: "a secret in the platform's shared secrets project",
    change: { environment: { secretEnv: { TOKEN: "projects/msp-platform-secrets/secrets/SLACK_TOKEN" } } },
    verdict: "refused",
    kind: "security",
    reason: "it holds platform credentials",
  },
  {
    id: "secret-in-other-project",
    input: "a secret in a project not allowlisted",
    change: { environment: { secretEnv: { TOKEN: "projects/other-team-prod/secrets/TOKEN" } } },
    verdict: "refused",
    kind: "security",
    reason: "a workload reads secrets of its own project and of allowlisted ones only",
  },
  {
    id: "subdomain-wildcard",
    input: "a wildcard subdomain",
    change: {
      environment: {
        domain: { type: "cloudflare", cloudflare: { subdomain: "*.compat", zone: "sgdev.org" } },
      },
    },
    verdict: "refused",
    kind: "security",
    reason: "it would publish every name under the zone",
  },
  {
    id: "subdomain-punycode",
    input: "a punycode (xn--) subdomain",
    change: {
      environment: {
        domain: { type: "cloudflare", cloudflare: { subdomain: "xn--cmpat-2ta", zone: "sgdev.org" } },
      },
    },
    verdict: "refused",
    kind: "security",
    reason: "can imitate another name",
  },
  {
    id: "zone-not-allowed",
    input: "a zone outside msp:allowedZones",
    change: {
      environment: {
        domain: { type: "cloudflare", cloudflare: { subdomain: "compat", zone: "example.com" } },
      },
    },
    verdict: "refused",
    kind: "security",
    reason: "the platform publishes records only in the zones it manages",
  },
];

const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** `base` with `change` merged in: objects key by key, anything else replaced, `null` removes the key. */
function merged(base: JsonObject, change: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(change)) {
    if (value === null) delete out[key];
    else {
      const before = out[key];
      out[key] = isObject(before) && isObject(value) ? merged(before, value) : value;
    }
  }
  return out;
}

/** The spec a row describes, as a plain object (stringify it as YAML to load it). */
export function specOfRow(row: CompatibilityRow): JsonObject {
  const spec = merged(BASE_SPEC, row.change.spec ?? {});
  const environment = row.change.environment;
  if (!environment) return spec;
  const [first, ...rest] = spec.environments as JsonObject[];
  return { ...spec, environments: [merged(first!, environment), ...rest] };
}

// ------------------------------------------------------------------------------------------------------------
// The README's table.

/** The README's section between these markers is `compatibilityMarkdown()` (a test compares them). */
export const README_COMPATIBILITY_BEGIN =
  "<!-- BEGIN MSP compatibility: generated from servicespec/msp-compatibility.ts -->";
export const README_COMPATIBILITY_END = "<!-- END MSP compatibility -->";

/** A value as YAML flow text (`{minCount: 3, maxCount: 2}`), for a table cell. */
function flow(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(flow).join(", ")}]`;
  if (isObject(v))
    return `{${Object.entries(v)
      .map(([k, x]) => `${/^[A-Za-z_][\w.-]*$/.test(k) ? k : JSON.stringify(k)}: ${flow(x)}`)
      .join(", ")}}`;
  if (typeof v === "string")
    return /^[A-Za-z0-9/][\w./-]*$/.test(v) && !/^(true|false|null|\d)/.test(v) ? v : JSON.stringify(v);
  return String(v);
}

/** `a.b.c: value` for each leaf chain of single keys: the change as short as it can be written. */
function changeLines(prefix: string, v: JsonObject): string[] {
  return Object.entries(v).map(([k, x]) => {
    let path = `${prefix}${k}`;
    let value: Json = x;
    while (isObject(value) && Object.keys(value).length === 1) {
      const [[inner, next]] = Object.entries(value) as [[string, Json]];
      path += `.${inner}`;
      value = next;
    }
    return `${path}: ${flow(value)}`;
  });
}

const cell = (s: string) => s.replaceAll("|", "\\|");
const code = (s: string) => `\`${cell(s)}\``;

/** One line per row: the input, its change to the base spec, MSP's and our verdict, and why. */
export function compatibilityMarkdown(): string {
  const rows = COMPATIBILITY.map((r) => {
    const lines = r.shown
      ? [r.shown]
      : [
          ...changeLines("", r.change.spec ?? {}),
          ...changeLines("environments[0].", r.change.environment ?? {}),
        ];
    const change = lines.map(code).join("<br>");
    const verdict = r.verdict === "accepted" ? "accepted" : `refused (${r.kind})`;
    const why = r.verdict === "accepted" ? r.note : r.reason;
    return `| ${cell(r.input)} | ${change} | accepted | ${verdict} | ${cell(why)} |`;
  });
  return [
    "| Input | Change to the minimal spec | MSP | msp | Why / what happens |",
    "|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}
