import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check } from "../define";
import { destroysAllowed } from "../allow-destroys";

export const gcpSqlDeletionProtection = resourcePolicy({
  name: "gcp-sql-deletion-protection",
  description: "Cloud SQL instances are protected from deletion both by Pulumi and by the GCP API.",
  severity: "high",
  remediation:
    "Remove allowDestroys: true from the spec unless the database is being retired on purpose (with it, the instance is labelled msp-allow-destroys: true and passes).",
  meta: {
    group: "Backups and data safety",
    levels: levels("D", "M", "M"),
    frameworks: ["CFF cloudsql-instance default", "MSP allowDestroys"],
  },
  checks: [
    check(gcp.sql.DatabaseInstance, (db, report) => {
      // allowDestroys lifts both, and labels the instance so: exactly what it lifts, where it says so.
      if (destroysAllowed(db)) return;
      // The provider defaults deletionProtection to true: only an explicit false lifts it.
      if (db.deletionProtection === false) report("deletionProtection is off.");
      if (db.settings?.deletionProtectionEnabled !== true)
        report("settings.deletionProtectionEnabled is off.");
    }),
  ],
});
