import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { diffExports, REPLACE_ON } from "../../delivery/diff";
import { toStackExport, type StackExport, type ExportedResource } from "../../engine/export";
import { planOf } from "../helpers/stacks";
import { msp } from "../helpers/cli";

const base = async () => structuredClone(toStackExport(await planOf("accounts-prod"), "3"));
const byType = (d: StackExport, type: string) =>
  d.deployment.resources.find((r) => r.type === type) as ExportedResource;
const unprotect = (d: StackExport) => d.deployment.resources.forEach((r) => delete r.protect);

describe("msp diff", () => {
  it("reports creates, updates with changed fields, and deletes", async () => {
    const before = await base();
    const after = await base();
    after.deployment.resources.push({
      urn: "urn:pulumi:accounts-prod::msp::gcp:storage/bucket:Bucket::new",
      custom: true,
      type: "gcp:storage/bucket:Bucket",
      inputs: {},
    });
    byType(after, "gcp:cloudrunv2/service:Service").inputs!.ingress = "INGRESS_TRAFFIC_ALL";
    after.deployment.resources = after.deployment.resources.filter(
      (r) => r.type !== "gcp:monitoring/dashboard:Dashboard",
    );
    const d = diffExports(before, after);
    assert.equal(d.creates.length, 1);
    assert.deepEqual(
      d.updates.map((u) => u.fields),
      [["ingress"]],
    );
    assert.deepEqual(
      d.deletes.map((x) => x.type),
      ["gcp:monitoring/dashboard:Dashboard"],
    );
    assert.deepEqual(d.losses, []);
  });

  const REPLACEMENTS: [string, string, unknown][] = [
    ["gcp:sql/databaseInstance:DatabaseInstance", "name", "postgresql-ffff"],
    ["gcp:sql/databaseInstance:DatabaseInstance", "region", "europe-west2"],
    ["gcp:redis/instance:Instance", "tier", "BASIC"],
    ["gcp:redis/instance:Instance", "region", "europe-west2"],
    ["gcp:organizations/project:Project", "projectId", "accounts-prod-zzzz"],
    ["gcp:sql/database:Database", "name", "accounts2"],
    ["gcp:secretmanager/secret:Secret", "secretId", "OTHER"],
  ];
  for (const [type, field, value] of REPLACEMENTS) {
    it(`flags replacing ${type.split(":").pop()} (${field} changed) as data loss, unless allowDestroys`, async () => {
      const before = await base();
      const after = await base();
      byType(after, type).inputs![field] = value;
      const d = diffExports(before, after);
      assert.deepEqual(
        d.losses.map((l) => [l.type, l.fields]),
        [[type, [field]]],
      );
      assert.ok(REPLACE_ON[type]!.includes(field));
      unprotect(before);
      unprotect(after);
      assert.deepEqual(
        diffExports(before, after).losses,
        [],
        "allowDestroys applied first (unprotected) clears it",
      );
      assert.equal(diffExports(before, after).replaces.length, 1);
    });
  }

  it("flags deleting BigQuery datasets and tables (dataset id or location changed)", async () => {
    const exporter = structuredClone(toStackExport(await planOf("usage-exporter-prod"), "3"));
    const after = structuredClone(exporter);
    byType(after, "gcp:bigquery/dataset:Dataset").inputs!.location = "EU";
    byType(after, "gcp:bigquery/table:Table").inputs!.datasetId = "other";
    assert.deepEqual(
      diffExports(exporter, after)
        .losses.map((l) => l.type)
        .sort(),
      ["gcp:bigquery/dataset:Dataset", "gcp:bigquery/table:Table"],
    );
    const removed = structuredClone(exporter);
    removed.deployment.resources = removed.deployment.resources.filter(
      (r) => r.type !== "gcp:bigquery/table:Table",
    );
    assert.equal(diffExports(exporter, removed).losses.length, 2, "both tables deleted");
  });

  it("exits 1 from the CLI on a loss, 0 otherwise", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "msp-diff-"));
    const before = await base();
    const after = await base();
    fs.writeFileSync(path.join(dir, "a.json"), JSON.stringify(before));
    fs.writeFileSync(path.join(dir, "same.json"), JSON.stringify(after));
    byType(after, "gcp:redis/instance:Instance").inputs!.tier = "BASIC";
    fs.writeFileSync(path.join(dir, "b.json"), JSON.stringify(after));
    assert.equal(msp(["diff", path.join(dir, "a.json"), path.join(dir, "same.json")]).status, 0);
    const r = msp(["diff", path.join(dir, "a.json"), path.join(dir, "b.json")]);
    assert.equal(r.status, 1);
    assert.match(
      r.stdout,
      /DATA LOSS[\s\S]*gcp:redis\/instance:Instance redis-instance \(tier changed\)[\s\S]*allowDestroys: true/,
    );
  });
});
