import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { categoryConfigJson, policyReadme, categoryConfig } from "../../policy-emulator/generate";
import { evaluatePolicies, type PackConfig } from "../../policy-emulator/evaluate";
import { POLICIES } from "../../policy/policies";
import { CATEGORIES } from "../../platform/categories";
import { REPO } from "../helpers/cli";
import { res, TAGS } from "../helpers/policy";
import { gcpSqlHighAvailability } from "../../policy/rules/gcp-sql-high-availability";

const read = (p: string) => fs.readFileSync(path.join(REPO, p), "utf8");

describe("policy pack", () => {
  it("index.ts only constructs the PolicyPack from the exported list", () => {
    const index = read("policy/index.ts");
    assert.match(
      index,
      /new PolicyPack\("msp", \{ enforcementLevel: "advisory", policies: \[\.\.\.POLICIES\] \}\)/,
    );
    assert.deepEqual(index.match(/^import .*$/gm), [
      'import { PolicyPack } from "@pulumi/policy";',
      'import { POLICIES } from "./policies";',
    ]);
    const manifest = parse(read("policy/PulumiPolicy.yaml")) as { runtime: { name: string } };
    assert.equal(manifest.runtime.name, "nodejs");
  });

  it("has one file per policy, named after it", () => {
    const files = fs
      .readdirSync(path.join(REPO, "policy", "rules"))
      .map((f) => f.replace(/\.ts$/, ""))
      .sort();
    assert.deepEqual(files, POLICIES.map((p) => p.name).sort());
    assert.equal(new Set(POLICIES.map((p) => p.name)).size, POLICIES.length);
  });

  for (const c of CATEGORIES)
    it(`policy/config/${c}.json is up to date (npx msp policy docs)`, () => {
      assert.equal(read(`policy/config/${c}.json`), categoryConfigJson(c));
    });

  it("policy/README.md is up to date and lists every policy", () => {
    const readme = read("policy/README.md");
    assert.equal(readme, policyReadme());
    for (const p of POLICIES) assert.ok(readme.includes(`\`${p.name}\``));
  });

  it("resolves enforcement like the engine: pack config, then policy, then pack default", () => {
    const sql = [
      res("gcp:sql/databaseInstance:DatabaseInstance", { settings: { availabilityType: "ZONAL" } }),
    ];
    const level = (config: PackConfig, policyLevel?: "mandatory") =>
      evaluatePolicies([{ ...gcpSqlHighAvailability, enforcementLevel: policyLevel }], sql, config, TAGS())
        .violations[0]?.level;
    assert.equal(level({}), "advisory", "pack default");
    assert.equal(level({}, "mandatory"), "mandatory", "policy level");
    assert.equal(
      level({ "gcp-sql-high-availability": { enforcementLevel: "advisory" } }, "mandatory"),
      "advisory",
      "config wins",
    );
    assert.equal(
      level({ "gcp-sql-high-availability": { enforcementLevel: "disabled" } }, "mandatory"),
      undefined,
    );
  });

  it("takes category levels from the catalogue: HA off in test and advisory in external (MSP's default), PITR mandatory", () => {
    assert.equal(categoryConfig("test")["gcp-sql-high-availability"]!.enforcementLevel, "disabled");
    assert.equal(categoryConfig("external")["gcp-sql-high-availability"]!.enforcementLevel, "advisory");
    assert.equal(categoryConfig("external")["gcp-sql-pitr-enabled"]!.enforcementLevel, "mandatory");
    assert.equal(categoryConfig("external")["gcp-sql-backup-retention"]!.minRetainedBackups, 14);
  });

  it("records notApplicable instead of a violation", () => {
    const r = evaluatePolicies(
      POLICIES,
      [res("cloudflare:index/zoneSetting:ZoneSetting", { settingId: "tls_1_3", value: "on" })],
      categoryConfig("external"),
      TAGS(),
    );
    assert.ok(
      r.notApplicable.some(
        (n) => n.policy === "cloudflare-zone-ssl-strict" && /not the ssl setting/.test(n.reason),
      ),
    );
  });
});
