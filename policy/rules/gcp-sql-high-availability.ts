import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check } from "../define";

export const gcpSqlHighAvailability = resourcePolicy({
  name: "gcp-sql-high-availability",
  description: "Cloud SQL instances are regional (a standby in another zone).",
  severity: "medium",
  remediation:
    "Leave postgreSQL.highAvailability unset in external environments (it defaults to true) or set it to true.",
  meta: {
    group: "Backups and data safety",
    levels: levels("D", "A", "M"),
    frameworks: ["Cloud SQL HA guidance"],
  },
  checks: [
    check(gcp.sql.DatabaseInstance, (db, report) => {
      if (db.settings?.availabilityType !== "REGIONAL")
        report("The instance is ZONAL: a zone outage takes the database down.");
    }),
  ],
});
