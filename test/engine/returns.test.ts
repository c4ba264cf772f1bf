import * as assert from "node:assert/strict";
import { providerComparison, returnedInputs } from "../../engine/model";
import { canonicalDuration, withoutProtoDefaults } from "../../engine/model/proto-json";

const ctx = { name: "monitoring-dashboard", provider: {} };
const DASHBOARD = "gcp:monitoring/dashboard:Dashboard";
const ARMOR = "gcp:compute/securityPolicy:SecurityPolicy";

describe("what the APIs return (engine/model/returns.ts)", () => {
  it("proto3 JSON drops default-valued fields at any depth, keeps set messages", () => {
    assert.deepEqual(
      withoutProtoDefaults(
        {
          a: 0,
          b: false,
          c: "",
          d: [],
          e: { collapsed: false },
          f: [{ xPos: 0, yPos: 4, width: 24 }],
          g: "REDUCE_NONE",
          h: "FORMAT_UNSPECIFIED",
          i: "MARKDOWN",
          j: 1,
        },
        new Set(["REDUCE_NONE"]),
      ),
      { e: {}, f: [{ yPos: 4, width: 24 }], i: "MARKDOWN", j: 1 },
    );
  });

  it("durations come back in canonical seconds", () => {
    assert.equal(canonicalDuration("600s"), "600s");
    assert.equal(canonicalDuration("060.0s"), "60s");
    assert.equal(canonicalDuration("1.5s"), "1.500s");
    assert.equal(canonicalDuration("0.0001s"), "0.000100s");
    assert.equal(canonicalDuration("10m"), "10m", "not a Duration's JSON form: left as is");
  });

  it("a dashboard is stored without its zero fields, with its name and etag", () => {
    const sent = {
      displayName: "d",
      mosaicLayout: { columns: 48, tiles: [{ xPos: 0, yPos: 0, width: 48 }] },
    };
    const back = returnedInputs(DASHBOARD, { project: "p-1", dashboardJson: JSON.stringify(sent) }, ctx);
    const stored = JSON.parse(String(back.dashboardJson)) as Record<string, unknown>;
    assert.deepEqual(stored.mosaicLayout, { columns: 48, tiles: [{ width: 48 }] });
    assert.match(String(stored.name), /^projects\/\d{12}\/dashboards\/[0-9a-f-]{36}$/);
    assert.ok(stored.etag);
  });

  it("the provider forgives the dashboard's name and etag, not a field the API dropped", () => {
    const same = providerComparison(DASHBOARD, "dashboardJson")!;
    const planned = JSON.stringify({ displayName: "d", mosaicLayout: { tiles: [{ width: 48 }] } });
    const stored = JSON.stringify({
      name: "n",
      etag: "e",
      mosaicLayout: { tiles: [{ width: 48 }] },
      displayName: "d",
    });
    assert.equal(same(stored, planned), true);
    const withZero = JSON.stringify({ displayName: "d", mosaicLayout: { tiles: [{ xPos: 0, width: 48 }] } });
    assert.equal(same(stored, withZero), false);
    assert.equal(same("not json", "not json"), true);
    assert.equal(same("not json", planned), false);
  });

  it("Cloud Armor rules: stored with preview false, compared as a set", () => {
    const rules = [
      { action: "allow", priority: 4000, match: { config: { srcIpRanges: ["b", "a"] } } },
      { action: "deny(403)", priority: 2147483647 },
    ];
    const back = returnedInputs(ARMOR, { rules }, ctx);
    assert.deepEqual(
      (back.rules as Record<string, unknown>[]).map((r) => r.preview),
      [false, false],
    );
    const same = providerComparison(ARMOR, "rules")!;
    const reordered = [{ ...rules[1] }, { ...rules[0], match: { config: { srcIpRanges: ["a", "b"] } } }];
    assert.equal(same(back.rules, reordered), true);
    assert.equal(same(back.rules, [{ ...rules[0], preview: true }, rules[1]]), false);
    assert.equal(same(back.rules, [rules[0]]), false);
  });

  it("a VM's computed interface name and address are no change; a set field is", () => {
    const same = providerComparison("gcp:compute/instance:Instance", "networkInterfaces")!;
    const stored = [{ network: "n", subnetwork: "s", name: "nic0", networkIp: "172.16.0.2" }];
    assert.equal(same(stored, [{ network: "n", subnetwork: "s" }]), true);
    assert.equal(same(stored, [{ network: "n", subnetwork: "t" }]), false);
    assert.equal(same(stored, [{ network: "n", subnetwork: "s", networkIp: "172.16.0.9" }]), false);
    assert.equal(same(stored, [...stored, { network: "n", subnetwork: "s" }]), false);
  });

  it("alert policies' durations are stored canonical; other inputs as sent", () => {
    const back = returnedInputs(
      "gcp:monitoring/alertPolicy:AlertPolicy",
      {
        displayName: "x",
        conditions: [
          { conditionThreshold: { duration: "60.0s", aggregations: [{ alignmentPeriod: "120s" }] } },
        ],
        alertStrategy: { autoClose: "86400.000s" },
      },
      ctx,
    );
    assert.deepEqual(back, {
      conditions: [{ conditionThreshold: { duration: "60s", aggregations: [{ alignmentPeriod: "120s" }] } }],
      alertStrategy: { autoClose: "86400s" },
    });
    assert.deepEqual(returnedInputs("gcp:sql/database:Database", { name: "x" }, ctx), {});
  });

  it("BigQuery fills a field's default mode; the provider forgives it, aliases and empty descriptions", () => {
    const TABLE = "gcp:bigquery/table:Table";
    const sent = [
      { name: "n", type: "INT64" },
      { name: "r", type: "RECORD", fields: [{ name: "x", type: "BOOL" }] },
    ];
    const back = returnedInputs(TABLE, { schema: JSON.stringify(sent) }, ctx);
    const stored = JSON.parse(String(back.schema)) as Record<string, unknown>[];
    assert.equal(stored[0]!.mode, "NULLABLE");
    assert.equal((stored[1]!.fields as Record<string, unknown>[])[0]!.mode, "NULLABLE");
    const same = providerComparison(TABLE, "schema")!;
    assert.equal(same(back.schema, JSON.stringify(sent)), true);
    const renamed = [{ name: "n", type: "INTEGER", description: "" }, sent[1]];
    assert.equal(same(back.schema, JSON.stringify(renamed)), true);
    const required = [{ name: "n", type: "INT64", mode: "REQUIRED" }, sent[1]];
    assert.equal(same(back.schema, JSON.stringify(required)), false);
    assert.equal(same(back.schema, JSON.stringify([sent[1], sent[0]])), false, "order matters");
    assert.equal(same("null", "[]"), true);
  });
});
