import * as cloudflare from "@pulumi/cloudflare";
import { resourcePolicy, levels, check } from "../define";
import { hostnameLabelProblem } from "../../servicespec/security-rules";

/** Record types whose names are host names (underscore labels such as _acme-challenge are fine elsewhere). */
const HOST_TYPES = new Set(["A", "AAAA", "CNAME"]);

export const cloudflareDnsSafeHostname = resourcePolicy({
  name: "cloudflare-dns-safe-hostname",
  description:
    "DNS records publish plain ASCII host names: no wildcard, no internationalised (xn--) or look-alike Unicode labels.",
  severity: "high",
  remediation:
    "Use one explicit subdomain of ASCII letters, digits and '-' in domain.cloudflare.subdomain (msp validate refuses the others).",
  meta: {
    group: "Security",
    levels: levels("M", "M", "M"),
    frameworks: ["MSP domains", "IDN homograph (RFC 5891 §4.4)", "wildcard DNS takeover"],
  },
  checks: [
    check(cloudflare.DnsRecord, (record, report) => {
      if (typeof record.name !== "string") return;
      for (const label of record.name.split(".")) {
        if (!HOST_TYPES.has(String(record.type)) && /^_[a-z0-9-]+$/.test(label)) continue;
        const problem = hostnameLabelProblem(label);
        if (problem) return report(`Record "${record.name}": ${problem}.`);
      }
    }),
  ],
});
