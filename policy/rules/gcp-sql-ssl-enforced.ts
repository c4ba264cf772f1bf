import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check } from "../define";

export const gcpSqlSslEnforced = resourcePolicy<{ allowedSslModes: string[] }>({
  name: "gcp-sql-ssl-enforced",
  description: "Cloud SQL accepts only encrypted connections from clients with a trusted certificate.",
  severity: "high",
  remediation:
    "Set ipConfiguration.sslMode to TRUSTED_CLIENT_CERTIFICATE_REQUIRED (what PostgresInstance sets; the Cloud SQL connectors and `msp pg connect` present certificates).",
  meta: {
    group: "Security",
    levels: levels("M", "M", "M"),
    // Checkov accepts only TRUSTED_CLIENT_CERTIFICATE_REQUIRED for PostgreSQL; CIS and Trivy also ENCRYPTED_ONLY.
    frameworks: ["CKV_GCP_6", "AVD-GCP-0015", "CIS 6.4"],
  },
  config: {
    allowedSslModes: {
      type: "array",
      items: { type: "string" },
      default: ["TRUSTED_CLIENT_CERTIFICATE_REQUIRED"],
      description: "Accepted sslMode values (add ENCRYPTED_ONLY to follow CIS/Trivy instead of Checkov).",
    },
  },
  checks: [
    check(gcp.sql.DatabaseInstance, (db, report, _args, config) => {
      const mode = db.settings?.ipConfiguration?.sslMode ?? "ALLOW_UNENCRYPTED_AND_ENCRYPTED";
      if (!config.allowedSslModes.includes(mode))
        report(
          mode === "ALLOW_UNENCRYPTED_AND_ENCRYPTED"
            ? `sslMode is ${mode}: unencrypted connections are accepted.`
            : `sslMode is ${mode}; required: ${config.allowedSslModes.join(" or ")}.`,
        );
    }),
  ],
});
