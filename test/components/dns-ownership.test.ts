/** The DNS component's second line of defence: it never adds its record beside another's (issue 23, finding 1). */
import * as assert from "node:assert/strict";
import { dnsRecordComment, foreignDnsRecords } from "../../components/dns-ownership";
import { planOf, ofType } from "../helpers/stacks";

const FQDN = "accounts.sourcegraph.com";

describe("DNS name ownership (components/dns-ownership.ts)", () => {
  it("refuses a name another stack's record holds (a new stack claiming accounts.sourcegraph.com)", () => {
    const accounts = {
      name: FQDN,
      type: "A",
      content: "34.1.1.1",
      comment: dnsRecordComment("accounts-prod"),
    };
    assert.deepEqual(foreignDnsRecords([accounts], FQDN, "evil-prod", "34.9.9.9"), [
      'A 34.1.1.1 ("Managed by MSP (Pulumi): accounts-prod")',
    ]);
    // A hand-made record, or another type, is someone else's too; the name is compared as DNS compares it.
    assert.equal(
      foreignDnsRecords(
        [{ name: "Accounts.sourcegraph.com.", type: "CNAME", content: "x.example" }],
        FQDN,
        "evil-prod",
        "34.9.9.9",
      ).length,
      1,
    );
  });

  it("accepts the owner's own record (by comment, or an earlier record pointing at its own address) and a free name", () => {
    const own = { name: FQDN, type: "A", content: "34.1.1.1", comment: dnsRecordComment("accounts-prod") };
    assert.deepEqual(foreignDnsRecords([own], FQDN, "accounts-prod", "34.1.1.1"), []);
    const legacy = { name: FQDN, type: "A", content: "34.1.1.1", comment: "Managed by MSP (Pulumi)" };
    assert.deepEqual(foreignDnsRecords([legacy], FQDN, "accounts-prod", "34.1.1.1"), []);
    assert.equal(foreignDnsRecords([legacy], FQDN, "accounts-prod", "34.2.2.2").length, 1);
    assert.deepEqual(foreignDnsRecords([], FQDN, "accounts-prod", "34.1.1.1"), []);
    assert.deepEqual(
      foreignDnsRecords([{ ...own, name: "other.sourcegraph.com" }], FQDN, "evil-prod", "34.9.9.9"),
      [],
    );
  });

  it("the record names its stack in its comment", async () => {
    const [record] = ofType(await planOf("accounts-prod"), "cloudflare:index/dnsRecord:DnsRecord");
    assert.equal(record!.inputs.comment, "Managed by MSP (Pulumi): accounts-prod");
  });
});
