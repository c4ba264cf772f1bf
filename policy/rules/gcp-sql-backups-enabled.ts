import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check } from "../define";

export const gcpSqlBackupsEnabled = resourcePolicy({
  name: "gcp-sql-backups-enabled",
  description: "Cloud SQL instances take automated backups.",
  severity: "high",
  remediation: "Keep settings.backupConfiguration.enabled = true (PostgresInstance always sets it).",
  meta: {
    group: "Backups and data safety",
    levels: levels("A", "M", "M"),
    frameworks: ["CKV_GCP_14", "AVD-GCP-0024", "CIS 6.7"],
  },
  checks: [
    check(gcp.sql.DatabaseInstance, (db, report, args) => {
      if (db.masterInstanceName) args.notApplicable("read replicas are backed up by their primary");
      if (db.settings?.backupConfiguration?.enabled !== true) report("Automated backups are off.");
    }),
  ],
});
