import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check, listOf } from "../define";

/** sslMode values that refuse unencrypted connections. */
const ENCRYPTED_MODES = new Set(["ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"]);

export const gcpSqlNoPublicIp = resourcePolicy({
  name: "gcp-sql-no-public-ip",
  description:
    "Cloud SQL instances are closed to networks: no authorized networks, and a public IPv4 address only behind the Cloud SQL connector (connectorEnforcement REQUIRED, SSL required).",
  severity: "critical",
  remediation:
    "Keep ipConfiguration.authorizedNetworks empty and privateNetwork set; with ipv4Enabled, set connectorEnforcement = REQUIRED and sslMode = TRUSTED_CLIENT_CERTIFICATE_REQUIRED (what PostgresInstance sets), so only IAM-authenticated Cloud SQL connectors (cloud-sql-proxy, `msp pg connect`) reach it.",
  meta: {
    group: "Security",
    levels: levels("M", "M", "M"),
    frameworks: ["CKV_GCP_60", "CKV_GCP_11", "AVD-GCP-0017", "CIS 6.5", "CIS 6.6", "CIS 6.2.9"],
  },
  checks: [
    check(gcp.sql.DatabaseInstance, (db, report) => {
      const settings = db.settings;
      const ip = settings?.ipConfiguration;
      // The ExecuteSql data API answers from the internet, around the connector, whatever the address.
      if (settings?.dataApiAccess === "ALLOW_DATA_API")
        report("The data API (ExecuteSql) reaches the instance without the Cloud SQL connector.");
      if (!ip?.privateNetwork) report("No private network is set.");
      for (const n of listOf(ip?.authorizedNetworks, "settings.ipConfiguration.authorizedNetworks", report))
        report(`Authorized network ${n.value} opens the instance to the internet.`);
      // Cloud SQL gives an instance a public address unless ipv4Enabled is explicitly false. The address is
      // acceptable only when nothing but an IAM-authenticated connector can use it, over TLS.
      if (ip?.ipv4Enabled === false) return;
      const enforced = settings?.connectorEnforcement === "REQUIRED";
      const encrypted = ENCRYPTED_MODES.has(String(ip?.sslMode));
      if (!enforced)
        report(
          `A public IPv4 address is enabled and reachable without the Cloud SQL connector (connectorEnforcement is ${settings?.connectorEnforcement ?? "NOT_REQUIRED"}).`,
        );
      if (!encrypted)
        report(
          `A public IPv4 address is enabled and accepts connections without SSL (sslMode is ${ip?.sslMode ?? "unset"}).`,
        );
    }),
  ],
});
