/**
 * The adoption test (issue 25.1): the Terraform states of MSP's `orders` `prod` (PostgreSQL with logical
 * replication, Redis, a proxied domain and a rollout; test/fixtures/adopt/terraform, from MSP's builders) taken
 * over with `msp adopt`. The import files must cover every stateful resource, what cannot be mapped must be
 * listed, and the first plan after the import (msp diff --before the state the import leaves) must replace
 * nothing stateful.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { mspInProcess, REPO, type CliResult } from "../helpers/cli";
import { readTerraformState } from "../../delivery/terraform-state";
import type { ImportFile } from "../../delivery/adopt";
import type { DiffReport } from "../../delivery/diff-report";

const FIXTURE = path.join(REPO, "test", "fixtures", "adopt");
const STATES = ["project", "iam", "cloudrun", "monitoring"].map((s) =>
  path.join(FIXTURE, "terraform", "prod", `${s}.tfstate`),
);
const FROM = STATES.flatMap((f) => ["--from", f]);

/** The live resources that hold data, by the import ID the providers' documentation gives. */
const STATEFUL_IMPORTS = [
  "orders-prod-8f3c",
  "projects/orders-prod-8f3c/instances/postgresql-9c1e",
  "projects/orders-prod-8f3c/instances/postgresql-9c1e/databases/orders",
  "orders-prod-8f3c/postgresql-9c1e/msp-admin",
  "orders-prod-8f3c/postgresql-9c1e/orders-sa@orders-prod-8f3c.iam",
  "orders-prod-8f3c/postgresql-9c1e/operatoraccess-5e2f7a@orders-prod-8f3c.iam",
  "projects/orders-prod-8f3c/locations/us-central1/instances/redis-basic",
  "projects/orders-prod-8f3c/secrets/REDIS_CA_CERT",
  "projects/orders-prod-8f3c/secrets/iam_cloud_run_service_account",
  "projects/orders-prod-8f3c/secrets/iam_operator_access_service_account",
  "projects/orders-prod-8f3c/secrets/cloudrun_cloudsql_connection_name",
  "projects/orders-prod-8f3c/secrets/cloudrun_cloud_run_resource_name",
  "projects/orders-prod-8f3c/serviceAccounts/orders-sa@orders-prod-8f3c.iam.gserviceaccount.com",
  "projects/orders-prod-8f3c/serviceAccounts/operatoraccess-5e2f7a@orders-prod-8f3c.iam.gserviceaccount.com",
  "projects/orders-prod-8f3c/serviceAccounts/clouddeploy-executor@orders-prod-8f3c.iam.gserviceaccount.com",
  "projects/orders-prod-8f3c/serviceAccounts/clouddeploy-releaser@orders-prod-8f3c.iam.gserviceaccount.com",
  "orders-prod-8f3c/orders-prod-8f3c-cloudrun-skaffold",
  "sourcegraph/orders-prod",
  "orders.orders_events_pgoutput",
];

/**
 * Datastream's way in, as MSP's datastreamconnection names it: imported, or the first pulumi up would ask
 * Google for a second VM, private connection, firewall rules and profile of the same names (409).
 */
const DATASTREAM_IMPORTS = [
  "projects/orders-prod-8f3c/zones/us-central1-a/instances/msp-datastream-cloudsqlproxy",
  "projects/orders-prod-8f3c/locations/us-central1/privateConnections/msp-datastream-cloudsqlproxy",
  "projects/orders-prod-8f3c/global/firewalls/msp-datastream-cloudsqlproxy-datastream-ingress",
  "projects/orders-prod-8f3c/global/firewalls/msp-datastream-cloudsqlproxy-iap-ingress",
  "projects/orders-prod-8f3c/locations/us-central1/connectionProfiles/msp-publication-orders_events",
];

const UNMAPPED = [
  "google_secret_manager_secret.output-project_id",
  'google_service_account_iam_member.terraform-cloud-impersonation["iam.serviceAccountUser"]',
  'google_service_account_iam_member.terraform-cloud-impersonation["iam.serviceAccountTokenCreator"]',
  "google_compute_ssl_certificate.cloudflare-origin-cert",
  'google_project_iam_member.rollout-target-service_account_user["dev"]',
  'google_project_iam_member.rollout-target-service_account_user["prod"]',
];

const STATEFUL_TYPES = new Set([
  "gcp:organizations/project:Project",
  "gcp:sql/databaseInstance:DatabaseInstance",
  "gcp:sql/database:Database",
  "gcp:sql/user:User",
  "gcp:redis/instance:Instance",
  "gcp:secretmanager/secret:Secret",
  "gcp:secretmanager/secretVersion:SecretVersion",
  "gcp:serviceaccount/account:Account",
  "gcp:storage/bucket:Bucket",
  "sentry:index/sentryProject:SentryProject",
  "postgresql:index/replicationSlot:ReplicationSlot",
]);

describe("msp adopt: taking over MSP's orders prod from its Terraform state", function () {
  this.timeout(120_000);
  let services: string;
  let out: string;
  let first: CliResult;
  before(async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "msp-adopt-"));
    services = path.join(tmp, "services");
    out = path.join(tmp, "adopt");
    fs.cpSync(path.join(FIXTURE, "services"), services, { recursive: true });
    first = await mspInProcess(["--services", services, "adopt", "orders", "prod", ...FROM, "--out", out]);
  });
  after(() => fs.rmSync(path.dirname(services), { recursive: true, force: true }));

  const imports = () =>
    fs
      .readdirSync(out)
      .filter((f) => f.startsWith("import-"))
      .map((f) => JSON.parse(fs.readFileSync(path.join(out, f), "utf8")) as ImportFile);

  it("pins MSP's random names and the live sizes that differ from the spec in adopted.yaml", () => {
    const pins = parse(fs.readFileSync(path.join(services, "orders", "adopted.yaml"), "utf8")) as {
      environments: Record<string, unknown>;
    };
    assert.deepEqual(pins.environments.prod, {
      postgresInstance: "postgresql-9c1e",
      postgresTier: "db-custom-2-7680",
      replicationSlots: { orders_events: "orders_events_pgoutput" },
      connectionProfiles: { orders_events: "msp-publication-orders_events" },
      operatorAccount: "operatoraccess-5e2f7a",
      subnet: "orders-1f2e3d4c",
      redisInstance: "redis-basic",
      redisMemoryGB: 2,
    });
  });

  it("imports every stateful resource of the state, with the providers' import IDs", () => {
    const ids = new Set(imports().flatMap((f) => f.resources.flatMap((r) => (r.id ? [r.id] : []))));
    const missing = STATEFUL_IMPORTS.filter((id) => !ids.has(id));
    assert.deepEqual(missing, [], `not imported: ${missing.join(", ")}`);
  });

  it("imports MSP's Datastream proxy VM, private connection, firewall rules and connection profile", () => {
    const entries = imports().flatMap((f) => f.resources.filter((r) => !r.component));
    assert.deepEqual(
      DATASTREAM_IMPORTS.map((id) => entries.filter((e) => e.id === id).map((e) => e.logicalName)),
      [
        ["datastream-proxy"],
        ["datastream-private-connection"],
        ["datastream-datastream-ingress"],
        ["datastream-iap-ingress"],
        ["datastream-profile-orders_events"],
      ],
    );
  });

  it("imports each planned resource once, under its planned parent and provider", () => {
    const files = imports();
    const entries = files.flatMap((f) => f.resources.filter((r) => !r.component));
    const keys = entries.map((e) => `${e.type}::${e.logicalName}::${e.parent ?? ""}`);
    assert.equal(new Set(keys).size, keys.length);
    const sql = entries.find((e) => e.type === "gcp:sql/databaseInstance:DatabaseInstance");
    assert.equal(sql?.logicalName, "postgres-instance");
    const file = files.find((f) => f.resources.includes(sql))!;
    assert.equal(file.resources.find((r) => r.name === sql?.parent)?.type, "msp:gcp:PostgresInstance");
    assert.equal(file.nameTable[sql.provider!], "urn:pulumi:orders-prod::msp::pulumi:providers:gcp::gcp");
    const slot = entries.find((e) => e.type === "postgresql:index/replicationSlot:ReplicationSlot");
    assert.equal(slot?.id, "orders.orders_events_pgoutput");
  });

  it("orders the steps so that no targeted up creates what an import brings later", () => {
    const imported = new Set<string>();
    const order: string[] = [];
    let targets: string[] = [];
    for (const line of first.stdout.split("\n")) {
      const target = /^ {7}--target '(.+)'/.exec(line);
      if (target) targets.push(target[1]!);
      const file = /^ {2}\d+\. pulumi import .*--file (\S+)/.exec(line);
      if (/^ {2}\d+\. /.test(line)) {
        for (const urn of targets) {
          const key = `${urn.split("::")[2]!.split("$").pop()!}::${urn.split("::").pop()!}`;
          order.push(`${imported.has(key) ? "kept" : "created"} ${key}`);
        }
        targets = [];
      }
      if (file)
        for (const e of (JSON.parse(fs.readFileSync(file[1]!, "utf8")) as ImportFile).resources)
          imported.add(`${e.type}::${e.logicalName}`);
    }
    const all = new Set(imports().flatMap((f) => f.resources.map((e) => `${e.type}::${e.logicalName}`)));
    const early = order.filter((o) => o.startsWith("created ") && all.has(o.slice("created ".length)));
    assert.deepEqual(early, []);
    // The PostgreSQL providers log in as msp-admin, whose new password the second targeted up sets.
    assert.ok(order.includes("kept gcp:sql/user:User::postgres-admin"), order.join("\n"));
    assert.ok(order.includes("created pulumi:providers:postgresql::postgres-grants-replication"));
  });

  it("lists what it cannot map, each at its Terraform address, and exits 1 until that is accepted", async () => {
    assert.equal(first.status, 1, first.stderr);
    for (const address of UNMAPPED) assert.ok(first.stdout.includes(`  ${address} (`), address);
    const unmapped = /UNMAPPED: (\d+) /.exec(first.stdout);
    assert.equal(unmapped?.[1], String(UNMAPPED.length));
    assert.match(first.stderr, /6 Terraform resource\(s\) unmapped/);
    const again = await mspInProcess([
      "--services",
      services,
      "adopt",
      "orders",
      "prod",
      ...FROM,
      "--out",
      out,
      "--allow-unmapped",
    ]);
    assert.equal(again.status, 0, again.stderr);
  });

  /** What the first preview after the import shows: msp diff --before the state the import leaves. */
  const diffAfterImport = () =>
    mspInProcess([
      "--services",
      services,
      "diff",
      "orders-prod",
      "--before",
      path.join(out, "state-after-import.json"),
      "--format",
      "json",
    ]);

  it("the first plan after the import (msp diff --before the state it leaves) replaces nothing stateful", async () => {
    const r = await diffAfterImport();
    const report = JSON.parse(r.stdout) as DiffReport;
    const bad = [...report.replaces, ...report.deletes, ...report.losses].filter((c) =>
      STATEFUL_TYPES.has(c.type),
    );
    assert.deepEqual(
      bad.map((c) => `${c.type} ${c.name}`),
      [],
    );
    const created = new Set(report.creates.map((c) => c.name));
    for (const kept of [
      "postgres-instance",
      "postgres-db-orders",
      "redis-instance",
      "project",
      "sentry-project",
      "datastream-proxy",
      "datastream-private-connection",
      "datastream-datastream-ingress",
      "datastream-iap-ingress",
      "datastream-profile-orders_events",
    ])
      assert.ok(!created.has(kept), `${kept} would be created beside the live one`);
    const sql = report.updates.find((u) => u.name === "postgres-instance");
    assert.ok(!sql?.changes?.some((c) => c.path.startsWith("settings.tier")), "the live tier is kept");
  });

  it("without the pins, the same check shows the databases replaced: the check can fail", async () => {
    const pinned = path.join(services, "orders", "adopted.yaml");
    const text = fs.readFileSync(pinned, "utf8");
    fs.rmSync(pinned);
    try {
      const r = await diffAfterImport();
      const report = JSON.parse(r.stdout) as DiffReport;
      assert.equal(r.status, 1);
      assert.ok(report.replaces.some((c) => c.name === "postgres-instance"));
    } finally {
      fs.writeFileSync(pinned, text);
    }
  });

  it("reports a stateful resource the program would replace: the live Redis is STANDARD_HA, the spec BASIC", async () => {
    const tmp = path.dirname(services);
    const doc = JSON.parse(fs.readFileSync(STATES[2]!, "utf8")) as {
      resources: { type: string; instances: { attributes: Record<string, unknown> }[] }[];
    };
    doc.resources.find((r) => r.type === "google_redis_instance")!.instances[0]!.attributes.tier =
      "STANDARD_HA";
    const edited = path.join(tmp, "cloudrun.tfstate");
    fs.writeFileSync(edited, JSON.stringify(doc));
    const from = [STATES[0]!, STATES[1]!, edited, STATES[3]!].flatMap((f) => ["--from", f]);
    const r = await mspInProcess([
      "--services",
      services,
      "adopt",
      "orders",
      "prod",
      ...from,
      "--out",
      path.join(tmp, "ha"),
      "--allow-unmapped",
    ]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(
      r.stdout,
      /STATEFUL RESOURCES WOULD BE LOST:\n {4}replace gcp:redis\/instance:Instance redis-instance \(tier\)/,
    );
    assert.match(r.stderr, /1 stateful resource\(s\) would be lost/);
  });

  it("reads only format 4 states, refusing anything else with exit 2", async () => {
    const bad = path.join(path.dirname(services), "old.tfstate");
    fs.writeFileSync(bad, JSON.stringify({ version: 3, modules: [] }));
    const r = await mspInProcess(["--services", services, "adopt", "orders", "prod", "--from", bad]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /state format version 3, not 4/);
    assert.ok(readTerraformState(STATES[2]!).some((i) => i.type === "google_sql_database_instance"));
  });
});
