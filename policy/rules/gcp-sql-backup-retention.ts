import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check } from "../define";

/** Cloud SQL's own default when backupRetentionSettings is unset. */
const CLOUD_SQL_DEFAULT_RETAINED = 7;

export const gcpSqlBackupRetention = resourcePolicy<{ minRetainedBackups: number }>({
  name: "gcp-sql-backup-retention",
  description: "Cloud SQL keeps enough automated backups.",
  severity: "medium",
  remediation:
    "Keep backupRetentionSettings.retainedBackups at the category table's value (90, platform/categories.ts); the minimum per category is this policy's minRetainedBackups in policy/config/<category>.json.",
  meta: {
    group: "Backups and data safety",
    levels: levels("D", "A", "M"),
    frameworks: ["awsguard rds-instance-backup-enabled pattern", "MSP SOC2 90 backups"],
    configByCategory: {
      test: { minRetainedBackups: 1 },
      internal: { minRetainedBackups: 7 },
      external: { minRetainedBackups: 14 },
    },
  },
  config: { minRetainedBackups: { type: "integer", default: 7 } },
  checks: [
    check(gcp.sql.DatabaseInstance, (db, report, _args, config) => {
      const kept =
        db.settings?.backupConfiguration?.backupRetentionSettings?.retainedBackups ??
        CLOUD_SQL_DEFAULT_RETAINED;
      if (kept < config.minRetainedBackups)
        report(`${kept} backups are kept; at least ${config.minRetainedBackups} are required.`);
    }),
  ],
});
