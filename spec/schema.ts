/**
 * The service spec (`services/<id>/service.yaml`), field for field the format of Sourcegraph's Managed
 * Services Platform. Rules that involve a single subtree live here as refinements so that they run even
 * when another part of the file is broken; rules across the whole spec live in `rules.ts`.
 */
import { z } from "zod";
import { memoryToMiB, cronGapRule, isSecretReference, SECRET_REFERENCE_HELP } from "./values";

export const GCP_REGIONS = [
  "us-central1",
  "us-west1",
  "asia-northeast1",
  "australia-southeast1",
  "europe-west2",
  "europe-west3",
  "northamerica-northeast1",
] as const;

export const CATEGORIES = ["test", "internal", "external"] as const;
export type Category = (typeof CATEGORIES)[number];

const nonEmpty = (what: string) => z.string().min(1, { error: `${what} must not be empty` });

const iamRole = z
  .string()
  .regex(
    /^(roles\/[A-Za-z.]+|projects\/[a-z0-9-]+\/roles\/[A-Za-z0-9_.]+|organizations\/\d+\/roles\/[A-Za-z0-9_.]+)$/,
    {
      error:
        "must be a predefined role (roles/<name>) or a custom role (projects/<id>/roles/<name> or organizations/<id>/roles/<name>)",
    },
  );

export const serviceSpec = z.strictObject({
  id: z
    .string()
    .max(20, { error: "must be at most 20 characters (it prefixes project IDs, which are limited to 30)" })
    .regex(/^[a-z0-9-]+$/, { error: "must contain only lowercase letters, digits and '-'" }),
  name: nonEmpty("name").optional().describe("Display name; defaults to the service ID."),
  owners: z
    .array(nonEmpty("an owner"))
    .min(1, { error: "needs at least one owner team (the team paged for CRITICAL alerts)" }),
  description: nonEmpty("description").refine((d) => d.trim() !== "TODO", {
    error: "must describe the service (replace the TODO left by `msp init`)",
  }),
  notionPageID: z
    .string()
    .min(1)
    .refine((v) => !v.includes(".notion.") && !v.includes("?"), {
      error: "must be the page ID only, not a Notion URL",
    })
    .optional(),
  kind: z.enum(["service", "job"]).default("service"),
  protocol: z.literal("h2c", { error: "must be h2c or left out (HTTP/1)" }).optional(),
  iam: z
    .strictObject({
      services: z.array(nonEmpty("a service")).optional().describe("Extra GCP APIs to enable."),
      roles: z.array(iamRole).optional().describe("Roles granted to the workload service account."),
      permissions: z
        .array(
          z
            .string()
            .regex(/^[a-z]+\.[A-Za-z]+\.[A-Za-z]+$/, { error: "must look like service.resource.verb" }),
        )
        .optional()
        .describe("Bundled into the custom role msp_workload_custom_role."),
    })
    .optional(),
});

export const buildSpec = z.strictObject({
  image: nonEmpty("image")
    .refine((v) => !/:[^/]*$/.test(v) && !v.includes("@"), {
      error: "must be an image repository without a tag or digest (the deploy type chooses the tag)",
    })
    .describe("Image repository without a tag."),
  source: z.strictObject({
    repo: nonEmpty("repo").describe("e.g. github.com/sourcegraph/sourcegraph"),
    dir: nonEmpty("dir").describe("e.g. cmd/<id>"),
  }),
});

const deploySpec = z
  .strictObject({
    type: z.enum(["manual", "subscription", "rollout"], {
      error: "invalid deploy type: use manual, subscription or rollout",
    }),
    manual: z.strictObject({ tag: nonEmpty("tag").default("insiders") }).optional(),
    subscription: z.strictObject({ tag: nonEmpty("tag") }).optional(),
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
        message: "is not allowed with type: rollout (Cloud Deploy sets the image)",
      });
  });

const locationsSpec = z.strictObject({
  gcpRegion: z.enum(GCP_REGIONS, { error: `must be one of ${GCP_REGIONS.join(", ")}` }),
  gcpLocation: z.string().refine((v) => ["us", "europe"].includes(v.toLowerCase()), {
    error: "must be US or EUROPE (the BigQuery multi-region)",
  }),
});

const domainSpec = z
  .strictObject({
    type: z.enum(["none", "cloudflare", ""]).optional(),
    cloudflare: z
      .strictObject({
        subdomain: nonEmpty("subdomain"),
        zone: nonEmpty("zone"),
        proxied: z.boolean().default(true).describe("Proxy through Cloudflare (WAF, origin certificate)."),
        required: z.boolean().optional().describe("Unused; accepted for compatibility with older specs."),
      })
      .optional(),
    networking: z.strictObject({ loadBalancerLogging: z.boolean().default(false) }).optional(),
  })
  .superRefine((d, ctx) => {
    if (d.type === "cloudflare" && !d.cloudflare)
      ctx.addIssue({
        code: "custom",
        path: ["type"],
        message: "cloudflare needs a cloudflare block with subdomain and zone",
      });
  });

const healthProbesSpec = z
  .strictObject({
    healthzProbes: z.boolean().optional(),
    timeout: z.int().min(1, { error: "must be at least 1 second" }).optional(),
    startupInterval: z.int().min(1).optional(),
    livenessInterval: z.int().min(1).max(3600, { error: "must be at most 3600 seconds" }).optional(),
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
      cpu: z.int().min(1, { error: "must be at least 1" }).max(8, {
        error: "must be at most 8: lower maxRequestConcurrency and raise scaling.maxCount instead",
      }),
      memory: z.string().refine((m) => memoryToMiB(m) !== undefined, {
        error: "must be a Kubernetes quantity such as 512Mi or 2Gi",
      }),
      cloudRunGeneration: z.union([z.literal(1), z.literal(2)], { error: "must be 1 or 2" }).optional(),
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
    }),
  scaling: z
    .strictObject({
      minCount: z.int().min(0).optional().describe("Minimum instances; the category decides when unset."),
      maxCount: z.int().min(1).max(1000).default(5),
      maxRequestConcurrency: z.int().min(1).max(1000).default(1000),
    })
    .superRefine((s, ctx) => {
      if (s.minCount !== undefined && s.minCount > s.maxCount)
        ctx.addIssue({
          code: "custom",
          path: ["minCount"],
          message: `must not exceed maxCount (${s.maxCount})`,
        });
    })
    .optional(),
});

const secretReference = z.string().superRefine((v, ctx) => {
  const problem = isSecretReference(v);
  if (problem) ctx.addIssue({ code: "custom", message: `${problem} (${SECRET_REFERENCE_HELP})` });
});

const envVarName = /^[A-Za-z_][A-Za-z0-9_]*$/;
const envMap = <T extends z.ZodType>(value: T) =>
  z.record(z.string().regex(envVarName, { error: "must be a valid environment variable name" }), value);

const secretVolumeSpec = z.strictObject({
  mountPath: z.string().superRefine((p, ctx) => {
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
  }),
  secret: secretReference,
});

const redisSpec = z.strictObject({
  memoryGB: z.int().min(1).max(300).default(1),
  highAvailability: z.boolean().default(false),
});

const postgresSpec = z
  .strictObject({
    databases: z
      .array(z.string().regex(/^[a-z_][a-z0-9_-]*$/, { error: "must be a lowercase database name" }))
      .min(1, {
        error: "needs at least one database",
      }),
    cpu: z.int().min(1).max(96, { error: "must be at most 96" }).default(1),
    memoryGB: z.int().min(4, { error: "must be at least 4" }).default(4),
    maxConnections: z.int().min(14).max(262143).optional(),
    highAvailability: z.boolean().optional().describe("Regional instance; the category decides when unset."),
    logicalReplication: z
      .strictObject({
        publications: z
          .array(
            z.strictObject({
              name: nonEmpty("name"),
              database: nonEmpty("database"),
              tables: z.array(nonEmpty("a table")).min(1),
            }),
          )
          .optional(),
      })
      .optional(),
  })
  .superRefine((p, ctx) => {
    if (p.cpu !== 1 && p.cpu % 2 !== 0)
      ctx.addIssue({ code: "custom", path: ["cpu"], message: "must be 1 or an even number" });
    if (p.memoryGB < p.cpu)
      ctx.addIssue({ code: "custom", path: ["memoryGB"], message: `must be at least cpu (${p.cpu})` });
    if (p.memoryGB > 6 * p.cpu)
      ctx.addIssue({ code: "custom", path: ["memoryGB"], message: `must be at most 6 x cpu (${6 * p.cpu})` });
    for (const [i, pub] of (p.logicalReplication?.publications ?? []).entries()) {
      if (!p.databases.includes(pub.database))
        ctx.addIssue({
          code: "custom",
          path: ["logicalReplication", "publications", i, "database"],
          message: `must be one of the databases (${p.databases.join(", ")})`,
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
    }),
  datasetID: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,1024}$/, { error: "must contain only letters, digits and _" })
    .optional(),
  projectID: z.string().optional(),
});

const scheduleSpec = z.strictObject({
  cron: z.string().superRefine((cron, ctx) => {
    const problem = cronGapRule(cron);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
  deadline: z.int().optional().describe("Superseded by deadlineSeconds; accepted for older specs."),
});

export const environmentSpec = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+$/, { error: "must be lowercase letters and digits, e.g. dev or prod" }),
  projectID: z
    .string()
    .max(30, { error: "must be at most 30 characters" })
    .regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, { error: "must be lowercase letters, digits and '-'" }),
  category: z.enum(CATEGORIES, { error: "must be one of test, internal, external" }),
  deploy: deploySpec,
  locations: locationsSpec.optional(),
  domain: domainSpec.optional(),
  healthProbes: healthProbesSpec.optional(),
  startupProbe: z
    .strictObject({
      disabled: z.boolean().optional(),
      timeout: z.int().min(1).optional(),
      interval: z.int().min(1).optional(),
    })
    .optional()
    .describe(
      "Older MSP field, superseded by healthProbes; accepted so older specs load, and mapped onto healthProbes.",
    ),
  livenessProbe: z
    .strictObject({ timeout: z.int().min(1).optional(), interval: z.int().min(1).max(3600).optional() })
    .optional()
    .describe(
      "Older MSP field, superseded by healthProbes; accepted so older specs load, and mapped onto healthProbes.",
    ),
  authentication: z.strictObject({ sourcegraph: z.boolean().optional() }).optional(),
  schedule: scheduleSpec.optional(),
  deadlineSeconds: z.int().min(1).max(86400, { error: "must be at most 86400 (24h)" }).optional(),
  instances: instancesSpec,
  env: envMap(z.string()).optional(),
  secretEnv: envMap(secretReference).optional(),
  secretVolumes: z.record(nonEmpty("volume name"), secretVolumeSpec).optional(),
  resources: z
    .strictObject({
      redis: redisSpec.optional(),
      postgreSQL: postgresSpec.optional(),
      bigQueryDataset: bigQuerySpec.optional(),
    })
    .optional(),
  alerting: z.strictObject({ opsgenie: z.boolean().optional() }).optional(),
  allowDestroys: z.boolean().default(false),
  privateNetworking: z
    .strictObject({
      privateGoogleAccess: z.strictObject({ cloudRunApps: z.boolean().optional() }).optional(),
      privateAccessPerimeter: z
        .strictObject({
          allowlistedProjects: z.array(z.string()).optional(),
          allowlistedIdentities: z
            .array(
              z
                .string()
                .regex(/^(serviceAccount|user):/, { error: "must start with serviceAccount: or user:" }),
            )
            .optional(),
        })
        .optional(),
    })
    .optional()
    .describe("Experimental in MSP; accepted and validated, not provisioned."),
});

const durationMinutes = z.int().min(1).max(1440, { error: "must be at most 1440 (24h)" }).default(1);

const monitoringSpec = z.strictObject({
  alerts: z
    .strictObject({
      responseCodeRatios: z
        .array(
          z
            .strictObject({
              id: nonEmpty("id"),
              name: nonEmpty("name"),
              description: z.string().optional(),
              code: z.int().positive().optional(),
              codeClass: z
                .string()
                .regex(/^\dx+$/, { error: "must look like 4xx or 5xx" })
                .optional(),
              excludeCodes: z.array(z.string()).optional(),
              ratio: z.number().min(0).max(1, { error: "must be between 0 and 1" }),
              durationMinutes,
            })
            .superRefine((r, ctx) => {
              if ((r.code === undefined) === (r.codeClass === undefined))
                ctx.addIssue({
                  code: "custom",
                  path: ["code"],
                  message: "set exactly one of code or codeClass",
                });
            }),
        )
        .optional(),
      customAlerts: z
        .array(
          z.strictObject({
            name: z
              .string()
              .regex(/^[-A-Za-z0-9 ]+$/, { error: "must contain only letters, digits, spaces and '-'" }),
            description: z.string().optional(),
            severityLevel: z.enum(["WARNING", "CRITICAL"]).default("WARNING"),
            condition: z.strictObject({
              type: z.enum(["mql", "promql"]),
              query: nonEmpty("query"),
              durationMinutes,
            }),
          }),
        )
        .optional(),
    })
    .optional(),
  nobl9: z.boolean().optional(),
});

const rolloutSpec = z.strictObject({
  stages: z
    .array(z.strictObject({ environment: nonEmpty("environment") }))
    .min(1, { error: "needs at least one stage" }),
  suspended: z.boolean().default(false),
  serviceAccount: z.email({ error: "must be a service account email" }).optional(),
  initialImageTag: nonEmpty("initialImageTag").default("insiders"),
});

export const specSchema = z.strictObject({
  service: serviceSpec,
  build: buildSpec,
  environments: z.array(environmentSpec).min(1, { error: "needs at least one environment" }),
  monitoring: monitoringSpec.default({}),
  rollout: rolloutSpec.optional(),
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
