import { resourcePolicy, levels } from "../define";
import { T } from "../types";

export const cloudflareDnsAllowedZone = resourcePolicy<{ allowedZones: string[] }>({
  name: "cloudflare-dns-allowed-zone",
  description: "DNS records are subdomains of an allowed Cloudflare zone, never a zone apex.",
  severity: "high",
  remediation: "Use a subdomain of an allowed zone (Pulumi config msp:allowedZones) in domain.cloudflare.",
  meta: {
    group: "Naming and metadata",
    levels: levels("M", "M", "M"),
    frameworks: ["MSP domains", "subdomain takeover"],
  },
  config: {
    allowedZones: { type: "array", items: { type: "string" }, default: ["sourcegraph.com", "sgdev.org"] },
  },
  types: [T.dnsRecord],
  validate: (props, report, _args, config) => {
    const name = props.name;
    if (typeof name !== "string") return;
    if (config.allowedZones.includes(name))
      report(`Record "${name}" is a zone apex; only subdomains may be managed.`);
    else if (!config.allowedZones.some((z) => name.endsWith(`.${z}`)))
      report(`Record "${name}" is not in an allowed zone (${config.allowedZones.join(", ")}).`);
  },
});
