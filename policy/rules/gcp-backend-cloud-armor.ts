import { stackPolicy, levels, at, list, refersTo } from "../define";
import { T } from "../types";

export const gcpBackendCloudArmor = stackPolicy({
  name: "gcp-backend-cloud-armor",
  description:
    "External backends behind a proxied record have a Cloud Armor policy that denies all but Cloudflare.",
  severity: "high",
  remediation:
    "Keep the proxied domain in an internal or external category: CloudflareDomain then attaches the Cloudflare-only policy.",
  meta: {
    group: "WAF and edge",
    levels: levels("D", "M", "M"),
    frameworks: ["CKV_GCP_73", "CFT secure-cloud-run", "MSP PR #60367"],
  },
  validate: (args, report) => {
    const proxied = args.resources.some((r) => r.type === T.dnsRecord && r.props.proxied === true);
    if (!proxied) args.notApplicable("no proxied Cloudflare record in this stack");
    for (const b of args.resources.filter((r) => r.type === T.backend)) {
      if (String(b.props.loadBalancingScheme ?? "EXTERNAL").startsWith("INTERNAL")) continue;
      const ref = b.props.securityPolicy;
      if (!ref) {
        report(
          `Backend "${b.name}" has no Cloud Armor policy: the load balancer can be reached without Cloudflare.`,
          b.urn,
        );
        continue;
      }
      const policy = args.resources.find((r) => r.type === T.securityPolicy && refersTo(ref, r.props));
      if (!policy) continue;
      const rules = list(policy.props.rules);
      const fallback = rules.find((r) => at(r, "priority") === 2147483647);
      if (!fallback || !String(at(fallback, "action")).startsWith("deny"))
        report(`Security policy "${policy.name}" does not deny by default.`, policy.urn);
    }
  },
});
