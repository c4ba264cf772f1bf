/**
 * The service spec (`services/<id>/service.yaml`), field for field the format of Sourcegraph's Managed
 * Services Platform. Rules that involve a single subtree live here as refinements so that they run even
 * when another part of the file is broken; rules across the whole spec live in `rules.ts`.
 */
import { z } from "zod";
import { memoryToMiB, cronGapRule, isSecretReference, SECRET_REFERENCE_HELP } from "./values";
import { categoryDescriptions, doc, perCategory } from "./field-docs";
import { parseRepository, tagProblem } from "../platform/oci-reference";
import { CATEGORIES } from "../platform/categories";
import {
  defaultPostgresMemoryGB,
  ENVIRONMENT_ID,
  ENVIRONMENT_ID_RULE,
  PROJECT_ID_RULE,
} from "../platform/naming";

// Every field carries `.meta(doc(...))`: what it means, its default (per category where the category decides)
// and examples. `msp schema` turns them into the JSON Schema that editors show on hover and completion.

export const GCP_REGIONS = [
  "us-central1",
  "us-west1",
  "asia-northeast1",
  "australia-southeast1",
  "europe-west2",
  "europe-west3",
  "northamerica-northeast1",
] as const;

const nonEmpty = (what: string) => z.string().min(1, { error: `${what} must not be empty` });

/** An image tag, by the OCI grammar (platform/oci-reference.ts): it is printed in commands and passed to the cloud. */
const imageTag = (what: string) =>
  z
    .string()
    .min(1, { error: `${what} must not be empty: an empty tag names no image` })
    .check((ctx) => {
      if (ctx.value === "") return;
      const problem = tagProblem(ctx.value);
      if (problem) ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
    });

const iamRole = z
  .string()
  .regex(
    /^(roles\/[A-Za-z.]+|projects\/[a-z0-9-]+\/roles\/[A-Za-z0-9_.]+|organizations\/\d+\/roles\/[A-Za-z0-9_.]+)$/,
    {
      error:
        "must be a predefined role (roles/<name>) or a custom role (projects/<id>/roles/<name> or organizations/<id>/roles/<name>): organization IDs are numeric, project IDs lowercase letters, digits and '-'",
    },
  );

export const serviceSpec = z.strictObject({
  id: z
    .string()
    .max(20, { error: "must be at most 20 characters (it prefixes project IDs, which are limited to 30)" })
    .regex(/^[a-z0-9-]+$/, { error: "must contain only lowercase letters, digits and '-'" })
    .meta(
      doc(
        "Service ID: the folder services/<id>, the stacks <id>-<env>, the prefix of project IDs and resource names. Lowercase letters, digits and '-', at most 20 characters; never changes once deployed.",
        { examples: ["releaseregistry"] },
      ),
    ),
  name: nonEmpty("name")
    // GCP's project display name characters (https://cloud.google.com/resource-manager/reference/rest/v3/projects:
    // letters, digits, hyphen, single and double quote, space, exclamation point); no ':' or '#', so a name
    // printed at the start of a line can never be a GitHub Actions workflow command.
    .regex(/^[A-Za-z0-9][A-Za-z0-9 '"!-]*$/, {
      error:
        "must be letters, digits, spaces, '-', quotes and '!', starting with a letter or digit: it names the GCP project ('<name> - <env>'), and GCP refuses other characters in a project's display name",
    })
    .optional()
    .meta(
      doc(
        "Display name: project display names ('<name> - <env>', at most 30 characters), alert subjects, the handbook title.",
        { default: "the service ID", examples: ["Release Registry"] },
      ),
    ),
  owners: z
    .array(
      // Each owner names Secret Manager secrets (the paging webhook OPSGENIE_WEBHOOK_<owner>: [A-Za-z0-9_-],
      // https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets/create) and resources.
      nonEmpty("an owner").regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, {
        error: "must be a team name of letters, digits, '-' and '_' (it names secrets and resources)",
      }),
    )
    .min(1, { error: "needs at least one owner team (the team paged for CRITICAL alerts)" })
    .meta(
      doc(
        "Owning teams (Opsgenie team names): paged for CRITICAL alerts in production environments (internal, external) and listed in the handbook.",
        { examples: [["core-services"]] },
      ),
    ),
  description: nonEmpty("description")
    .refine((d) => d.trim() !== "TODO", {
      error: "must describe the service (replace the TODO left by `msp init`)",
    })
    .meta(
      doc("What the service does and who relies on it; must not be TODO.", {
        examples: ["Release registry of Sourcegraph versions, read by instances checking for updates."],
      }),
    ),
  notionPageID: z
    .string()
    .min(1)
    .refine((v) => !v.includes(".notion.") && !v.includes("?"), {
      error: "must be the page ID only, not a Notion URL",
    })
    .optional()
    .meta(
      doc(
        "ID (not the URL) of the service's Notion operations page, https://sourcegraph.notion.site/<id>; accepted for MSP compatibility.",
      ),
    ),
  kind: z
    .enum(["service", "job"], { error: "must be service or job: only a Cloud Run service or job is built" })
    .default("service")
    .meta(
      doc("What runs: a Cloud Run service or a Cloud Run job.", {
        values: {
          service:
            "A Cloud Run service answering HTTP (gRPC with protocol: h2c), optionally behind a domain.",
          job: "A Cloud Run job, run by Cloud Scheduler on schedule.cron or by hand; no domain, no scaling.",
        },
      }),
    ),
  protocol: z
    .literal("h2c", { error: "must be h2c or left out (HTTP/1): Cloud Run names the port http1 or h2c" })
    .optional()
    .meta(
      doc(
        "h2c for gRPC or HTTP/2 without TLS (names the Cloud Run port h2c; a proxied Cloudflare zone must allow gRPC).",
        { default: "HTTP/1" },
      ),
    ),
  iam: z
    .strictObject({
      services: z
        .array(nonEmpty("a service"))
        .optional()
        .meta(doc("Extra GCP APIs to enable in the project.", { examples: [["bigquery.googleapis.com"]] })),
      roles: z
        .array(iamRole)
        .optional()
        .meta(
          doc(
            "IAM roles granted to the workload service account: roles/<name>, projects/<id>/roles/<name> or organizations/<id>/roles/<name>.",
            { examples: [["roles/bigquery.jobUser"]] },
          ),
        ),
      permissions: z
        .array(
          z
            .string()
            .regex(/^[a-z]+\.[A-Za-z]+\.[A-Za-z]+$/, { error: "must look like service.resource.verb" }),
        )
        .optional()
        .meta(
          doc(
            "Permissions bundled into the project's custom role msp_workload_custom_role, granted to the workload service account.",
            { examples: [["bigquery.tables.getData"]] },
          ),
        ),
    })
    .optional()
    .meta(doc("Extra permissions of the workload service account.")),
});

export const buildSpec = z.strictObject({
  image: nonEmpty("image")
    .check((ctx) => {
      // The OCI reference grammar, not a looser pattern: the image is printed in commands (msp release create).
      const parsed = parseRepository(ctx.value);
      if ("problem" in parsed) ctx.issues.push({ code: "custom", message: parsed.problem, input: ctx.value });
    })
    .meta(
      doc(
        "Container image repository without a tag or digest (the deploy type chooses the tag). A gcr.io or Artifact Registry repository in another project gets read access for the Cloud Run service agent.",
        { examples: ["us-central1-docker.pkg.dev/sourcegraph-ci/msp/releaseregistry"] },
      ),
    ),
  source: z
    .strictObject({
      repo: nonEmpty("repo").meta(
        doc("Source repository, linked from the handbook.", {
          examples: ["github.com/sourcegraph/sourcegraph"],
        }),
      ),
      dir: nonEmpty("dir").meta(
        doc("Folder of the service in the repository.", { examples: ["cmd/releaseregistry"] }),
      ),
    })
    .optional()
    .meta(
      doc(
        "Where the service's code lives: the handbook links it, Cloud Deploy's pipeline names the repository.",
        {
          default: "none (MSP checks nothing here): no source link, no repository annotation",
        },
      ),
    ),
});

const deploySpec = z
  .strictObject({
    type: z
      .enum(["manual", "subscription", "rollout"], {
        error: "invalid deploy type: use manual, subscription or rollout",
      })
      .meta(
        doc("How new images reach the environment.", {
          values: {
            manual: "The tag in manual.tag, changed by editing the spec.",
            subscription: "Follows subscription.tag: the tag is resolved to a digest at deploy time.",
            rollout: "Cloud Deploy releases set the image; the environment must be one of rollout.stages.",
          },
        }),
      ),
    manual: z
      .strictObject({ tag: imageTag("tag").default("insiders").meta(doc("Image tag to deploy.")) })
      .optional()
      .meta(doc("Settings of type: manual.")),
    subscription: z
      .strictObject({
        tag: imageTag("tag").meta(doc("Image tag to follow.", { examples: ["main", "insiders"] })),
      })
      .optional()
      .meta(doc("Settings of type: subscription (required with it).")),
  })
  .superRefine((d, ctx) => {
    if (d.type === "manual" && d.subscription)
      ctx.addIssue({
        code: "custom",
        path: ["subscription"],
        message: "is not allowed with type: manual (remove it)",
      });
    if (d.type === "subscription" && d.manual)
      ctx.addIssue({
        code: "custom",
        path: ["manual"],
        message: "is not allowed with type: subscription (remove it)",
      });
    if (d.type === "subscription" && !d.subscription)
      ctx.addIssue({
        code: "custom",
        path: ["type"],
        message: "subscription needs subscription.tag (the tag to follow)",
      });
    if (d.type === "rollout" && (d.manual || d.subscription))
      ctx.addIssue({
        code: "custom",
        path: [d.manual ? "manual" : "subscription"],
        message:
          "is not allowed with type: rollout: Cloud Deploy sets the image, so the tag would be ignored (remove it)",
      });
  });

const locationsSpec = z.strictObject({
  gcpRegion: z.enum(GCP_REGIONS, { error: `must be one of ${GCP_REGIONS.join(", ")}` }).meta(
    doc("Region of Cloud Run, Cloud SQL, Redis and the network.", {
      default: "us-central1 when the locations block is left out",
      values: {
        "us-central1": "Iowa, USA",
        "us-west1": "Oregon, USA",
        "asia-northeast1": "Tokyo, Japan",
        "australia-southeast1": "Sydney, Australia",
        "europe-west2": "London, United Kingdom",
        "europe-west3": "Frankfurt, Germany",
        "northamerica-northeast1": "Montréal, Canada",
      },
    }),
  ),
  gcpLocation: z
    .string()
    .refine((v) => ["us", "europe"].includes(v.toLowerCase()), {
      error: "must be US or EUROPE (the BigQuery multi-region)",
    })
    .meta(
      doc("BigQuery multi-region, US or EUROPE (any case).", {
        default: "US when the locations block is left out",
        examples: ["US", "EUROPE"],
      }),
    ),
});

const domainSpec = z
  .strictObject({
    type: z
      .enum(["none", "cloudflare", ""], {
        error: "must be none or cloudflare: only Cloudflare domains are built",
      })
      .optional()
      .meta(
        doc("Whether the service gets a domain.", {
          default: "none",
          values: {
            none: "No domain: ingress stays internal and load balancer (MSP's), so only callers inside Google Cloud reach the service.",
            cloudflare:
              "A Cloudflare DNS record <subdomain>.<zone> in front of a Google HTTPS load balancer.",
            "": "Same as none (older specs).",
          },
        }),
      ),
    cloudflare: z
      .strictObject({
        subdomain: nonEmpty("subdomain").meta(
          doc("Record name in the zone.", { examples: ["releaseregistry"] }),
        ),
        zone: nonEmpty("zone").meta(
          doc("Cloudflare zone; one of the platform's msp:allowedZones (Pulumi.yaml).", {
            examples: ["sourcegraph.com", "sgdev.org"],
          }),
        ),
        proxied: z
          .boolean()
          .default(true)
          .meta(
            doc(
              "Proxy through Cloudflare: WAF and an origin certificate, plus a Cloud Armor policy admitting only Cloudflare in production categories. false: DNS only, with a Google-managed certificate.",
            ),
          ),
        required: z.boolean().optional().meta(doc("Unused; accepted for compatibility with older specs.")),
      })
      .optional()
      .meta(doc("The Cloudflare record <subdomain>.<zone> (required with type: cloudflare).")),
    networking: z
      .strictObject({
        loadBalancerLogging: z
          .boolean()
          .default(false)
          .meta(doc("Log every request at the load balancer (sample rate 1.0).")),
      })
      .optional()
      .meta(doc("Load balancer settings.")),
  })
  .superRefine((d, ctx) => {
    if (d.type === "cloudflare" && !d.cloudflare)
      ctx.addIssue({
        code: "custom",
        path: ["type"],
        message: "cloudflare needs a cloudflare block: the record needs a subdomain and a zone",
      });
  });

const healthProbesSpec = z
  .strictObject({
    healthzProbes: z
      .boolean()
      .optional()
      .meta(
        doc("Probe GET /-/healthz (with the diagnostics secret) at startup and while running.", {
          default: "true when the healthProbes block is present",
        }),
      ),
    timeout: z
      .int()
      .min(1, { error: "must be at least 1 second: Cloud Run probes time out after 1 to 240 seconds" })
      .optional()
      .meta(doc("Probe timeout in seconds.", { default: "3" })),
    startupInterval: z
      .int()
      .min(1)
      .optional()
      .meta(
        doc(
          "Seconds between startup probes, at least the timeout; startup may take 3 intervals. Left out, with Cloud SQL or Redis (reached through Direct VPC egress, whose connections can take a minute at instance start), the platform lets startup take at least 60 s.",
          { default: "the timeout" },
        ),
      ),
    livenessInterval: z
      .int()
      .min(1)
      .max(3600, { error: "must be at most 3600 seconds" })
      .optional()
      .meta(doc("Seconds between liveness probes, at least the timeout.", { default: "10 x the timeout" })),
  })
  .superRefine((p, ctx) => {
    if (p.healthzProbes === false) {
      for (const k of ["timeout", "startupInterval", "livenessInterval"] as const)
        if (p[k] !== undefined)
          ctx.addIssue({ code: "custom", path: [k], message: "must not be set when healthzProbes is false" });
      return;
    }
    const timeout = p.timeout ?? 3;
    for (const k of ["startupInterval", "livenessInterval"] as const) {
      const v = p[k];
      if (v !== undefined && v < timeout)
        ctx.addIssue({
          code: "custom",
          path: [k],
          message: `must be at least the probe timeout (${timeout}s)`,
        });
    }
  });

const instancesSpec = z.strictObject({
  resources: z
    .strictObject({
      cpu: z
        .int()
        .min(1, { error: "must be at least 1" })
        .max(8, {
          error: "must be at most 8: lower maxRequestConcurrency and raise scaling.maxCount instead",
        })
        .meta(
          doc(
            "vCPUs per instance, 1 to 8. More memory needs more CPU: over 4Gi at least 2, over 8Gi 4, over 16Gi 6, over 24Gi 8.",
            { examples: [1, 2] },
          ),
        ),
      memory: z
        .string()
        .refine((m) => memoryToMiB(m) !== undefined, {
          error: "must be a Kubernetes quantity such as 512Mi or 2Gi",
        })
        .meta(
          doc(
            "Memory per instance as a Kubernetes quantity, 512Mi to 32Gi; more than 4 CPUs need at least 2Gi, more than 6 need 4Gi.",
            { examples: ["512Mi", "1Gi", "2Gi"] },
          ),
        ),
      cloudRunGeneration: z
        .union(
          [
            z.literal(1).meta(doc("First-generation execution environment: fast cold starts.")),
            z
              .literal(2)
              .meta(
                doc(
                  "Second-generation execution environment: full Linux compatibility, faster CPU and network.",
                ),
              ),
          ],
          { error: "must be 1 or 2: Cloud Run has execution environments 1 and 2" },
        )
        .optional()
        .meta(doc("Cloud Run execution environment.", { default: "Cloud Run's choice" })),
    })
    .superRefine((r, ctx) => {
      const mib = memoryToMiB(r.memory);
      // The matrix only makes sense once each value is in range on its own.
      if (mib === undefined || r.cpu < 1 || r.cpu > 8) return;
      if (mib < 512) ctx.addIssue({ code: "custom", path: ["memory"], message: "must be at least 512Mi" });
      if (mib > 32 * 1024)
        ctx.addIssue({ code: "custom", path: ["memory"], message: "must be at most 32Gi" });
      const gib = Math.floor(mib / 1024);
      const cpuFloor = gib > 24 ? 8 : gib > 16 ? 6 : gib > 8 ? 4 : gib > 4 ? 2 : 1;
      if (r.cpu < cpuFloor)
        ctx.addIssue({
          code: "custom",
          path: ["cpu"],
          message: `must be at least ${cpuFloor} for ${r.memory} of memory`,
        });
      const memFloor = r.cpu > 6 ? 4 : r.cpu > 4 ? 2 : 0;
      if (gib < memFloor)
        ctx.addIssue({
          code: "custom",
          path: ["memory"],
          message: `must be at least ${memFloor}Gi for ${r.cpu} CPUs`,
        });
    })
    .meta(doc("CPU and memory of each instance (Cloud Run's CPU/memory matrix applies).")),
  scaling: z
    .strictObject({
      minCount: z
        .int()
        .min(0)
        .optional()
        .meta(
          doc("Instances kept running (no cold starts); at most maxCount.", {
            default: perCategory((d) => d.minInstancesByDefault),
          }),
        ),
      maxCount: z
        .int()
        .min(1)
        .max(1000)
        .default(5)
        .meta(doc("Maximum instances; with a scaling block, 5 or more adds the instance-count alert.")),
      maxRequestConcurrency: z
        .int()
        .min(1, { error: "must be at least 1" })
        .max(1000, {
          error: "must be at most 1000: Cloud Run serves at most 1000 concurrent requests per instance",
        })
        .default(1000)
        .meta(doc("Concurrent requests per instance.")),
    })
    .superRefine((s, ctx) => {
      if (s.minCount !== undefined && s.minCount > s.maxCount)
        ctx.addIssue({
          code: "custom",
          path: ["minCount"],
          message: `must not exceed maxCount (${s.maxCount}): Cloud Run refuses a minimum instance count above the maximum`,
        });
    })
    .optional()
    .meta(doc("Instance counts (kind: service only).")),
});

const secretReference = z
  .string()
  .superRefine((v, ctx) => {
    const problem = isSecretReference(v);
    if (problem) ctx.addIssue({ code: "custom", message: `${problem} (${SECRET_REFERENCE_HELP})` });
  })
  .meta(
    doc(
      "Secret Manager secret (always its latest version): a name in the environment's project, or projects/<project>/secrets/<name> in another project (access is granted).",
      { examples: ["RELEASE_REGISTRY_TOKEN", "projects/sourcegraph-secrets/secrets/SHARED_TOKEN"] },
    ),
  );

/**
 * A variable name as Cloud Run takes it (Knative's rule, Kubernetes' IsEnvVarName: letters, digits, '_', '-'
 * and '.', not starting with a digit); MSP checks nothing. Names with '-' or '.' load, as in MSP: programs read
 * them with getenv, though a shell cannot name them.
 */
const envVarName = /^[-._A-Za-z][-._A-Za-z0-9]*$/;
const envMap = <T extends z.ZodType>(value: T) =>
  z.record(
    z.string().regex(envVarName, {
      error:
        "is not a valid environment variable name: Cloud Run takes letters, digits, '_', '-' and '.', not starting with a digit",
    }),
    value,
  );

const secretVolumeSpec = z.strictObject({
  mountPath: z
    .string()
    .superRefine((p, ctx) => {
      if (!p.startsWith("/")) ctx.addIssue({ code: "custom", message: "must be an absolute path" });
      else {
        const file = p.slice(p.lastIndexOf("/") + 1);
        const dir = p.slice(0, p.lastIndexOf("/"));
        if (!file || !dir)
          ctx.addIssue({
            code: "custom",
            message: "must have a directory and a file name, e.g. /etc/app/key.pem",
          });
      }
    })
    .meta(doc("Absolute path of the read-only file (mode 0444).", { examples: ["/etc/app/key.pem"] })),
  secret: secretReference,
});

const redisSpec = z.strictObject({
  memoryGB: z
    .int()
    .min(1, { error: "must be 1 to 300: Memorystore instances have 1 to 300 GB" })
    .max(300, { error: "must be 1 to 300: Memorystore instances have 1 to 300 GB" })
    .default(1)
    .meta(doc("Memory of the instance in GB.")),
  highAvailability: z
    .boolean()
    .optional()
    .meta(
      doc("Regional instance with a replica (STANDARD_HA) instead of a zonal one (BASIC).", {
        default: perCategory((d) => d.highAvailabilityByDefault),
      }),
    ),
});

const postgresSpec = z
  .strictObject({
    databases: z
      .array(z.string().regex(/^[a-z_][a-z0-9_-]*$/, { error: "must be a lowercase database name" }))
      .min(1, {
        error: "needs at least one database",
      })
      .meta(
        doc("Databases to create; the workload and the read-only operator account connect with IAM.", {
          examples: [["primary"]],
        }),
      ),
    cpu: z
      .int()
      .min(1)
      .max(96, { error: "must be at most 96" })
      .default(1)
      .meta(doc("vCPUs of the instance: 1 or an even number, at most 96.")),
    memoryGB: z
      .int()
      .min(4, { error: "must be at least 4" })
      .optional()
      .meta(
        doc("Memory in GB: at least 4 and at least cpu, at most 6 x cpu.", {
          default: "4, or cpu when it is above 4 (Cloud SQL's floor)",
        }),
      ),
    maxConnections: z
      .int()
      .min(14, { error: "must be at least 14: Cloud SQL refuses max_connections outside 14 to 262143" })
      .max(262143, {
        error: "must be at most 262143: Cloud SQL refuses max_connections outside 14 to 262143",
      })
      .optional()
      .meta(doc("The max_connections flag.", { default: "Cloud SQL's (the connection alerts assume 100)" })),
    highAvailability: z
      .boolean()
      .optional()
      .meta(
        doc(
          "Regional instance with a standby; also turns on point-in-time recovery. Changing it restarts the instance.",
          { default: perCategory((d) => d.highAvailabilityByDefault) },
        ),
      ),
    logicalReplication: z
      .strictObject({
        publications: z
          .array(
            z.strictObject({
              name: nonEmpty("name").meta(doc("Publication name, unique.")),
              database: nonEmpty("database").meta(doc("One of databases.")),
              tables: z
                .array(nonEmpty("a table"))
                .min(1)
                .meta(doc("Existing tables to publish.", { examples: [["users", "events"]] })),
            }),
          )
          .optional()
          .meta(doc("Publications for downstream consumers such as Datastream.")),
      })
      .optional()
      .meta(doc("Turns on cloudsql.logical_decoding (a restart); {} enables it without publications.")),
  })
  .superRefine((p, ctx) => {
    if (p.cpu !== 1 && p.cpu % 2 !== 0)
      ctx.addIssue({ code: "custom", path: ["cpu"], message: "must be 1 or an even number" });
    const memoryGB = p.memoryGB ?? defaultPostgresMemoryGB(p.cpu);
    if (memoryGB < p.cpu)
      ctx.addIssue({ code: "custom", path: ["memoryGB"], message: `must be at least cpu (${p.cpu})` });
    if (memoryGB > 6 * p.cpu)
      ctx.addIssue({ code: "custom", path: ["memoryGB"], message: `must be at most 6 x cpu (${6 * p.cpu})` });
    for (const [i, pub] of (p.logicalReplication?.publications ?? []).entries()) {
      if (!p.databases.includes(pub.database))
        ctx.addIssue({
          code: "custom",
          path: ["logicalReplication", "publications", i, "database"],
          message: `must be one of the databases (${p.databases.join(", ")}): the publication is created in that database`,
        });
      if (p.logicalReplication!.publications!.findIndex((o) => o.name === pub.name) !== i)
        ctx.addIssue({
          code: "custom",
          path: ["logicalReplication", "publications", i, "name"],
          message: "must be unique",
        });
    }
  });

const bigQuerySpec = z.strictObject({
  tables: z
    .array(z.string().regex(/^[A-Za-z0-9_]+$/, { error: "must be a BigQuery table name ([A-Za-z0-9_])" }))
    .min(1, {
      error: "needs at least one table",
    })
    .meta(
      doc("Tables; each needs its schema in <table>.bigquerytable.json beside service.yaml.", {
        examples: [["usage_events"]],
      }),
    ),
  datasetID: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,1024}$/, {
      error: "must contain only letters, digits and _: BigQuery dataset IDs are letters, digits and '_'",
    })
    .optional()
    .meta(doc("Dataset ID.", { default: "the service ID with '-' replaced by '_'" })),
  projectID: z
    .string()
    .optional()
    .meta(
      doc("Project holding the dataset, e.g. a shared analytics project.", {
        default: "the environment's project",
      }),
    ),
});

const scheduleSpec = z.strictObject({
  cron: z
    .string()
    .superRefine((cron, ctx) => {
      const problem = cronGapRule(cron);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .meta(
      doc("Five-field cron in UTC (Cloud Scheduler); runs must be 15 minutes to 8 days apart.", {
        examples: ["0 * * * *", "0 */2 * * *"],
      }),
    ),
  deadline: z.int().optional().meta(doc("Superseded by deadlineSeconds; accepted for older specs.")),
});

const OLDER_PROBE_FIELD =
  "Older MSP field, superseded by healthProbes; accepted so older specs load, and mapped onto healthProbes.";

export const environmentSpec = z
  .strictObject({
    id: z
      .string()
      .regex(ENVIRONMENT_ID, { error: ENVIRONMENT_ID_RULE })
      .meta(
        doc("Environment ID, lowercase letters, digits and '-' inside: the stack is <service>-<id>.", {
          examples: ["dev", "prod", "prod-eu"],
        }),
      ),
    projectID: z
      .string()
      .min(6, { error: `must be at least 6 characters: ${PROJECT_ID_RULE}` })
      .max(30, { error: `must be at most 30 characters: ${PROJECT_ID_RULE}` })
      .regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, {
        error: `must be lowercase letters, digits and '-', starting with a letter and not ending with '-': ${PROJECT_ID_RULE}`,
      })
      .meta(
        doc(
          "GCP project ID, <service>-<env>-<suffix>, at most 30 characters (`msp init`/`msp init-env` write one). It can never change once the project exists.",
          { examples: ["releaseregistry-prod-8f3a"] },
        ),
      ),
    category: z.enum(CATEGORIES, { error: "must be one of test, internal, external" }).meta(
      doc(
        "What the environment is for. It decides the GCP folder, high availability, minimum instances, Cloud Armor, paging, audit logs and which policies are mandatory (platform/categories.ts).",
        {
          values: categoryDescriptions(),
        },
      ),
    ),
    deploy: deploySpec.meta(doc("How images are deployed.")),
    locations: locationsSpec.optional().meta(
      doc("Where the environment's resources live; both fields are required when the block is present.", {
        default: "us-central1 and US",
      }),
    ),
    domain: domainSpec.optional().meta(
      doc("Public domain of a service (kind: service only).", {
        default:
          "none: only callers inside Google Cloud reach the service (ingress internal and load balancer, as in MSP)",
      }),
    ),
    healthProbes: healthProbesSpec.optional().meta(
      doc("MSP's /-/healthz startup and liveness probes (kind: service only).", {
        default: "no probes: Cloud Run's own startup check (up to 240 s on /)",
      }),
    ),
    startupProbe: z
      .strictObject({
        disabled: z.boolean().optional().meta(doc("Older form of healthProbes.healthzProbes: false.")),
        timeout: z.int().min(1).optional().meta(doc("Older form of healthProbes.timeout.")),
        interval: z.int().min(1).optional().meta(doc("Older form of healthProbes.startupInterval.")),
      })
      .optional()
      .meta(doc(OLDER_PROBE_FIELD)),
    livenessProbe: z
      .strictObject({
        timeout: z.int().min(1).optional().meta(doc("Older form of healthProbes.timeout.")),
        interval: z
          .int()
          .min(1)
          .max(3600)
          .optional()
          .meta(doc("Older form of healthProbes.livenessInterval.")),
      })
      .optional()
      .meta(doc(OLDER_PROBE_FIELD)),
    authentication: z
      .strictObject({
        sourcegraph: z
          .boolean()
          .optional()
          .meta(
            doc("Allow every sourcegraph.com Google account (domain:sourcegraph.com) to invoke the service."),
          ),
      })
      .optional()
      .meta(
        doc(
          "Who may invoke the service (kind: service only). {}: only identities granted explicitly (and no external uptime check).",
          { default: "public: allUsers may invoke it" },
        ),
      ),
    schedule: scheduleSpec.optional().meta(
      doc("When the job runs (kind: job only).", {
        default: "no schedule: the job runs only when executed by hand",
      }),
    ),
    deadlineSeconds: z
      .int()
      .min(1, { error: "must be at least 1: Cloud Run job tasks time out after at least 1 second" })
      .max(86400, { error: "must be at most 86400 (24h)" })
      .optional()
      .meta(
        doc(
          "Task timeout of the job in seconds, also the scheduler's attempt deadline and JOB_EXECUTION_DEADLINE (kind: job only).",
          { default: "300" },
        ),
      ),
    instances: instancesSpec.meta(doc("Size and scaling of the Cloud Run workload.")),
    env: envMap(z.string())
      .optional()
      .meta(
        doc(
          "Plain environment variables; values may use {{ .ProjectID }} and {{ .ServiceDnsName }}. Secrets belong in secretEnv.",
          { examples: [{ SRC_LOG_LEVEL: "info", EXTERNAL_URL: "https://{{ .ServiceDnsName }}" }] },
        ),
      ),
    secretEnv: envMap(secretReference)
      .optional()
      .meta(
        doc("Environment variables read from Secret Manager: variable name to secret.", {
          examples: [{ API_TOKEN: "RELEASE_REGISTRY_TOKEN" }],
        }),
      ),
    secretVolumes: z
      .record(nonEmpty("volume name"), secretVolumeSpec)
      .optional()
      .meta(doc("Secrets mounted as read-only files: volume name to mountPath and secret.")),
    resources: z
      .strictObject({
        redis: redisSpec
          .optional()
          .meta(doc("A Memorystore Redis instance on the private network, reached over TLS with AUTH.")),
        postgreSQL: postgresSpec
          .optional()
          .meta(
            doc(
              "A Cloud SQL PostgreSQL instance: private IP, IAM authentication, 90 daily backups, deletion protection.",
            ),
          ),
        bigQueryDataset: bigQuerySpec.optional().meta(doc("A BigQuery dataset and its tables.")),
      })
      .optional()
      .meta(doc("Data stores of the environment.")),
    alerting: z
      .strictObject({
        opsgenie: z
          .boolean()
          .optional()
          .meta(
            doc("Page the owners (Opsgenie) on CRITICAL alerts.", {
              default: perCategory((d) => d.pageOwnersByDefault),
            }),
          ),
        paging: z
          .enum(["webhook", "pagerduty"])
          .optional()
          .meta(
            doc(
              "Extension of the MSP format: how CRITICAL alerts reach each owner when the environment pages its owners (opsgenie, or the category's default). `webhook` posts to the URL already kept in the platform secret `<msp:pagingWebhookSecretPrefix><owner>`. `pagerduty` provisions, per owner, a PagerDuty service `<service name> - <env> (<owner>)` on the escalation policy named after the owner (it must exist) with an Events API v2 integration, whose key feeds a Cloud Monitoring `pagerduty` channel; the deployment reads the PagerDuty API token from the platform secret `msp:pagerdutyTokenSecret`.",
              {
                default: "webhook",
                values: {
                  webhook: "A paging webhook URL per owner, kept in a platform secret beforehand.",
                  pagerduty: "A PagerDuty service and integration per owner, created with the environment.",
                },
              },
            ),
          ),
      })
      .superRefine((a, ctx) => {
        if (a.paging !== undefined && a.opsgenie === false)
          ctx.addIssue({
            code: "custom",
            path: ["paging"],
            message: "pages nobody: opsgenie is false (remove paging, or set opsgenie: true)",
          });
      })
      .optional()
      .meta(
        doc("Where alerts go; WARNING and CRITICAL alerts always reach the environment's Slack channel."),
      ),
    logging: z
      .strictObject({
        exportToBigQuery: z
          .boolean()
          .optional()
          .meta(
            doc(
              "Route the environment's logs to a BigQuery dataset `logs` in its project (partitioned tables, protected like a data store): the load balancer's request logs (with domain.networking.loadBalancerLogging) in `requests`, Cloud Run's request logs in `run_googleapis_com_requests`, stdout in `run_googleapis_com_stdout` and stderr in `run_googleapis_com_stderr`.",
              { default: "false: logs stay in Cloud Logging only" },
            ),
          ),
      })
      .optional()
      .meta(doc("Extension of the MSP format: where the environment's logs go besides Cloud Logging.")),
    allowDestroys: z
      .boolean()
      .default(false)
      .meta(
        doc(
          "Lift deletion protection (and Pulumi protect) from the project, databases, datasets, Redis and the workload account: set it and deploy before tearing the environment down.",
        ),
      ),
    privateNetworking: z
      .strictObject({
        privateGoogleAccess: z
          .strictObject({
            cloudRunApps: z
              .boolean()
              .optional()
              .meta(doc("Reach *.run.app over Private Google Access. Not supported here: true is refused.")),
          })
          .optional()
          .meta(doc("Private Google Access settings.")),
        privateAccessPerimeter: z
          .strictObject({
            allowlistedProjects: z
              .array(z.string())
              .optional()
              .meta(doc("Projects allowed through the perimeter.")),
            allowlistedIdentities: z
              .array(
                z
                  .string()
                  .regex(/^(serviceAccount|user):/, { error: "must start with serviceAccount: or user:" }),
              )
              .optional()
              .meta(
                doc("Identities allowed through the perimeter.", {
                  examples: [["serviceAccount:ci@p.iam.gserviceaccount.com"]],
                }),
              ),
          })
          .optional()
          .meta(
            doc(
              "A VPC Service Controls perimeter around the Cloud Run APIs. Not supported here: it belongs to the organization's access policy, so it is refused.",
            ),
          ),
      })
      .optional()
      .meta(
        doc(
          "Experimental in MSP; an empty block is accepted, the settings that ask for something are refused.",
        ),
      ),
  })
  .meta({ title: "EnvironmentSpec" });

const durationMinutes = z
  .int()
  .min(0, { error: "must be at least 0 (0: the alert fires at the first evaluation over the threshold)" })
  .max(1440, { error: "must be at most 1440 (24h)" })
  .default(1)
  .meta(doc("Minutes the condition must hold before the alert fires, at most 1440."));

const monitoringSpec = z.strictObject({
  alerts: z
    .strictObject({
      responseCodeRatios: z
        .array(
          z
            .strictObject({
              id: nonEmpty("id").meta(doc("Unique ID of the alert.", { examples: ["server-errors"] })),
              name: nonEmpty("name").meta(doc("Alert name.", { examples: ["Server errors"] })),
              description: z
                .string()
                .optional()
                .meta(doc("What the alert means, in the notification and the handbook.")),
              code: z
                .int()
                .positive()
                .optional()
                .meta(doc("HTTP status code counted; set code or codeClass.", { examples: [401] })),
              codeClass: z
                .string()
                .regex(/^\dx+$/, { error: "must look like 4xx or 5xx" })
                .optional()
                .meta(doc("Class of status codes counted; set code or codeClass.", { examples: ["5xx"] })),
              excludeCodes: z
                .array(z.string())
                .optional()
                .meta(doc("Codes of the class not counted.", { examples: [["404"]] })),
              ratio: z
                .number()
                .min(0)
                .max(1, { error: "must be between 0 and 1" })
                .meta(
                  doc("Share of all responses (0 to 1) above which the alert fires.", { examples: [0.1] }),
                ),
              durationMinutes,
            })
            .superRefine((r, ctx) => {
              if ((r.code === undefined) === (r.codeClass === undefined))
                ctx.addIssue({
                  code: "custom",
                  path: ["code"],
                  message:
                    "set exactly one of code or codeClass: without one the alert does not say which responses it counts, with both it says two things",
                });
            }),
        )
        .optional()
        .meta(doc("Alerts when responses with a status code (or class) exceed a ratio of all responses.")),
      customAlerts: z
        .array(
          z.strictObject({
            name: z
              .string()
              .regex(/^[-A-Za-z0-9 ]+$/, { error: "must contain only letters, digits, spaces and '-'" })
              .meta(
                doc("Alert name, unique; letters, digits, spaces and '-'.", {
                  examples: ["Token issuance failures"],
                }),
              ),
            description: z
              .string()
              .optional()
              .meta(doc("What the alert means, in the notification and the handbook.")),
            severityLevel: z
              .enum(["WARNING", "CRITICAL"])
              .default("WARNING")
              .meta(
                doc("How loud the alert is.", {
                  values: {
                    WARNING: "Notifies the environment's Slack channels.",
                    CRITICAL: "Also pages the owners where alerting.opsgenie is on (production by default).",
                  },
                }),
              ),
            condition: z
              .strictObject({
                type: z.enum(["mql", "promql"]).meta(
                  doc("Query language.", {
                    values: {
                      mql: "Monitoring Query Language.",
                      promql: "PromQL over Cloud Monitoring metrics.",
                    },
                  }),
                ),
                query: nonEmpty("query").meta(
                  doc("The query; the alert fires while it returns a series.", {
                    examples: ['sum(rate(http_requests_total{code=~"5.."}[5m])) > 1'],
                  }),
                ),
                durationMinutes,
              })
              .meta(doc("When the alert fires.")),
          }),
        )
        .optional()
        .meta(doc("Alerts on your own MQL or PromQL queries.")),
    })
    .optional()
    .meta(
      doc(
        "Alerts added to the built-in ones (Cloud Run, Cloud SQL, Redis, uptime), which need no configuration.",
      ),
    ),
  nobl9: z
    .boolean()
    .optional()
    .meta(doc("MSP's Nobl9 trial. Not provisioned here: false is accepted, true is refused.")),
});

/**
 * A canary stage (extension): the phases' percentages, as Cloud Deploy's canaryDeployment.percentages wants them
 * (ascending, each 0 <= n < 100; 100 is the stable phase it adds itself). 0 would be a phase sending no traffic.
 */
const canarySpec = z.strictObject({
  percentages: z
    .array(
      z
        .int({ error: "must be a whole number of percent" })
        .min(1, { error: "must be at least 1 (a phase with no traffic tests nothing)" })
        .max(99, {
          error: "must be at most 99 (Cloud Deploy adds the 100% phase itself after the last one)",
        }),
    )
    .min(1, { error: "needs at least one percentage (e.g. [10, 50])" })
    .superRefine((ps, ctx) => {
      ps.forEach((p, i) => {
        if (i > 0 && p <= ps[i - 1]!)
          ctx.addIssue({
            code: "custom",
            path: [i],
            message: `must be greater than the phase before it (${ps[i - 1]}): percentages go up, one phase at a time`,
          });
      });
    })
    .meta(
      doc(
        "Percent of requests the new revision gets in each phase, in ascending order, each 1 to 99. A promotion advances one phase; after the last comes 100%.",
        { examples: [[10, 50], [25]] },
      ),
    ),
});

const rolloutSpec = z.strictObject({
  stages: z
    .array(
      z.strictObject({
        environment: nonEmpty("environment").meta(
          doc("Environment ID (with deploy.type: rollout).", { examples: ["dev"] }),
        ),
        canary: canarySpec
          .optional()
          .meta(
            doc(
              "Extension of the MSP format: roll this stage out in phases. Cloud Deploy first sends the listed percentages of requests to the new revision (Cloud Run traffic splitting), one phase at a time; each `gcloud deploy rollouts advance` moves to the next phase, and the last one to 100%. Without it the stage takes the whole release at once, as in MSP.",
            ),
          ),
      }),
    )
    .min(1, { error: "needs at least one stage" })
    .meta(doc("Environments in promotion order; each must use deploy.type: rollout.")),
  suspended: z
    .boolean()
    .default(false)
    .meta(doc("Suspend the pipeline: no promotions (direct Cloud Run deploys still work).")),
  serviceAccount: z
    .email({ error: "must be a service account email: IAM names a service account by its email" })
    .optional()
    .meta(doc("Extra service account (e.g. a CI identity) allowed to create releases.")),
  initialImageTag: imageTag("initialImageTag")
    .default("insiders")
    .meta(doc("Image tag of the first revision in every rollout environment.")),
});

export const specSchema = z
  .strictObject({
    service: serviceSpec.meta(
      doc("The service: identity, owners, kind and permissions.", { title: "ServiceSpec" }),
    ),
    build: buildSpec.meta(doc("The container image and where its code lives.", { title: "BuildSpec" })),
    environments: z
      .array(environmentSpec)
      .min(1, { error: "needs at least one environment" })
      .meta(doc("Environments, each one Pulumi stack <service>-<env> in a GCP project of its own.")),
    monitoring: monitoringSpec.default({}).meta(doc("Extra alerts.", { title: "MonitoringSpec" })),
    rollout: rolloutSpec.optional().meta(
      doc("A Cloud Deploy pipeline promoting releases through environments, in the final stage's project.", {
        title: "RolloutSpec",
      }),
    ),
  })
  .meta({
    title: "MSP service specification (services/<id>/service.yaml)",
    description:
      "One service of the Managed Services Platform, field for field the format of Sourcegraph's MSP. `npx msp validate` checks it with the cross-field rules too.",
  });

export type ServiceSpec = z.output<typeof specSchema>;
export type EnvironmentSpec = z.output<typeof environmentSpec>;
export type PostgresSpec = z.output<typeof postgresSpec>;
export type RedisSpec = z.output<typeof redisSpec>;
export type BigQuerySpec = z.output<typeof bigQuerySpec>;
export type ResponseCodeRatioSpec = NonNullable<
  NonNullable<ServiceSpec["monitoring"]["alerts"]>["responseCodeRatios"]
>[number];
export type CustomAlertSpec = NonNullable<
  NonNullable<ServiceSpec["monitoring"]["alerts"]>["customAlerts"]
>[number];
