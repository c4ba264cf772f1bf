import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check } from "../define";

export const gcpNetworkNoDefaultNetwork = resourcePolicy({
  name: "gcp-network-no-default-network",
  description:
    "Projects are created without the default network, and VPC networks are custom mode (no auto-created subnets in every region).",
  severity: "high",
  remediation:
    "Keep autoCreateNetwork: false on projects (GcpProject) and autoCreateSubnetworks: false on networks (PrivateNetwork).",
  meta: {
    group: "Security",
    levels: levels("M", "M", "M"),
    frameworks: ["CKV_GCP_27", "CKV2_GCP_2", "CIS 3.1", "CIS 3.2", "AVD-GCP-0010"],
  },
  checks: [
    check(gcp.organizations.Project, (project, report) => {
      // GCP creates the default network (with its permissive firewall rules) unless told not to.
      if (project.autoCreateNetwork !== false)
        report(
          "autoCreateNetwork is not false: GCP creates the default network with permissive firewall rules.",
        );
    }),
    check(gcp.compute.Network, (network, report) => {
      if (network.autoCreateSubnetworks !== false)
        report("autoCreateSubnetworks is not false: an auto-mode network gets a subnet in every region.");
    }),
  ],
});
