import { resourcePolicy, levels, at } from "../define";
import { T } from "../types";

export const gcpSqlDeletionProtection = resourcePolicy({
  name: "gcp-sql-deletion-protection",
  description: "Cloud SQL instances are protected from deletion both by Pulumi and by the GCP API.",
  severity: "high",
  remediation: "Remove allowDestroys: true from the spec unless the database is being retired on purpose.",
  meta: {
    group: "Backups and data safety",
    levels: levels("D", "M", "M"),
    frameworks: ["CFF cloudsql-instance default", "MSP allowDestroys"],
  },
  types: [T.sql],
  validate: (props, report) => {
    if (props.deletionProtection === false) report("deletionProtection is off.");
    if (at(props, "settings", "deletionProtectionEnabled") !== true)
      report("settings.deletionProtectionEnabled is off.");
  },
});
