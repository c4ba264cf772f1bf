import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadServices, SpecError, formatIssue } from "../../servicespec/loader";
import { parseAdoptedPins } from "../../servicespec/adopted";
import { resolveService } from "../../resolve/environment";
import { platformSettingsFor } from "../../program/config";
import { REPO } from "../helpers/cli";

const ADOPT_SERVICES = path.join(REPO, "test", "fixtures", "adopt", "services");
const spec = () => loadServices(ADOPT_SERVICES)[0]!.spec;

const PINS = `environments:
  prod:
    postgresInstance: postgresql-9c1e
    operatorAccount: operatoraccess-5e2f7a
    subnet: orders-1f2e3d4c
    replicationSlots:
      orders_events: orders_events_pgoutput
    connectionProfiles:
      orders_events: msp-publication-orders_events
    postgresTier: db-custom-2-7680
    redisMemoryGB: 2
`;

/** A copy of the adoption fixture's services folder with an adopted.yaml beside the spec. */
function withPins(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "msp-adopted-"));
  fs.cpSync(ADOPT_SERVICES, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "orders", "adopted.yaml"), text);
  return dir;
}

describe("adopted.yaml: names kept from MSP's Terraform", () => {
  it("accepts the pins msp adopt writes", () => {
    const r = parseAdoptedPins("adopted.yaml", PINS, spec());
    assert.ok("pins" in r, JSON.stringify(r));
    assert.equal(r.pins.prod?.replicationSlots?.orders_events, "orders_events_pgoutput");
  });

  it("reports every problem at its line and column, with the field path", () => {
    const text = `environments:
  prod:
    postgresInstance: Postgres_1
    subnet: orders-1f2e3d4c
    colour: blue
    replicationSlots:
      nope: nope_pgoutput
    connectionProfiles:
      orders_events: Not A Label
      gone: msp-publication-gone
  staging:
    subnet: orders-1f2e3d4c
`;
    const r = parseAdoptedPins("services/orders/adopted.yaml", text, spec());
    assert.ok("issues" in r);
    const lines = r.issues.map((i) => formatIssue(i));
    assert.ok(
      lines.some((l) =>
        l.startsWith(
          "services/orders/adopted.yaml:3:23: environments.prod.postgresInstance: must be a Cloud SQL instance ID",
        ),
      ),
      lines.join("\n"),
    );
    assert.ok(
      lines.some((l) =>
        l.startsWith("services/orders/adopted.yaml:5:5: environments.prod.colour: is not a pin"),
      ),
      lines.join("\n"),
    );
    assert.ok(
      lines.some((l) =>
        l.startsWith(
          "services/orders/adopted.yaml:9:22: environments.prod.connectionProfiles.orders_events: must be a Datastream connection profile ID",
        ),
      ),
      lines.join("\n"),
    );
    // Schema problems come first; the cross-checks run on a file whose shape is right.
    const cross = parseAdoptedPins(
      "a.yaml",
      text.replace(
        / {4}postgresInstance: Postgres_1\n| {4}colour: blue\n| {6}orders_events: Not A Label\n/g,
        "",
      ),
      spec(),
    );
    assert.ok("issues" in cross);
    const crossLines = cross.issues.map((i) => formatIssue(i));
    assert.deepEqual(crossLines, [
      "a.yaml:5:7: environments.prod.replicationSlots.nope: is not a publication of resources.postgreSQL.logicalReplication",
      "a.yaml:7:7: environments.prod.connectionProfiles.gone: is not a publication of resources.postgreSQL.logicalReplication",
      "a.yaml:8:3: environments.staging: the spec has no environment staging (environments: dev, prod)",
    ]);
  });

  it("refuses a pin for a resource the environment does not have", () => {
    const r = parseAdoptedPins(
      "a.yaml",
      "environments:\n  dev:\n    postgresInstance: postgresql-9c1e\n",
      spec(),
    );
    assert.ok("issues" in r);
    assert.equal(
      formatIssue(r.issues[0]!),
      "a.yaml:3:5: environments.dev.postgresInstance: environment dev has no resources.postgreSQL to pin",
    );
  });

  it("is loaded with the spec, and a bad one fails the spec's validation", () => {
    const dir = withPins("environments:\n  prod:\n    subnet: Bad Name\n");
    assert.throws(
      () => loadServices(dir),
      (e: unknown) =>
        e instanceof SpecError &&
        /adopted\.yaml:3:13: environments\.prod\.subnet: must be a subnetwork name/.test(e.message),
    );
  });

  it("the resolver names the pinned resources as MSP named them, and nothing else changes", () => {
    const settings = platformSettingsFor("", REPO);
    const plain = resolveService(loadServices(ADOPT_SERVICES)[0]!, settings).environments[1]!;
    const pinned = resolveService(loadServices(withPins(PINS))[0]!, settings).environments[1]!;
    assert.equal(pinned.postgres?.instanceName, "postgresql-9c1e");
    assert.equal(pinned.postgres?.connectionName, "orders-prod-8f3c:us-central1:postgresql-9c1e");
    assert.equal(pinned.postgres?.tier, "db-custom-2-7680");
    assert.equal(pinned.identities.operatorAccountId, "operatoraccess-5e2f7a");
    assert.equal(
      pinned.identities.operatorEmail,
      "operatoraccess-5e2f7a@orders-prod-8f3c.iam.gserviceaccount.com",
    );
    assert.equal(pinned.network?.subnetName, "orders-1f2e3d4c");
    assert.equal(pinned.postgres?.publications[0]?.slotName, "orders_events_pgoutput");
    assert.equal(pinned.postgres?.publications[0]?.connectionProfileId, "msp-publication-orders_events");
    assert.equal(plain.postgres?.publications[0]?.connectionProfileId, undefined);
    assert.equal(pinned.redis?.memoryGB, 2);
    assert.equal(plain.postgres?.publications[0]?.slotName, "orders_events_slot");
    assert.notEqual(plain.postgres?.instanceName, "postgresql-9c1e");
    // Everything not pinned resolves as before.
    assert.deepEqual(pinned.workload, plain.workload);
    assert.deepEqual(pinned.domain, plain.domain);
    assert.equal(pinned.redis?.name, plain.redis?.name);
  });
});
