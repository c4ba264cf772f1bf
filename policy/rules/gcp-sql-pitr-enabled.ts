import { resourcePolicy, levels, at } from "../define";
import { T } from "../types";

export const gcpSqlPitrEnabled = resourcePolicy<{ minTransactionLogRetentionDays: number }>({
  name: "gcp-sql-pitr-enabled",
  description: "Cloud SQL PostgreSQL keeps write-ahead logs for point-in-time recovery.",
  severity: "high",
  remediation:
    "Use an internal or external category (point-in-time recovery is always on there) or set highAvailability: true.",
  meta: {
    group: "Backups and data safety",
    levels: levels("D", "A", "M"),
    frameworks: ["CKV2_GCP_20 (PostgreSQL analogue)", "CFF cloudsql-instance default"],
  },
  config: { minTransactionLogRetentionDays: { type: "integer", default: 7 } },
  types: [T.sql],
  validate: (props, report, args, config) => {
    if (!String(props.databaseVersion ?? "POSTGRES").startsWith("POSTGRES"))
      args.notApplicable("not PostgreSQL");
    const backup = at(props, "settings", "backupConfiguration");
    if (at(backup, "pointInTimeRecoveryEnabled") !== true) report("Point-in-time recovery is off.");
    const days = at(backup, "transactionLogRetentionDays");
    if (typeof days === "number" && days < config.minTransactionLogRetentionDays)
      report(
        `Transaction logs are kept ${days} days; at least ${config.minTransactionLogRetentionDays} are required.`,
      );
  },
});
