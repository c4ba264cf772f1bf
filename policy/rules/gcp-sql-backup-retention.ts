import { resourcePolicy, levels, at } from "../define";
import { T } from "../types";

export const gcpSqlBackupRetention = resourcePolicy<{ minRetainedBackups: number }>({
  name: "gcp-sql-backup-retention",
  description: "Cloud SQL keeps enough automated backups.",
  severity: "medium",
  remediation: "Keep backupRetentionSettings.retainedBackups at 90 (the category table's value).",
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
  types: [T.sql],
  validate: (props, report, _args, config) => {
    const kept =
      at(props, "settings", "backupConfiguration", "backupRetentionSettings", "retainedBackups") ?? 7;
    if (typeof kept === "number" && kept < config.minRetainedBackups)
      report(`${kept} backups are kept; at least ${config.minRetainedBackups} are required.`);
  },
});
