/**
 * Who owns a DNS name in a shared Cloudflare zone: the second line of defence behind the fleet-wide hostname
 * rule (servicespec/fleet-claims.ts). Pure functions, tested without the Pulumi runtime; components/domain.ts reads
 * the zone's records of its name at deploy time and refuses to add its own beside someone else's.
 *
 * Cloudflare accepts several A records for one name and answers with all of them (round robin:
 * https://developers.cloudflare.com/dns/manage-dns-records/reference/dns-record-types/#a-and-aaaa, "multiple A
 * records"), and with `proxied: true` spreads requests across their origins: a second stack's record for a
 * name does not fail, it shares the name's traffic. So ownership has to be checked before the record is made.
 */

/** The comment an MSP record carries: names the stack that owns the name. */
export const dnsRecordComment = (owner: string) => `Managed by MSP (Pulumi): ${owner}`;

/** What the check reads of each existing record of the name (the fields of getDnsRecords' results). */
export interface ExistingDnsRecord {
  readonly name: string;
  readonly type: string;
  readonly content: string;
  readonly comment?: string;
}

/**
 * The existing records of `fqdn` that are not `owner`'s, described for the error; empty when the name is
 * free or already this stack's. A record is this stack's when its comment names the stack, or (records made
 * before the comment named its stack) when it points at this stack's own load balancer address, which no
 * other stack can have. Any other record of the name, MSP's or hand-made, is someone else's.
 */
export function foreignDnsRecords(
  records: readonly ExistingDnsRecord[],
  fqdn: string,
  owner: string,
  address: string,
): string[] {
  const name = fqdn.toLowerCase().replace(/\.+$/, "");
  return records
    .filter((r) => r.name.toLowerCase().replace(/\.+$/, "") === name)
    .filter((r) => r.comment !== dnsRecordComment(owner) && !(r.type === "A" && r.content === address))
    .map((r) => `${r.type} ${r.content}${r.comment ? ` ("${r.comment}")` : ""}`);
}

/** The deploy error for records of the name that belong to someone else. */
export function dnsNameTakenMessage(fqdn: string, owner: string, foreign: readonly string[]): string {
  return `${fqdn} already has DNS records that are not stack ${owner}'s: ${foreign.join(", ")}; a hostname belongs to one service environment (remove the other record, or choose another subdomain)`;
}
