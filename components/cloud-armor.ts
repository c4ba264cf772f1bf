/** Pure Cloud Armor rules: admit only Cloudflare's edge, deny everything else (reference §2.3, PR #60367). */

export const DEFAULT_RULE_PRIORITY = 2147483647;
export const CLOUDFLARE_RULE_BASE_PRIORITY = 4000;
/** Cloud Armor accepts at most 10 source ranges per rule. */
export const RANGES_PER_RULE = 10;
export const LOG4SHELL_RULE_PRIORITY = 1000;

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
      match: { expr: { expression: "evaluatePreconfiguredWaf('cve-canary')" } },
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
