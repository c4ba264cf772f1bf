import { resourcePolicy, levels, at } from "../define";
import { T } from "../types";

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
  types: [T.sql],
  validate: (props, report) => {
    if (at(props, "settings", "availabilityType") !== "REGIONAL")
      report("The instance is ZONAL: a zone outage takes the database down.");
  },
});
