/** Fixtures of the "WAF and edge" policies. */
import { res, UNKNOWN, violation, withValue, type PolicyCase } from "../../helpers/policy";
import { T } from "../../../policy/types";
import {
  CLOUDFLARE_MANAGED_RULESET,
  OWASP_CORE_RULESET,
} from "../../../policy/rules/cloudflare-waf-managed-rulesets";
import { armorRules, edge, JOB, OTHER, PROJECT, RUN, STACK, runWith } from "./fixtures";

/** The Cloud Armor policy CloudflareDomain builds, with its rules changed by `change`. */
function armor(change: (rules: Record<string, unknown>[]) => Record<string, unknown>[] = (r) => r) {
  return [res(T.securityPolicy, { project: PROJECT, name: "armor", rules: change(armorRules()) })];
}
const WAF_PRIORITY = 1000;
const isWaf = (r: Record<string, unknown>) => r.priority === WAF_PRIORITY;
const isDefault = (r: Record<string, unknown>) => r.priority === 2147483647;

export const EDGE_CASES: Record<string, PolicyCase> = {
  "cloudflare-record-proxied": {
    compliant: [res(T.dnsRecord, { name: "a.sgdev.org", type: "A", proxied: true })],
    violations: [
      violation(
        "not proxied",
        [res(T.dnsRecord, { name: "a.sgdev.org", type: "A", proxied: false })],
        /not proxied/,
      ),
      violation("proxied unset", [res(T.dnsRecord, { name: "a.sgdev.org", type: "CNAME" })], /not proxied/),
    ],
    unknown: [res(T.dnsRecord, { type: "A", proxied: UNKNOWN })],
    notApplicable: [res(T.dnsRecord, { type: "TXT", proxied: false }), OTHER],
  },
  "cloudflare-zone-ssl-strict": {
    compliant: [res(T.zoneSetting, { settingId: "ssl", value: "strict" })],
    violations: [
      violation("flexible", [res(T.zoneSetting, { settingId: "ssl", value: "flexible" })], /must be strict/),
    ],
    unknown: [res(T.zoneSetting, { settingId: "ssl", value: UNKNOWN })],
    notApplicable: [res(T.zoneSetting, { settingId: "tls_1_3", value: "on" })],
  },
  "cloudflare-zone-https-tls": {
    compliant: [
      res(T.zoneSetting, { settingId: "alwaysUseHttps", value: "on" }),
      res(T.zoneSetting, { settingId: "min_tls_version", value: "1.2" }),
    ],
    violations: [
      violation(
        "http allowed",
        [res(T.zoneSetting, { settingId: "always_use_https", value: "off" })],
        /always_use_https/,
      ),
      violation(
        "old TLS",
        [res(T.zoneSetting, { settingId: "min_tls_version", value: "1.0" })],
        /1\.2 or 1\.3/,
      ),
    ],
    unknown: [res(T.zoneSetting, { settingId: "min_tls_version", value: UNKNOWN })],
    notApplicable: [res(T.zoneSetting, { settingId: "ssl", value: "strict" })],
  },
  "cloudflare-waf-managed-rulesets": {
    compliant: [
      res(T.ruleset, {
        phase: "http_request_firewall_managed",
        rules: [
          { action: "execute", actionParameters: { id: CLOUDFLARE_MANAGED_RULESET } },
          { action: "execute", actionParameters: { id: OWASP_CORE_RULESET } },
        ],
      }),
    ],
    violations: [
      violation(
        "no OWASP",
        [
          res(T.ruleset, {
            phase: "http_request_firewall_managed",
            rules: [{ action: "execute", actionParameters: { id: CLOUDFLARE_MANAGED_RULESET } }],
          }),
        ],
        /OWASP Core/,
      ),
      violation(
        "managed ruleset only logged",
        [
          res(T.ruleset, {
            phase: "http_request_firewall_managed",
            rules: [
              { action: "log", actionParameters: { id: CLOUDFLARE_MANAGED_RULESET } },
              { action: "execute", actionParameters: { id: OWASP_CORE_RULESET } },
            ],
          }),
        ],
        /Cloudflare Managed/,
      ),
    ],
    unknown: [res(T.ruleset, { phase: "http_request_firewall_managed", rules: UNKNOWN })],
    notApplicable: [OTHER],
  },
  "gcp-sslpolicy-modern-tls12": {
    compliant: [res(T.sslPolicy, { profile: "MODERN", minTlsVersion: "TLS_1_2" })],
    violations: [
      violation(
        "compatible",
        [res(T.sslPolicy, { profile: "COMPATIBLE", minTlsVersion: "TLS_1_2" })],
        /weak ciphers/,
        { ids: ["CKV_GCP_4", "CIS 3.9"] },
      ),
      violation(
        "TLS 1.0",
        [res(T.sslPolicy, { profile: "MODERN", minTlsVersion: "TLS_1_0" })],
        /below TLS 1\.2/,
        { ids: ["CKV_GCP_4", "CIS 3.9"] },
      ),
      violation("defaults", [res(T.sslPolicy, {})], /COMPATIBLE allows weak ciphers/),
      violation(
        "minTlsVersion unset (GCP's TLS 1.0)",
        [res(T.sslPolicy, { profile: "MODERN" })],
        /Minimum TLS version TLS_1_0 is below TLS 1\.2/,
      ),
      violation(
        "TLS 1.1, just below the bound",
        [res(T.sslPolicy, { profile: "MODERN", minTlsVersion: "TLS_1_1" })],
        /TLS_1_1 is below TLS 1\.2/,
      ),
    ],
    unknown: [res(T.sslPolicy, { profile: UNKNOWN, minTlsVersion: "TLS_1_2" })],
    notApplicable: [OTHER],
  },
  "gcp-https-proxy-has-ssl-policy": {
    compliant: [res(T.httpsProxy, { sslPolicy: "projects/p/global/sslPolicies/x" })],
    violations: [
      violation("none", [res(T.httpsProxy, {})], /no SSL policy/),
      violation(
        "regional proxy",
        [res("gcp:compute/regionTargetHttpsProxy:RegionTargetHttpsProxy", {})],
        /no SSL policy/,
      ),
    ],
    unknown: [res(T.httpsProxy, { sslPolicy: UNKNOWN })],
    notApplicable: [OTHER],
  },
  "gcp-lb-no-plain-http": {
    compliant: edge(),
    violations: [
      violation("HTTP without redirect", edge({ redirect: false }), /without redirecting/, {
        ids: ["CKV2_GCP_38"],
      }),
      violation("HTTPS on another port", edge({ httpsPort: "8443" }), /must use 443/),
      violation("HTTPS on a range just past 443", edge({ httpsPort: "443-444" }), /listens on 443-444/),
      violation(
        "a forwarding rule without a scheme (GCP's EXTERNAL) on another port",
        edge({ httpsPort: "8443" }).map((r) =>
          r.inputs.name === "fr-https"
            ? { ...r, inputs: withValue(r.inputs, "loadBalancingScheme", undefined) }
            : r,
        ),
        /listens on 8443/,
      ),
      violation(
        "a target outside the stack (fail closed)",
        edge({ httpsTarget: "projects/other/global/targetHttpsProxies/elsewhere" }),
        /not an HTTP\(S\) proxy of this stack/,
      ),
      violation(
        "an HTTP proxy whose URL map is outside the stack",
        [
          ...edge().filter((r) => r.type !== T.urlMap),
          res(T.urlMap, {
            name: "other",
            selfLink: "https://www.googleapis.com/compute/v1/projects/x/global/urlMaps/other",
          }),
        ],
        /cannot be shown to redirect/,
      ),
      violation(
        "a regional rule to a plain HTTP proxy",
        [
          STACK,
          res("gcp:compute/regionUrlMap:RegionUrlMap", {
            name: "m",
            selfLink: "https://www.googleapis.com/compute/v1/projects/p/regions/r/urlMaps/m",
            defaultService: "be",
          }),
          res("gcp:compute/regionTargetHttpProxy:RegionTargetHttpProxy", {
            name: "h",
            selfLink: "https://www.googleapis.com/compute/v1/projects/p/regions/r/targetHttpProxies/h",
            urlMap: "projects/p/regions/r/urlMaps/m",
          }),
          res("gcp:compute/forwardingRule:ForwardingRule", {
            name: "regional",
            portRange: "80",
            loadBalancingScheme: "EXTERNAL_MANAGED",
            target: "projects/p/regions/r/targetHttpProxies/h",
          }),
        ],
        /without redirecting/,
        { ids: ["CKV2_GCP_37"] },
      ),
    ],
    unknown: edge({ httpsTarget: UNKNOWN }),
    notApplicable: [
      STACK,
      res(T.forwardingRule, { name: "internal", loadBalancingScheme: "INTERNAL_MANAGED", target: "x" }),
    ],
  },
  "gcp-backend-cloud-armor": {
    compliant: edge(),
    violations: [
      violation("no policy", edge({ noArmor: true }), /no Cloud Armor policy/),
      violation(
        "a policy outside the stack (fail closed)",
        edge({ armorRef: "https://www.googleapis.com/compute/v1/projects/x/global/securityPolicies/other" }),
        /not in this stack/,
      ),
    ],
    unknown: edge({ armorRef: UNKNOWN }),
    notApplicable: edge({ proxied: false }),
  },
  "gcp-cloud-armor-waf-enforced": {
    compliant: armor(),
    violations: [
      violation(
        "WAF rule removed",
        armor((rules) => rules.filter((r) => !isWaf(r))),
        /No rule evaluates .*cve-canary/,
        {
          ids: ["CKV_GCP_73"],
        },
      ),
      violation(
        "WAF rule in preview",
        armor((rules) => rules.map((r) => (isWaf(r) ? { ...r, preview: true } : r))),
        /does not enforce.*in preview/,
        { ids: ["CKV_GCP_73"] },
      ),
      violation(
        "WAF rule set to allow",
        armor((rules) => rules.map((r) => (isWaf(r) ? { ...r, action: "allow" } : r))),
        /does not enforce: action allow/,
        { ids: ["CKV_GCP_73"] },
      ),
      violation(
        "WAF rule only throttles",
        armor((rules) => rules.map((r) => (isWaf(r) ? { ...r, action: "throttle" } : r))),
        /does not enforce/,
      ),
      violation(
        "WAF rule after the Cloudflare allow rules",
        armor((rules) => rules.map((r) => (isWaf(r) ? { ...r, priority: 5000 } : r))),
        /comes after an allow rule/,
      ),
      violation(
        "WAF rule without a sensitivity (every signature of the set runs)",
        armor((rules) =>
          rules.map((r) =>
            isWaf(r)
              ? { ...r, match: { expr: { expression: "evaluatePreconfiguredWaf('cve-canary')" } } }
              : r,
          ),
        ),
        /evaluates 'cve-canary' without a sensitivity: .*every signature/,
      ),
      violation(
        "WAF rule in the legacy form that takes no sensitivity",
        armor((rules) =>
          rules.map((r) =>
            isWaf(r)
              ? {
                  ...r,
                  match: {
                    expr: {
                      expression:
                        "evaluatePreconfiguredExpr('cve-canary', ['owasp-crs-v030001-id244228-cve'])",
                    },
                  },
                }
              : r,
          ),
        ),
        /evaluates 'cve-canary' without a sensitivity/,
      ),
      violation(
        "another preconfigured rule without a sensitivity next to the required one",
        armor((rules) => [
          ...rules,
          {
            priority: 1001,
            action: "deny(403)",
            description: "SQL injection",
            match: { expr: { expression: 'evaluatePreconfiguredWaf("sqli-v33-stable")' } },
          },
        ]),
        /priority 1001 evaluates 'sqli-v33-stable' without a sensitivity/,
      ),
      violation(
        "default rule allows",
        armor((rules) => rules.map((r) => (isDefault(r) ? { ...r, action: "allow" } : r))),
        /default rule's action is allow/,
      ),
      violation(
        "no default rule",
        armor((rules) => rules.filter((r) => !isDefault(r))),
        /no default rule/,
      ),
      violation(
        "default rule in preview",
        armor((rules) => rules.map((r) => (isDefault(r) ? { ...r, preview: true } : r))),
        /default deny rule is in preview/,
      ),
    ],
    unknown: [res(T.securityPolicy, { name: "armor", rules: UNKNOWN })],
    notApplicable: [OTHER, ...edge().filter((r) => r.type !== T.securityPolicy)],
    config: [
      ["another required rule set", { requiredWafRules: ["cve-canary", "sqli-v33-stable"] }, armor(), true],
      [
        "the rule set present",
        { requiredWafRules: ["sqli-v33-stable"] },
        armor((rules) =>
          rules.map((r) =>
            isWaf(r)
              ? {
                  ...r,
                  match: {
                    expr: { expression: "evaluatePreconfiguredWaf('sqli-v33-stable', {'sensitivity': 1})" },
                  },
                }
              : r,
          ),
        ),
        false,
      ],
    ],
  },
  "gcp-cloudrun-ingress-restricted": {
    compliant: [res(T.runService, RUN), ...runWith("ingress", "INGRESS_TRAFFIC_INTERNAL_ONLY")],
    violations: [
      violation("open", runWith("ingress", "INGRESS_TRAFFIC_ALL"), /INGRESS_TRAFFIC_ALL/),
      violation("unset (the default is all)", runWith("ingress", undefined), /INGRESS_TRAFFIC_ALL/),
    ],
    unknown: runWith("ingress", UNKNOWN),
    notApplicable: [res(T.runJob, JOB)],
  },
};
