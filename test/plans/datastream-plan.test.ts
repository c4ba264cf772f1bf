/** Datastream's way into Cloud SQL, decided without the Pulumi runtime. */
import * as assert from "node:assert/strict";
import {
  CLOUD_SQL_PROXY_IMAGE,
  connectionProfileId,
  connectionProfiles,
  DATASTREAM_PEERING_CIDR,
  proxyContainerDeclaration,
  proxyFirewallRules,
  proxyZone,
  publicationUser,
} from "../../plans/datastream-plan";
import { SUBNET_CIDR } from "../../resolve/environment";

/** [first address, last address] of an IPv4 CIDR, as numbers. */
function range(cidr: string): [number, number] {
  const [addr, bits] = cidr.split("/") as [string, string];
  const n = addr.split(".").reduce((a, o) => a * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  return [n, n + size - 1];
}

describe("datastream plan", () => {
  it("peers Datastream on a /29 outside the service's subnet", () => {
    assert.equal(DATASTREAM_PEERING_CIDR.split("/")[1], "29", "Datastream takes exactly a /29");
    const [a0, a1] = range(DATASTREAM_PEERING_CIDR);
    const [b0, b1] = range(SUBNET_CIDR);
    assert.ok(a1 < b0 || b1 < a0, `${DATASTREAM_PEERING_CIDR} overlaps ${SUBNET_CIDR}`);
  });

  it("opens the proxy to Datastream's range on 5432 and IAP's on 22, never to the internet", () => {
    const rules = proxyFirewallRules();
    assert.deepEqual(
      rules.map((r) => [r.name, r.sourceRanges, r.ports]),
      [
        ["msp-datastream-cloudsqlproxy-datastream-ingress", ["10.126.0.0/29"], ["5432"]],
        ["msp-datastream-cloudsqlproxy-iap-ingress", ["35.235.240.0/20"], ["22"]],
      ],
    );
    for (const r of rules) assert.ok(!r.sourceRanges.includes("0.0.0.0/0"), r.name);
  });

  it("runs a pinned Cloud SQL Auth Proxy on private IP for the instance", () => {
    const decl = proxyContainerDeclaration("p:us-west1:i");
    assert.match(CLOUD_SQL_PROXY_IMAGE, /^gcr\.io\/cloud-sql-connectors\/cloud-sql-proxy:\d+\.\d+\.\d+$/);
    assert.ok(decl.includes(`image: ${CLOUD_SQL_PROXY_IMAGE}`));
    assert.match(decl, /- '--private-ip'\n {4}- '--address=0\.0\.0\.0'\n {4}- 'p:us-west1:i'\n/);
    assert.match(decl, /restartPolicy: Always/);
    assert.equal(proxyZone("us-west1"), "us-west1-a");
  });

  it("plans one profile and login per publication, with IDs and labels Google accepts", () => {
    const profiles = connectionProfiles([
      { name: "accounts_users", database: "accounts", slotName: "accounts_users_slot" },
      { name: "Events", database: "events", slotName: "events_slot" },
    ]);
    assert.deepEqual(
      profiles.map((p) => [p.connectionProfileId, p.displayName, p.database, p.user, p.labels]),
      [
        [
          "msp-publication-accounts-users",
          "MSP Publication - accounts_users",
          "accounts",
          "msp-publication-accounts_users-user",
          {
            database: "accounts",
            pg_replication_slot: "accounts_users_slot",
            pg_publication: "accounts_users",
          },
        ],
        [
          "msp-publication-events",
          "MSP Publication - Events",
          "events",
          "msp-publication-Events-user",
          { database: "events", pg_replication_slot: "events_slot", pg_publication: "events" },
        ],
      ],
    );
    assert.equal(connectionProfileId("a.b_c"), "msp-publication-a-b-c");
    // A profile adopted from MSP keeps its live ID (adopted.yaml's connectionProfiles).
    assert.deepEqual(
      connectionProfiles([
        {
          name: "orders_events",
          database: "orders",
          slotName: "orders_events_pgoutput",
          connectionProfileId: "msp-publication-orders_events",
        },
      ]).map((p) => p.connectionProfileId),
      ["msp-publication-orders_events"],
    );
    assert.equal(publicationUser("x"), "msp-publication-x-user");
  });
});
