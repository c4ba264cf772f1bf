import { resourcePolicy, levels } from "../define";
import { T } from "../types";

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
  types: [T.dnsRecord],
  validate: (props, report) => {
    if (props.type !== "A" && props.type !== "AAAA" && props.type !== "CNAME") return;
    if (props.proxied !== true)
      report(`Record "${String(props.name)}" is not proxied: traffic bypasses Cloudflare's WAF.`);
  },
});
