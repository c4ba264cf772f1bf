/**
 * msp adopt's pure parts (issue 25.1): the Terraform state reader, the mapping table, the pins and the
 * adopted.yaml text. The end-to-end adoption of orders prod is test/cli/adopt.test.ts.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { parse } from "yaml";
import {
  parseTerraformState,
  TerraformStateError,
  type TerraformInstance,
} from "../../delivery/terraform-state";
import { ADOPT_TABLE, importIdOf, type ImportRow } from "../../delivery/adopt-table";
import { adoptedYamlText, pinsFromTerraform } from "../../delivery/adopt-pins";
import { matchTerraform, terraformValue } from "../../delivery/adopt";
import type { StackExport } from "../../engine/export";
import { RESOURCE_TYPES } from "../../platform/resource-types";
import { loadServices } from "../../servicespec/loader";
import { REPO } from "../helpers/cli";

const prod = () =>
  loadServices(path.join(REPO, "test", "fixtures", "adopt", "services"))[0]!.spec.environments.find(
    (e) => e.id === "prod",
  )!;
const instance = (
  type: string,
  attributes: Record<string, unknown>,
  address = `${type}.x`,
): TerraformInstance => ({
  address,
  type,
  attributes,
  file: "test.tfstate",
});

describe("msp adopt: reading Terraform state", () => {
  it("lists managed instances with their addresses, leaving data sources out", () => {
    const text = JSON.stringify({
      version: 4,
      resources: [
        { mode: "data", type: "google_project", name: "p", instances: [{ attributes: {} }] },
        {
          mode: "managed",
          module: "module.db",
          type: "google_sql_database",
          name: "db",
          instances: [
            { index_key: "orders", attributes: { name: "orders" } },
            { index_key: 1, attributes: {} },
          ],
        },
      ],
    });
    assert.deepEqual(
      parseTerraformState(text, "s.tfstate").map((i) => i.address),
      ['module.db.google_sql_database.db["orders"]', "module.db.google_sql_database.db[1]"],
    );
  });

  it("refuses another format version and broken instances, naming the file", () => {
    assert.throws(
      () => parseTerraformState(JSON.stringify({ version: 3 }), "old.tfstate"),
      (e: Error) =>
        e instanceof TerraformStateError && /old\.tfstate: state format version 3, not 4/.test(e.message),
    );
    assert.throws(
      () =>
        parseTerraformState(
          JSON.stringify({
            version: 4,
            resources: [{ mode: "managed", type: "t", name: "n", instances: [{}] }],
          }),
          "s",
        ),
      /resources\[0\]\.instances\[0\]\.attributes must be an object/,
    );
  });
});

describe("msp adopt: the mapping table", () => {
  it("maps only to types the platform classifies", () => {
    const rows = Object.entries(ADOPT_TABLE).filter((e): e is [string, ImportRow] => "pulumiType" in e[1]);
    const unknown = rows.filter(([, r]) => !Object.hasOwn(RESOURCE_TYPES, r.pulumiType)).map(([t]) => t);
    assert.deepEqual(unknown, []);
  });

  it("fills the provider's import ID format, or names the attributes the state lacks", () => {
    const row = ADOPT_TABLE.google_redis_instance as ImportRow;
    assert.deepEqual(importIdOf(row, { project: "p", region: "us-central1", name: "redis" }), {
      id: "projects/p/locations/us-central1/instances/redis",
    });
    assert.deepEqual(importIdOf(row, { project: "p", name: "redis" }), { missing: ["region"] });
    assert.deepEqual(
      importIdOf(ADOPT_TABLE.google_project_iam_member as ImportRow, {
        project: "p",
        role: "roles/x",
        member: "user:a@b",
      }),
      { id: "p roles/x user:a@b" },
    );
  });

  it("reads a Terraform value at a Pulumi input path, one-element blocks flattened", () => {
    const attributes = { settings: [{ disk_type: "PD_SSD", ip_configuration: [{ private_network: "n" }] }] };
    assert.equal(terraformValue(attributes, "settings.diskType"), "PD_SSD");
    assert.equal(terraformValue(attributes, "settings.ipConfiguration.privateNetwork"), "n");
    assert.deepEqual(
      terraformValue({ replication: [{ auto: [{ customer_managed_encryption: [] }] }] }, "replication"),
      {
        auto: {},
      },
    );
  });
});

describe("msp adopt: pins", () => {
  it("pins nothing it would have to guess: two Cloud SQL instances, an operator account of another shape", () => {
    const { pins, notes } = pinsFromTerraform(
      [
        instance(
          "google_sql_database_instance",
          { project: "orders-prod-8f3c", name: "postgresql-aaaa" },
          "a",
        ),
        instance(
          "google_sql_database_instance",
          { project: "orders-prod-8f3c", name: "postgresql-bbbb" },
          "b",
        ),
        instance("google_service_account", { project: "orders-prod-8f3c", account_id: "operator" }),
      ],
      prod(),
    );
    assert.equal(pins.postgresInstance, undefined);
    assert.equal(pins.operatorAccount, undefined);
    assert.ok(
      notes.some((n) => n.startsWith("Cloud SQL instance: 2 in the state (a, b)")),
      notes.join("\n"),
    );
  });

  it("pins a size only when the live one differs from the spec", () => {
    const sql = (tier: string) =>
      instance("google_sql_database_instance", {
        project: "orders-prod-8f3c",
        name: "postgresql-9c1e",
        settings: [{ tier }],
      });
    assert.equal(pinsFromTerraform([sql("db-custom-2-8192")], prod()).pins.postgresTier, undefined);
    assert.equal(
      pinsFromTerraform([sql("db-custom-4-16384")], prod()).pins.postgresTier,
      "db-custom-4-16384",
    );
  });

  it("pins a connection profile only where MSP's verbatim ID is not the program's DNS label", () => {
    const profile = (id: string, address?: string) =>
      instance(
        "google_datastream_connection_profile",
        { project: "orders-prod-8f3c", connection_profile_id: id },
        address,
      );
    const underscored = pinsFromTerraform([profile("msp-publication-orders_events")], prod());
    assert.deepEqual(underscored.pins.connectionProfiles, {
      orders_events: "msp-publication-orders_events",
    });
    const env = prod();
    const pg = env.resources!.postgreSQL!;
    const plain = {
      ...env,
      resources: {
        ...env.resources,
        postgreSQL: {
          ...pg,
          logicalReplication: { publications: [{ name: "events", database: "orders", tables: ["events"] }] },
        },
      },
    };
    const same = pinsFromTerraform([profile("msp-publication-events")], plain);
    assert.equal(same.pins.connectionProfiles, undefined);
    assert.deepEqual(
      same.notes.filter((n) => n.includes("connection profile")),
      [],
    );
    const stray = pinsFromTerraform([profile("msp-publication-gone", "p.gone")], prod());
    assert.equal(stray.pins.connectionProfiles, undefined);
    assert.ok(
      stray.notes.includes(
        "connection profile msp-publication-gone (p.gone) belongs to no publication of the spec",
      ),
      stray.notes.join("\n"),
    );
  });

  it("writes one environment's pins and keeps the others'", () => {
    const before = "# kept\nenvironments:\n  dev:\n    subnet: orders-00000000\n";
    const text = adoptedYamlText(before, "prod", { postgresInstance: "postgresql-9c1e" });
    assert.ok(text.startsWith("# kept\n"));
    assert.deepEqual(parse(text), {
      environments: { dev: { subnet: "orders-00000000" }, prod: { postgresInstance: "postgresql-9c1e" } },
    });
  });
});

describe("msp adopt: matching", () => {
  const bucket = (name: string, urnName: string) => ({
    urn: `urn:pulumi:s::msp::gcp:storage/bucket:Bucket::${urnName}`,
    custom: true,
    type: "gcp:storage/bucket:Bucket",
    inputs: { name },
  });
  const planned = (resources: unknown[]) =>
    ({ version: 3, deployment: { resources } }) as unknown as StackExport;

  it("lists a type it has no row for, an ambiguous match and a missing import attribute; leaves by the table", () => {
    const m = matchTerraform(
      [
        instance("constructor", {}, "constructor.x"),
        instance("google_storage_bucket", { name: "twice", project: "p" }, "b1"),
        instance("google_storage_bucket", { name: "once" }, "b2"),
        instance("random_id", {}, "r"),
      ],
      planned([bucket("twice", "a"), bucket("twice", "b"), bucket("once", "c")]),
    );
    assert.deepEqual(
      m.unmapped.map((u) => [u.instance.address, u.why]),
      [
        ["constructor.x", "msp adopt has no mapping for constructor"],
        ["b1", '2 planned gcp:storage/bucket:Bucket match name="twice": a, b'],
        ["b2", "the state lacks project, which the import ID {{project}}/{{name}} needs"],
      ],
    );
    assert.deepEqual(
      m.left.map((l) => l.instance.address),
      ["r"],
    );
    assert.deepEqual(m.adopted, []);
    assert.deepEqual(
      m.created.map((c) => c.urn.split("::").pop()),
      ["a", "b", "c"],
    );
  });
});
