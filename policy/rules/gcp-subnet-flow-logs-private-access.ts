import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check } from "../define";

/** Proxy-only subnets carry neither flow logs nor private Google access. */
const PROXY_PURPOSES = ["INTERNAL_HTTPS_LOAD_BALANCER", "REGIONAL_MANAGED_PROXY", "GLOBAL_MANAGED_PROXY"];
const IPV6_PRIVATE_ACCESS = ["ENABLE_OUTBOUND_VM_ACCESS_TO_GOOGLE", "ENABLE_BIDIRECTIONAL_ACCESS_TO_GOOGLE"];

export const gcpSubnetFlowLogsPrivateAccess = resourcePolicy({
  name: "gcp-subnet-flow-logs-private-access",
  description:
    "Subnets record VPC flow logs with metadata and reach Google APIs privately (IPv4, and IPv6 on dual-stack subnets).",
  severity: "medium",
  remediation:
    "Keep the subnet PrivateNetwork creates: logConfig with INCLUDE_ALL_METADATA and privateIpGoogleAccess: true.",
  meta: {
    group: "Security",
    levels: levels("M", "M", "M"),
    frameworks: ["CKV_GCP_26", "CKV_GCP_74", "CKV_GCP_76", "CIS 3.8", "AVD-GCP-0029", "AVD-GCP-0075"],
  },
  checks: [
    check(gcp.compute.Subnetwork, (subnet, report, args) => {
      if (subnet.purpose && PROXY_PURPOSES.includes(subnet.purpose)) args.notApplicable("proxy-only subnet");
      const log = subnet.logConfig;
      if (!log) report("VPC flow logs are off (no logConfig).");
      else if (log.metadata === "EXCLUDE_ALL_METADATA") report("Flow logs exclude all metadata.");
      if (subnet.privateIpGoogleAccess !== true)
        report("privateIpGoogleAccess is off: workloads reach Google APIs over external addresses.");
      if (
        subnet.stackType === "IPV4_IPV6" &&
        !IPV6_PRIVATE_ACCESS.includes(subnet.privateIpv6GoogleAccess ?? "")
      )
        report(`Dual-stack subnet has privateIpv6GoogleAccess ${subnet.privateIpv6GoogleAccess ?? "unset"}.`);
    }),
  ],
});
