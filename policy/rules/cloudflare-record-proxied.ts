import * as cloudflare from "@pulumi/cloudflare";
import { resourcePolicy, levels, check } from "../define";

export const cloudflareRecordProxied = resourcePolicy({
  name: "cloudflare-record-proxied",
  description:
    "DNS records pointing at load balancers are proxied by Cloudflare, so WAF and DDoS protection apply.",
  severity: "high",
  remediation: "Leave domain.cloudflare.proxied unset (true) in the spec.",
  meta: {
    group: "WAF and edge",
    levels: levels("A", "M", "M"),
    frameworks: ["Cloudflare WAF", "MSP Cloudflare WAF"],
  },
  checks: [
    check(cloudflare.DnsRecord, (record, report, args) => {
      if (record.type !== "A" && record.type !== "AAAA" && record.type !== "CNAME")
        args.notApplicable("not an address or alias record");
      if (record.proxied !== true)
        report(`Record "${String(record.name)}" is not proxied: traffic bypasses Cloudflare's WAF.`);
    }),
  ],
});
