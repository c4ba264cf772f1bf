import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check } from "../define";

export const gcpSqlNoPublicIp = resourcePolicy({
  name: "gcp-sql-no-public-ip",
  description:
    "Cloud SQL instances have no public IPv4 address and no authorized networks; they use the private network.",
  severity: "critical",
  remediation:
    "Keep ipConfiguration.ipv4Enabled = false with privateNetwork set; connect with `msp pg connect` (Cloud SQL proxy).",
  meta: {
    group: "Security",
    levels: levels("M", "M", "M"),
    frameworks: ["CKV_GCP_60", "CKV_GCP_11", "AVD-GCP-0017", "CIS 6.5", "CIS 6.6", "CIS 6.2.9"],
  },
  checks: [
    check(gcp.sql.DatabaseInstance, (db, report) => {
      const ip = db.settings?.ipConfiguration;
      // Cloud SQL gives an instance a public address unless ipv4Enabled is explicitly false.
      if (ip?.ipv4Enabled !== false) report("A public IPv4 address is enabled.");
      if (!ip?.privateNetwork) report("No private network is set.");
      for (const n of ip?.authorizedNetworks ?? [])
        report(`Authorized network ${n.value} opens the instance to the internet.`);
    }),
  ],
});
