import { resourcePolicy, levels, at } from "../define";
import { T } from "../types";

export const gcpSqlSslEnforced = resourcePolicy({
  name: "gcp-sql-ssl-enforced",
  description: "Cloud SQL accepts only encrypted connections.",
  severity: "high",
  remediation:
    "Set ipConfiguration.sslMode to TRUSTED_CLIENT_CERTIFICATE_REQUIRED (Cloud SQL connectors) or ENCRYPTED_ONLY.",
  meta: {
    group: "Security",
    levels: levels("M", "M", "M"),
    frameworks: ["CKV_GCP_6", "AVD-GCP-0015", "CIS 6.4"],
  },
  types: [T.sql],
  validate: (props, report) => {
    const mode = at(props, "settings", "ipConfiguration", "sslMode");
    if (!["ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"].includes(String(mode)))
      report(
        `sslMode is ${String(mode ?? "ALLOW_UNENCRYPTED_AND_ENCRYPTED")}: unencrypted connections are accepted.`,
      );
  },
});
