/** Cloudflare DNS records and the zone and IP-range data sources. */
import type * as cloudflare from "@pulumi/cloudflare";
import {
  dataSourceModel,
  hash,
  resourceModel,
  str,
  type DataSourceModel,
  type ResourceModel,
} from "./define";

/** Cloudflare's published IPv4 edge ranges (https://www.cloudflare.com/ips-v4). */
export const CLOUDFLARE_IPV4 = [
  "173.245.48.0/20",
  "103.21.244.0/22",
  "103.22.200.0/22",
  "103.31.4.0/22",
  "141.101.64.0/18",
  "108.162.192.0/18",
  "190.93.240.0/20",
  "188.114.96.0/20",
  "197.234.240.0/22",
  "198.41.128.0/17",
  "162.158.0.0/15",
  "104.16.0.0/13",
  "104.24.0.0/14",
  "172.64.0.0/13",
  "131.0.72.0/22",
];

/** Cloudflare's published IPv6 edge ranges (https://www.cloudflare.com/ips-v6). */
export const CLOUDFLARE_IPV6 = [
  "2400:cb00::/32",
  "2606:4700::/32",
  "2803:f800::/32",
  "2405:b500::/32",
  "2405:8100::/32",
  "2a06:98c0::/29",
  "2c0f:f248::/32",
];

/** The creation time the model gives every record: a fixed instant, so plans are reproducible. */
const CREATED_ON = "2024-01-01T00:00:00Z";

export const cloudflareModels: Record<string, ResourceModel> = {
  "cloudflare:index/dnsRecord:DnsRecord": resourceModel<typeof cloudflare.DnsRecord>().onCreate((inputs) => ({
    id: hash(`${str(inputs.zoneId)}/${str(inputs.name)}`, 32),
    state: { proxiable: true, createdOn: CREATED_ON, modifiedOn: CREATED_ON },
  })),
};

export const cloudflareDataSources: Record<string, DataSourceModel> = {
  "cloudflare:index/getIpRanges:getIpRanges": dataSourceModel<typeof cloudflare.getIpRanges>().onInvoke(
    () => ({
      ipv4Cidrs: CLOUDFLARE_IPV4,
      ipv6Cidrs: CLOUDFLARE_IPV6,
      etag: hash(JSON.stringify([CLOUDFLARE_IPV4, CLOUDFLARE_IPV6])),
    }),
  ),
  // The offline zone holds no records yet: the model plans one stack as if it were the first to deploy, so
  // the name check of components/domain.ts finds nothing (its refusal is tested on its pure function).
  // https://developers.cloudflare.com/api/resources/dns/subresources/records/methods/list/
  "cloudflare:index/getDnsRecords:getDnsRecords": dataSourceModel<typeof cloudflare.getDnsRecords>().onInvoke(
    (inputs) => ({
      zoneId: str(inputs.zoneId),
      name: inputs.name,
      maxItems: inputs.maxItems,
      match: "all",
      direction: "asc",
      order: "type",
      tagMatch: "all",
      includeShadowMetadata: false,
      proxied: false,
      results: [],
    }),
  ),
  "cloudflare:index/getZone:getZone": dataSourceModel<typeof cloudflare.getZone>().onInvoke((inputs) => {
    const name = str(inputs.filter?.name);
    if (!name) throw new Error("getZone: the offline model looks zones up by filter.name");
    const id = hash(`zone/${name}`, 32);
    return { id, zoneId: id, name, status: "active", nameServers: [] };
  }),
};
