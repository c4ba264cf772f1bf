import * as cloudflare from "@pulumi/cloudflare";
import * as gcp from "@pulumi/gcp";
import { stackPolicy, levels, resourcesOf, findReferenced } from "../define";

export const gcpBackendCloudArmor = stackPolicy({
  name: "gcp-backend-cloud-armor",
  description:
    "External backends behind a proxied record have a Cloud Armor policy of the same stack (its rules: gcp-cloud-armor-waf-enforced).",
  severity: "high",
  remediation:
    "Keep the proxied domain in an internal or external category: CloudflareDomain then attaches its Cloudflare-only Cloud Armor policy.",
  meta: {
    group: "WAF and edge",
    levels: levels("D", "M", "M"),
    frameworks: ["CFT secure-cloud-run", "MSP PR #60367"],
  },
  validate: (args, report) => {
    const proxied = resourcesOf(args, cloudflare.DnsRecord).some((r) => r.props.proxied === true);
    if (!proxied) args.notApplicable("no proxied Cloudflare record in this stack");
    for (const { resource, props } of resourcesOf(args, gcp.compute.BackendService)) {
      if (String(props.loadBalancingScheme ?? "EXTERNAL").startsWith("INTERNAL")) continue;
      const ref = props.securityPolicy;
      if (!ref)
        report(
          `Backend "${resource.name}" has no Cloud Armor policy: the load balancer can be reached without Cloudflare.`,
          resource.urn,
        );
      // Fail closed: a policy outside the stack cannot be shown to deny anything.
      else if (!findReferenced(args, gcp.compute.SecurityPolicy, ref))
        report(
          `Backend "${resource.name}" uses Cloud Armor policy ${ref}, which is not in this stack: its rules cannot be verified.`,
          resource.urn,
        );
    }
  },
});
