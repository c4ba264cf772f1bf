import { resourcePolicy, levels, at, list } from "../define";
import { T } from "../types";

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
  types: [T.sql],
  validate: (props, report) => {
    const ip = at(props, "settings", "ipConfiguration");
    if (at(ip, "ipv4Enabled") !== false) report("A public IPv4 address is enabled.");
    if (!at(ip, "privateNetwork")) report("No private network is set.");
    for (const n of list(at(ip, "authorizedNetworks")))
      report(`Authorized network ${String(at(n, "value"))} opens the instance to the internet.`);
  },
});
