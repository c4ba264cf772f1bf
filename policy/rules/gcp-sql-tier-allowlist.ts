import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check } from "../define";

export const gcpSqlTierAllowlist = resourcePolicy<{ maxCpu: number; versions: string[] }>({
  name: "gcp-sql-tier-allowlist",
  description:
    "Cloud SQL machine sizes stay within the category's budget and on a supported PostgreSQL version.",
  severity: "low",
  remediation:
    "Lower postgreSQL.cpu, or move the environment to a production category (maxCpu in policy/config/<category>.json).",
  meta: {
    group: "Cost and hygiene",
    levels: levels("M", "A", "A"),
    frameworks: ["analogue of CKV_GCP_79 (supported, not only the latest, version)", "cost guard-rail"],
    configByCategory: { test: { maxCpu: 4 }, internal: { maxCpu: 32 }, external: { maxCpu: 96 } },
  },
  config: {
    maxCpu: { type: "integer", default: 32 },
    versions: {
      type: "array",
      items: { type: "string" },
      default: ["POSTGRES_15", "POSTGRES_16", "POSTGRES_17", "POSTGRES_18"],
    },
  },
  checks: [
    check(gcp.sql.DatabaseInstance, (db, report, _args, config) => {
      const tier = db.settings?.tier ?? "";
      const m = /^db-custom-(\d+)-\d+$/.exec(tier);
      if (!m) report(`Tier ${tier || "(none)"} is not a db-custom tier.`);
      else if (Number(m[1]) > config.maxCpu)
        report(`Tier ${tier} has ${m[1]} CPUs; at most ${config.maxCpu} here.`);
      if (db.databaseVersion !== undefined && !config.versions.includes(db.databaseVersion))
        report(`${db.databaseVersion} is not a supported version (${config.versions.join(", ")}).`);
    }),
  ],
});
