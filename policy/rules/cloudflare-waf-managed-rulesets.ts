import * as cloudflare from "@pulumi/cloudflare";
import { stackPolicy, levels, listOf, resourcesOf } from "../define";

export const CLOUDFLARE_MANAGED_RULESET = "efb7b8c949ac4650a09736fc376e9aee";
export const OWASP_CORE_RULESET = "4814384a9e5d4991b9815dcfc25d2f1f";

export const cloudflareWafManagedRulesets = stackPolicy({
  name: "cloudflare-waf-managed-rulesets",
  description:
    "A zone's managed WAF ruleset, when managed here, executes the Cloudflare Managed and OWASP Core rulesets.",
  severity: "high",
  remediation:
    "Add execute rules for rulesets efb7b8c949ac4650a09736fc376e9aee and 4814384a9e5d4991b9815dcfc25d2f1f.",
  meta: {
    group: "WAF and edge",
    levels: levels("D", "A", "A"),
    frameworks: ["Cloudflare Managed Ruleset", "OWASP CRS"],
  },
  validate: (args, report) => {
    const rulesets = resourcesOf(args, cloudflare.Ruleset).filter(
      (r) => r.props.phase === "http_request_firewall_managed",
    );
    if (!rulesets.length)
      args.notApplicable("no managed-WAF ruleset in this stack (zone WAF is configured outside)");
    for (const { resource, props } of rulesets) {
      const executed = listOf(props.rules, `Ruleset "${resource.name}" rules`, (m) => report(m, resource.urn))
        .filter((rule) => rule.action === "execute")
        .map((rule) => rule.actionParameters?.id);
      for (const [id, label] of [
        [CLOUDFLARE_MANAGED_RULESET, "Cloudflare Managed"],
        [OWASP_CORE_RULESET, "OWASP Core"],
      ] as const)
        if (!executed.includes(id))
          report(`Ruleset "${resource.name}" does not execute the ${label} ruleset.`, resource.urn);
    }
  },
});
