import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check, listOf } from "../define";

import { DEFAULT_RULE_PRIORITY } from "../../plans/cloud-armor";

interface Config {
  requiredWafRules: string[];
}

const enforcing = (action: unknown) => typeof action === "string" && action.startsWith("deny");
const wafExpression = (id: string) =>
  new RegExp(`evaluatePreconfigured(?:Waf|Expr)\\(\\s*'${id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}'`);
/**
 * Each preconfigured WAF evaluation in an expression, with its rule set and whether it states a sensitivity.
 * Without one Cloud Armor runs the set at sensitivity 4, every signature ("Tune Cloud Armor preconfigured WAF
 * rules"); `evaluatePreconfiguredExpr` takes no sensitivity at all.
 */
function preconfiguredWafCalls(expression: string): { ruleSet: string; sensitivity?: number }[] {
  return [
    ...expression.matchAll(/evaluatePreconfigured(Waf|Expr)\(\s*['"]([^'"]*)['"]\s*(,\s*\{[^}]*\})?/g),
  ].map((m) => {
    const level = m[1] === "Waf" ? /['"]sensitivity['"]\s*:\s*(\d+)/.exec(m[3] ?? "")?.[1] : undefined;
    return { ruleSet: m[2]!, ...(level === undefined ? {} : { sensitivity: Number(level) }) };
  });
}

export const gcpCloudArmorWafEnforced = resourcePolicy<Config>({
  name: "gcp-cloud-armor-waf-enforced",
  description:
    "Cloud Armor policies deny by default and enforce their preconfigured WAF rules (deny, not preview, evaluated before any allow rule, at a stated sensitivity).",
  severity: "high",
  remediation:
    "Keep the rules CloudflareDomain builds (plans/cloud-armor.ts): evaluatePreconfiguredWaf('cve-canary', {'sensitivity': 3}) with deny(403) at priority 1000, Cloudflare allow rules after it, and deny(403) at priority 2147483647; never set preview on them. Every preconfigured WAF rule states its sensitivity (evaluatePreconfiguredWaf('<set>', {'sensitivity': N})): without one Cloud Armor runs every signature of the set.",
  meta: {
    group: "WAF and edge",
    levels: levels("A", "M", "M"),
    frameworks: ["CKV_GCP_73", "CFT secure-cloud-run", "MSP PR #60367"],
  },
  config: {
    requiredWafRules: {
      type: "array",
      items: { type: "string" },
      default: ["cve-canary"],
      description:
        "Preconfigured WAF rule sets every policy must enforce (cve-canary blocks Log4Shell lookups).",
    },
  },
  checks: [
    check(gcp.compute.SecurityPolicy, (policy, report, _args, config) => {
      const rules = listOf(policy.rules, "rules", report);
      const fallback = rules.find((r) => r.priority === DEFAULT_RULE_PRIORITY);
      if (!fallback) report("There is no default rule (priority 2147483647): unmatched traffic is allowed.");
      else if (!enforcing(fallback.action))
        report(`The default rule's action is ${String(fallback.action)}; it must deny.`);
      else if (fallback.preview === true) report("The default deny rule is in preview: it denies nothing.");

      const allows = rules.filter((r) => r.action === "allow" && r.priority !== DEFAULT_RULE_PRIORITY);
      const firstAllow = Math.min(...allows.map((r) => r.priority ?? DEFAULT_RULE_PRIORITY));
      for (const r of rules)
        for (const call of preconfiguredWafCalls(String(r.match?.expr?.expression ?? "")))
          if (call.sensitivity === undefined)
            report(
              `The rule at priority ${r.priority} evaluates '${call.ruleSet}' without a sensitivity: Cloud Armor then runs every signature of the set (sensitivity 4), not what the rule says; write evaluatePreconfiguredWaf('${call.ruleSet}', {'sensitivity': N}).`,
            );
      for (const id of config.requiredWafRules) {
        const matching = rules.filter((r) => wafExpression(id).test(String(r.match?.expr?.expression ?? "")));
        const enforced = matching.filter((r) => enforcing(r.action) && r.preview !== true);
        if (!matching.length) report(`No rule evaluates the preconfigured WAF rule set '${id}'.`);
        else if (!enforced.length)
          report(
            `The '${id}' WAF rule does not enforce: action ${matching.map((r) => String(r.action)).join(", ")}${matching.some((r) => r.preview === true) ? ", in preview" : ""}; it must deny and not be in preview.`,
          );
        else if (enforced.every((r) => (r.priority ?? DEFAULT_RULE_PRIORITY) > firstAllow))
          report(
            `The '${id}' WAF rule (priority ${enforced[0]!.priority}) comes after an allow rule (priority ${firstAllow}): allowed traffic skips it.`,
          );
      }
    }),
  ],
});
