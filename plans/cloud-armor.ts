/** Pure Cloud Armor rules: admit only Cloudflare's edge, deny everything else (reference §2.3, PR #60367). */

export const DEFAULT_RULE_PRIORITY = 2147483647;
export const CLOUDFLARE_RULE_BASE_PRIORITY = 4000;
/** Cloud Armor accepts at most 10 source ranges per rule. */
export const RANGES_PER_RULE = 10;
export const LOG4SHELL_RULE_PRIORITY = 1000;
/**
 * Log4Shell (CVE-2021-44228, CVE-2021-45046) through the preconfigured `cve-canary` rule set, at an explicit
 * sensitivity. Without one, Cloud Armor evaluates a preconfigured rule at sensitivity 4, every signature of the
 * set ("Tune Cloud Armor preconfigured WAF rules", https://cloud.google.com/armor/docs/rule-tuning), so the
 * rule ran whatever Google adds to cve-canary, not what its description says. Google's WAF rules table
 * (https://cloud.google.com/armor/docs/waf-rules, "CVEs and other vulnerabilities") lists the Log4j signatures
 * at sensitivity 1 (...id044228-cve, ...id144228-cve: base rule and Google's detection improvements) and 3
 * (...id244228-cve, ...id344228-cve: obfuscated and base64 lookups), so sensitivity 3 runs all four and no
 * signature Google adds at level 4. Opting in signature IDs (sensitivity 0) would be narrower still, but the
 * IDs carry a rule-set version prefix (v030001 in the table, v042200 in the current tuning examples) and an ID
 * the rule set does not have is a configuration error.
 */
export const LOG4SHELL_WAF_SENSITIVITY = 3;
export const LOG4SHELL_WAF_EXPRESSION = `evaluatePreconfiguredWaf('cve-canary', {'sensitivity': ${LOG4SHELL_WAF_SENSITIVITY}})`;

export interface ArmorRule {
  priority: number;
  action: string;
  description: string;
  match:
    { versionedExpr: "SRC_IPS_V1"; config: { srcIpRanges: string[] } } | { expr: { expression: string } };
}

export function cloudflareOnlyRules(cloudflareIpv4: readonly string[]): ArmorRule[] {
  const sorted = [...cloudflareIpv4].sort();
  const rules: ArmorRule[] = [
    {
      priority: LOG4SHELL_RULE_PRIORITY,
      action: "deny(403)",
      description: "Block Log4Shell lookups (CKV_GCP_73)",
      match: { expr: { expression: LOG4SHELL_WAF_EXPRESSION } },
    },
  ];
  for (let i = 0; i * RANGES_PER_RULE < sorted.length; i++)
    rules.push({
      priority: CLOUDFLARE_RULE_BASE_PRIORITY + i,
      action: "allow",
      description: `Allow Cloudflare edge nodes ${i}`,
      match: {
        versionedExpr: "SRC_IPS_V1",
        config: { srcIpRanges: sorted.slice(i * RANGES_PER_RULE, (i + 1) * RANGES_PER_RULE) },
      },
    });
  rules.push({
    priority: DEFAULT_RULE_PRIORITY,
    action: "deny(403)",
    description: "Deny everything that does not come through Cloudflare",
    match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } },
  });
  return rules;
}
