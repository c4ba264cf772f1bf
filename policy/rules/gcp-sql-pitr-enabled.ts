import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check } from "../define";

export const gcpSqlPitrEnabled = resourcePolicy<{ minTransactionLogRetentionDays: number }>({
  name: "gcp-sql-pitr-enabled",
  description: "Cloud SQL PostgreSQL keeps write-ahead logs for point-in-time recovery.",
  severity: "high",
  remediation:
    "Use an internal or external category (point-in-time recovery is always on there) or set highAvailability: true.",
  meta: {
    group: "Backups and data safety",
    levels: levels("D", "A", "M"),
    frameworks: ["analogue of CKV2_GCP_20 for PostgreSQL", "CFF cloudsql-instance default"],
  },
  config: { minTransactionLogRetentionDays: { type: "integer", default: 7 } },
  checks: [
    check(gcp.sql.DatabaseInstance, (db, report, args, config) => {
      if (!String(db.databaseVersion ?? "POSTGRES").startsWith("POSTGRES"))
        args.notApplicable("not PostgreSQL");
      const backup = db.settings?.backupConfiguration;
      if (backup?.pointInTimeRecoveryEnabled !== true) report("Point-in-time recovery is off.");
      const days = backup?.transactionLogRetentionDays;
      if (typeof days === "number" && days < config.minTransactionLogRetentionDays)
        report(
          `Transaction logs are kept ${days} days; at least ${config.minTransactionLogRetentionDays} are required.`,
        );
    }),
  ],
});
