/**
 * DatastreamConnection through the real stack program (accounts-prod publishes accounts_users): the proxy VM,
 * its firewall rules, the private connection, the profile and the login Datastream reads as.
 */
import * as assert from "node:assert/strict";
import { planOf, ofType, one } from "../helpers/stacks";

describe("DatastreamConnection", () => {
  it("runs the Cloud SQL Auth Proxy on a hardened VM as datastream-to-cloudsql (Cloud SQL client only)", async () => {
    const plan = await planOf("accounts-prod");
    const account = ofType(plan, "gcp:serviceaccount/account:Account").find(
      (a) => a.inputs.accountId === "datastream-to-cloudsql",
    );
    assert.ok(account, "the datastream-to-cloudsql account");
    const roles = ofType(plan, "gcp:projects/iAMMember:IAMMember")
      .filter((g) => String(g.inputs.member).includes("datastream-to-cloudsql@"))
      .map((g) => g.inputs.role);
    assert.deepEqual(roles, ["roles/cloudsql.client"]);

    const vm = one(plan, "gcp:compute/instance:Instance");
    const sql = one(plan, "gcp:sql/databaseInstance:DatabaseInstance");
    assert.deepEqual(
      [vm.inputs.name, vm.inputs.zone, vm.inputs.machineType, vm.inputs.tags],
      ["msp-datastream-cloudsqlproxy", "us-west1-a", "e2-micro", ["msp-datastream-cloudsqlproxy"]],
    );
    const nics = vm.inputs.networkInterfaces as Record<string, unknown>[];
    assert.equal(nics.length, 1);
    assert.equal(nics[0]!.accessConfigs, undefined, "no external address");
    assert.match(String(nics[0]!.subnetwork), /\/subnetworks\/accounts-/);
    assert.deepEqual(vm.inputs.shieldedInstanceConfig, {
      enableSecureBoot: true,
      enableVtpm: true,
      enableIntegrityMonitoring: true,
    });
    const sa = vm.inputs.serviceAccount as { email: string };
    assert.equal(sa.email, account.outputs.email, "its own account, not Compute Engine's default");
    const metadata = vm.inputs.metadata as Record<string, string>;
    assert.equal(metadata["enable-oslogin"], "TRUE");
    assert.equal(metadata["block-project-ssh-keys"], "TRUE");
    assert.ok(metadata["gce-container-declaration"]!.includes(`- '${String(sql.outputs.connectionName)}'`));
    assert.equal(
      (vm.inputs.bootDisk as { initializeParams: { image: string } }).initializeParams.image,
      "cos-cloud/cos-stable",
    );
  });

  it("lets only Datastream's /29 and IAP reach the proxy, on the proxy's tag", async () => {
    const plan = await planOf("accounts-prod");
    const network = one(plan, "gcp:compute/network:Network");
    const rules = ofType(plan, "gcp:compute/firewall:Firewall");
    assert.deepEqual(
      rules.map((r) => [r.inputs.direction, r.inputs.sourceRanges, r.inputs.allows, r.inputs.targetTags]),
      [
        [
          "INGRESS",
          ["10.126.0.0/29"],
          [{ protocol: "tcp", ports: ["5432"] }],
          ["msp-datastream-cloudsqlproxy"],
        ],
        [
          "INGRESS",
          ["35.235.240.0/20"],
          [{ protocol: "tcp", ports: ["22"] }],
          ["msp-datastream-cloudsqlproxy"],
        ],
      ],
    );
    for (const r of rules) assert.equal(r.inputs.network, network.outputs.selfLink);
  });

  it("peers a private connection with the network and gives each publication a profile through the proxy", async () => {
    const plan = await planOf("accounts-prod");
    const network = one(plan, "gcp:compute/network:Network");
    const vm = one(plan, "gcp:compute/instance:Instance");
    const pc = one(plan, "gcp:datastream/privateConnection:PrivateConnection");
    assert.deepEqual(
      [pc.inputs.privateConnectionId, pc.inputs.location, pc.inputs.vpcPeeringConfig],
      ["msp-datastream-cloudsqlproxy", "us-west1", { vpc: network.id, subnet: "10.126.0.0/29" }],
    );
    const profile = one(plan, "gcp:datastream/connectionProfile:ConnectionProfile");
    const pg = profile.inputs.postgresqlProfile as Record<string, unknown>;
    const nic = (vm.outputs.networkInterfaces as { networkIp: string }[])[0]!;
    assert.deepEqual(
      [profile.inputs.connectionProfileId, pg.hostname, pg.port, pg.database, pg.username],
      [
        "msp-publication-accounts-users",
        nic.networkIp,
        5432,
        "accounts",
        "msp-publication-accounts_users-user",
      ],
    );
    assert.ok(pg.password && typeof pg.password === "object", "the password is a redacted secret");
    assert.deepEqual(profile.inputs.privateConnectivity, { privateConnection: pc.outputs.name });
    const labels = profile.inputs.labels as Record<string, string>;
    assert.deepEqual(
      [labels.msp, labels.pg_publication, labels.pg_replication_slot],
      ["true", "accounts_users", "accounts_users_slot"],
    );

    // Datastream validates the login when the profile is created: its grants and the ingress rule come first.
    const ingress = ofType(plan, "gcp:compute/firewall:Firewall")[0]!;
    assert.ok(profile.dependencies.includes(ingress.urn), "waits for the ingress rule");
    const loginGrants = ofType(plan, "postgresql:index/grant:Grant").filter(
      (g) => g.inputs.role === "msp-publication-accounts_users-user",
    );
    assert.deepEqual(
      loginGrants.map((g) => [g.inputs.objectType, g.inputs.privileges, g.inputs.objects ?? []]),
      [
        ["schema", ["USAGE"], []],
        ["table", ["SELECT"], ["users"]],
      ],
    );
    for (const g of loginGrants) assert.ok(profile.dependencies.includes(g.urn), `waits for ${g.name}`);
    const role = ofType(plan, "postgresql:index/role:Role").find(
      (r) => r.inputs.name === "msp-publication-accounts_users-user",
    );
    assert.deepEqual([role?.inputs.login, role?.inputs.replication], [true, true]);
  });

  it("exists only for publications", async () => {
    const plan = await planOf("releaseregistry-prod");
    assert.ok(ofType(plan, "gcp:sql/databaseInstance:DatabaseInstance").length === 1, "has PostgreSQL");
    for (const t of [
      "gcp:compute/instance:Instance",
      "gcp:compute/firewall:Firewall",
      "gcp:datastream/privateConnection:PrivateConnection",
      "gcp:datastream/connectionProfile:ConnectionProfile",
    ])
      assert.deepEqual(ofType(plan, t), [], t);
  });
});
