import * as cloudflare from "@pulumi/cloudflare";
import { resourcePolicy, levels, check } from "../define";

interface Config {
  allowedZones: string[];
}

export const cloudflareDnsAllowedZone = resourcePolicy<Config>({
  name: "cloudflare-dns-allowed-zone",
  description: "DNS records are subdomains of an allowed Cloudflare zone, never a zone apex.",
  severity: "high",
  remediation:
    "Use a subdomain of an allowed zone in domain.cloudflare. The zones are msp:allowedZones in Pulumi.yaml; after changing them run `npx msp policy docs`, which writes them into policy/config/<category>.json (the pack cannot read stack config).",
  meta: {
    group: "Naming and metadata",
    levels: levels("M", "M", "M"),
    frameworks: ["MSP domains", "subdomain takeover"],
    configFromPlatform: (s) => ({ allowedZones: [...(s.allowedZones ?? [])] }),
  },
  config: {
    allowedZones: {
      type: "array",
      items: { type: "string" },
      // Fail closed: without the generated configuration no zone is allowed.
      default: [],
      description: "Zones records may be created in (generated from msp:allowedZones in Pulumi.yaml).",
    },
  },
  checks: [
    check(cloudflare.DnsRecord, (record, report, _args, config) => {
      const name = record.name;
      if (typeof name !== "string") return;
      const zones = config.allowedZones;
      if (zones.includes(name)) report(`Record "${name}" is a zone apex; only subdomains may be managed.`);
      else if (!zones.some((z) => name.endsWith(`.${z}`)))
        report(
          `Record "${name}" is not in an allowed zone (${zones.join(", ") || "none configured: pass --policy-pack-config policy/config/<category>.json"}).`,
        );
    }),
  ],
});
