import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check, listOf } from "../define";

/** Source ranges that mean "anyone on the internet". */
const EVERYWHERE = new Set(["0.0.0.0/0", "::/0"]);

export const gcpFirewallIngressRestricted = resourcePolicy({
  name: "gcp-firewall-ingress-restricted",
  description:
    "Firewall ingress rules admit named ranges only: never the whole internet (0.0.0.0/0, ::/0), never without a source, and only on the instances they target.",
  severity: "critical",
  remediation:
    "Allow a specific range (Datastream's /29, IAP's 35.235.240.0/20, as DatastreamConnection does) and set targetTags or targetServiceAccounts; a rule without sourceRanges admits every address.",
  meta: {
    group: "Security",
    levels: levels("M", "M", "M"),
    frameworks: [
      "CKV_GCP_2",
      "CKV_GCP_3",
      "CKV_GCP_75",
      "CKV_GCP_77",
      "CKV_GCP_88",
      "CKV_GCP_106",
      "CKV2_GCP_12",
      "CIS 3.6",
      "CIS 3.7",
    ],
  },
  checks: [
    check(gcp.compute.Firewall, (rule, report) => {
      if ((rule.direction ?? "INGRESS") !== "INGRESS" || rule.disabled === true) return;
      if (!listOf(rule.allows, "allows", report).length) return; // a deny rule only narrows access
      const sources = listOf(rule.sourceRanges, "sourceRanges", report, "string");
      const byIdentity = [rule.sourceTags, rule.sourceServiceAccounts].some(
        (l) => Array.isArray(l) && l.length,
      );
      // GCP: an ingress rule with no source of any kind applies to 0.0.0.0/0 (VPC firewall rules, sources).
      if (!sources.length && !byIdentity) report("No source range or tag: the rule admits every address.");
      for (const r of sources) if (EVERYWHERE.has(r)) report(`Source range ${r} admits the whole internet.`);
      const targeted = [rule.targetTags, rule.targetServiceAccounts].some(
        (l) => Array.isArray(l) && l.length,
      );
      if (!targeted)
        report("No targetTags or targetServiceAccounts: the rule opens every instance of the network.");
    }),
  ],
});
