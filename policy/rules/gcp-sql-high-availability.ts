import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check } from "../define";

export const gcpSqlHighAvailability = resourcePolicy({
  name: "gcp-sql-high-availability",
  description: "Cloud SQL instances are regional (a standby in another zone).",
  severity: "medium",
  // Advisory in production: MSP's default is zonal (platform/categories.ts, highAvailabilityByDefault), and an
  // environment taken over from MSP must deploy as it runs; the spec opts in.
  remediation:
    "Set resources.postgreSQL.highAvailability: true (a standby in another zone; the instance restarts once when it changes).",
  meta: {
    group: "Backups and data safety",
    levels: levels("D", "A", "A"),
    frameworks: ["Cloud SQL HA guidance"],
  },
  checks: [
    check(gcp.sql.DatabaseInstance, (db, report) => {
      if (db.settings?.availabilityType !== "REGIONAL")
        report("The instance is ZONAL: a zone outage takes the database down.");
    }),
  ],
});
