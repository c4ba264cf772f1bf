import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { diffExports, renderDiff, verdict } from "../../delivery/diff";
import { RESOURCE_TYPES, classify, type StatefulType } from "../../platform/resource-types";
import { toStackExport, type StackExport, type ExportedResource } from "../../engine/export";
import { exampleServices, planOf } from "../helpers/stacks";
import { findStack } from "../../program/stack-targets";
import { platformSettingsFor } from "../../program/config";
import { runStackOffline } from "../../runner/run";
import { mspInProcess as msp, REPO } from "../helpers/cli";
import type { DiffReport } from "../../delivery/diff-report";

const exportOf = async (stack: string) => structuredClone(toStackExport(await planOf(stack), "3"));
const base = () => exportOf("accounts-prod");
const byType = (d: StackExport, type: string) =>
  d.deployment.resources.find((r) => r.type === type) as ExportedResource;
const byName = (d: StackExport, name: string) =>
  d.deployment.resources.find((r) => r.urn.endsWith(`::${name}`)) as ExportedResource;
/** allowDestroys applied: the platform then protects nothing. */
const unprotect = (d: StackExport) => d.deployment.resources.forEach((r) => delete r.protect);
const remove = (d: StackExport, keep: (r: ExportedResource) => boolean) =>
  (d.deployment.resources = d.deployment.resources.filter(keep));
const stateful = (type: string) => RESOURCE_TYPES[type] as StatefulType;

describe("msp diff", () => {
  it("reports creates, updates with changed fields, and deletes", async () => {
    const before = await base();
    const after = await base();
    after.deployment.resources.push({
      urn: "urn:pulumi:accounts-prod::msp::gcp:monitoring/dashboard:Dashboard::new",
      custom: true,
      type: "gcp:monitoring/dashboard:Dashboard",
      inputs: {},
    });
    byType(after, "gcp:cloudrunv2/service:Service").inputs!.ingress = "INGRESS_TRAFFIC_ALL";
    remove(after, (r) => r.urn !== byType(before, "gcp:monitoring/dashboard:Dashboard").urn);
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
    assert.deepEqual([d.losses, d.unknown, d.downgrades], [[], [], []]);
    assert.equal(verdict(d).exitCode, 0);
  });

  it("pairs a resource found by its alias with its former self: no delete, no create, no loss", async () => {
    const before = await base();
    const after = await base();
    const sql = byType(after, "gcp:sql/databaseInstance:DatabaseInstance");
    const formerUrn = sql.urn;
    const moved = (d: StackExport) => {
      const r = byType(d, "gcp:sql/databaseInstance:DatabaseInstance");
      r.urn = formerUrn.replace("msp:gcp:PostgresInstance$", "msp:gcp:Database$");
      return r;
    };
    moved(after).aliases = [formerUrn];
    const d = diffExports(before, after);
    assert.deepEqual([d.creates, d.deletes, d.losses, d.replaces], [[], [], [], []]);
    assert.deepEqual(d.moves, [
      {
        urn: byType(after, "gcp:sql/databaseInstance:DatabaseInstance").urn,
        type: sql.type,
        from: formerUrn,
      },
    ]);
    assert.match(renderDiff(d), /0 to delete \(1 found by an alias\)/);

    // The same move without the alias: Pulumi would delete the instance and create another.
    const unaliased = await base();
    moved(unaliased);
    const lost = diffExports(before, unaliased);
    assert.deepEqual(
      [lost.creates.length, lost.deletes.length, lost.losses.map((l) => l.type)],
      [1, 1, ["gcp:sql/databaseInstance:DatabaseInstance"]],
    );
    assert.equal(verdict(lost).exitCode, 1);
  });

  it("does not take an alias whose URN is still a resource of the new export", async () => {
    const before = await base();
    const after = await base();
    const dashboard = byType(after, "gcp:monitoring/dashboard:Dashboard");
    after.deployment.resources.push({ ...dashboard, urn: `${dashboard.urn}-copy`, aliases: [dashboard.urn] });
    const d = diffExports(before, after);
    assert.deepEqual([d.moves, d.creates.map((c) => c.urn)], [[], [`${dashboard.urn}-copy`]]);
  });

  // The provider's replacement-forcing inputs (terraform-provider-google ForceNew / magic-modules immutable)
  // that the issue and the reviews named: each must be in the table and flagged on a real export.
  const REPLACEMENTS: [stack: string, type: string, field: string, value: unknown][] = [
    ["accounts-prod", "gcp:sql/databaseInstance:DatabaseInstance", "name", "postgresql-ffff"],
    ["accounts-prod", "gcp:sql/databaseInstance:DatabaseInstance", "region", "europe-west2"],
    ["accounts-prod", "gcp:sql/databaseInstance:DatabaseInstance", "settings.diskType", "PD_HDD"],
    ["accounts-prod", "gcp:sql/databaseInstance:DatabaseInstance", "encryptionKeyName", "projects/p/keys/k"],
    ["accounts-prod", "gcp:redis/instance:Instance", "tier", "BASIC"],
    ["accounts-prod", "gcp:redis/instance:Instance", "region", "europe-west2"],
    ["accounts-prod", "gcp:redis/instance:Instance", "transitEncryptionMode", "DISABLED"],
    ["accounts-prod", "gcp:redis/instance:Instance", "authorizedNetwork", "projects/x/global/networks/y"],
    ["accounts-prod", "gcp:redis/instance:Instance", "connectMode", "DIRECT_PEERING"],
    ["accounts-prod", "gcp:redis/instance:Instance", "reservedIpRange", "10.9.0.0/29"],
    ["accounts-prod", "gcp:redis/instance:Instance", "locationId", "us-west1-b"],
    ["accounts-prod", "gcp:redis/instance:Instance", "customerManagedKey", "projects/p/keys/k"],
    ["accounts-prod", "gcp:organizations/project:Project", "projectId", "accounts-prod-zzzz"],
    ["accounts-prod", "gcp:sql/database:Database", "name", "accounts2"],
    ["accounts-prod", "gcp:sql/user:User", "name", "someone-else"],
    ["accounts-prod", "gcp:secretmanager/secret:Secret", "secretId", "OTHER"],
    ["accounts-prod", "gcp:secretmanager/secret:Secret", "replication", { userManaged: { replicas: [] } }],
    ["accounts-prod", "gcp:serviceaccount/account:Account", "accountId", "accounts-sa2"],
    ["usage-exporter-prod", "gcp:bigquery/dataset:Dataset", "location", "EU"],
    ["usage-exporter-prod", "gcp:bigquery/dataset:Dataset", "datasetId", "other"],
    ["usage-exporter-prod", "gcp:bigquery/table:Table", "tableId", "renamed"],
    ["usage-exporter-prod", "gcp:bigquery/table:Table", "timePartitioning.field", "occurred_at"],
    ["pings-prod", "gcp:storage/bucket:Bucket", "location", "EU"],
  ];
  for (const [stack, type, field, value] of REPLACEMENTS) {
    it(`flags replacing ${type.split(":").pop()} (${field} changed) as data loss, unless allowDestroys was applied`, async () => {
      assert.ok(stateful(type).replaceOn.includes(field), `${field} is a replace-on input of ${type}`);
      const before = await exportOf(stack);
      const after = await exportOf(stack);
      const target = byType(after, type);
      const [head, ...rest] = field.split(".");
      if (rest.length) {
        const parent = (target.inputs![head!] ??= {}) as Record<string, unknown>;
        parent[rest.join(".")] = value;
      } else target.inputs![field] = value;
      const d = diffExports(before, after);
      assert.deepEqual(
        d.losses.map((l) => [l.type, l.fields]),
        [[type, [field]]],
      );
      assert.equal(verdict(d).exitCode, 1);
      unprotect(before);
      unprotect(after);
      const released = diffExports(before, after);
      assert.deepEqual(released.losses, [], "allowDestroys applied first (nothing protected) clears it");
      assert.equal(released.replaces.length, 1, "still a replacement");
    });
  }

  it("replaces Redis on a version downgrade only, Cloud SQL on a disk shrink only when not ignored", async () => {
    const before = await base();
    const up = await base();
    byType(up, "gcp:redis/instance:Instance").inputs!.redisVersion = "REDIS_7_4";
    assert.deepEqual(diffExports(before, up).losses, [], "an upgrade is in place");
    const down = await base();
    byType(down, "gcp:redis/instance:Instance").inputs!.redisVersion = "REDIS_6_X";
    assert.deepEqual(
      diffExports(before, down).losses.map((l) => l.fields),
      [["redisVersion"]],
    );
    // The component ignores settings.diskSize (disks grow by themselves): no change at all.
    const smaller = await base();
    const sql = byType(smaller, "gcp:sql/databaseInstance:DatabaseInstance");
    (sql.inputs!.settings as Record<string, unknown>).diskSize = 5;
    assert.deepEqual(sql.ignoreChanges, ["settings.diskSize"]);
    assert.equal(diffExports(before, smaller).updates.length, 0);
    delete sql.ignoreChanges;
    const b2 = await base();
    delete byType(b2, "gcp:sql/databaseInstance:DatabaseInstance").ignoreChanges;
    assert.deepEqual(
      diffExports(b2, smaller).losses.map((l) => l.fields),
      [["settings.diskSize"]],
    );
  });

  it("flags dropped BigQuery columns (in place or by replacement), and only those", async () => {
    const before = await exportOf("usage-exporter-prod");
    const table = (d: StackExport) => byName(d, "bigquery-usage_events");
    const schema = (d: StackExport) =>
      JSON.parse(table(d).inputs!.schema as string) as Record<string, unknown>[];
    const withSchema = async (f: (cols: Record<string, unknown>[]) => Record<string, unknown>[]) => {
      const after = await exportOf("usage-exporter-prod");
      table(after).inputs!.schema = JSON.stringify(f(schema(after)));
      return diffExports(before, after);
    };
    const dropped = await withSchema((cols) => cols.filter((c) => c.name !== "tokens"));
    assert.deepEqual(
      dropped.losses.map((l) => l.detail),
      ["columns dropped: tokens"],
    );
    assert.equal(dropped.replaces.length, 0, "a top-level column is dropped in place");
    assert.match(renderDiff(dropped), /DATA LOSS[\s\S]*bigquery-usage_events \(columns dropped: tokens\)/);
    const renamed = await withSchema((cols) =>
      cols.map((c) => (c.name === "tokens" ? { ...c, name: "token_count" } : c)),
    );
    assert.deepEqual(
      renamed.losses.map((l) => l.fields),
      [["schema"]],
      "a drop with an addition (a rename) replaces the table",
    );
    const retyped = await withSchema((cols) =>
      cols.map((c) => (c.name === "tokens" ? { ...c, type: "STRING" } : c)),
    );
    assert.equal(retyped.replaces.length, 1, "a type change replaces the table");
    const added = await withSchema((cols) => [...cols, { name: "region", type: "STRING", mode: "NULLABLE" }]);
    const relaxed = await withSchema((cols) =>
      cols.map((c) => (c.name === "customer" ? { ...c, mode: "NULLABLE" } : c)),
    );
    const sameType = await withSchema((cols) =>
      cols.map((c) => (c.name === "tokens" ? { ...c, type: "INT64" } : c)),
    );
    for (const d of [added, relaxed, sameType]) assert.deepEqual([d.losses, d.replaces], [[], []]);
    const required = await withSchema((cols) => [
      ...cols,
      { name: "region", type: "STRING", mode: "REQUIRED" },
    ]);
    assert.equal(required.replaces.length, 1, "a new REQUIRED column replaces the table");
    const garbage = await exportOf("usage-exporter-prod");
    table(garbage).inputs!.schema = "not json";
    assert.equal(
      diffExports(before, garbage).losses.length,
      1,
      "an unreadable schema counts as a replacement",
    );
  });

  it("flags deleting stateful resources: the protected workload service account, datasets, tables", async () => {
    const accounts = await base();
    const noWorkload = await base();
    remove(noWorkload, (r) => !r.urn.endsWith("::iam-workload"));
    assert.deepEqual(
      diffExports(accounts, noWorkload).losses.map((l) => l.type),
      ["gcp:serviceaccount/account:Account"],
    );
    const exporter = await exportOf("usage-exporter-prod");
    const noTables = await exportOf("usage-exporter-prod");
    remove(noTables, (r) => r.type !== "gcp:bigquery/table:Table");
    assert.equal(diffExports(exporter, noTables).losses.length, 2, "both tables deleted");
  });

  it("reports changes to unclassified resource types as findings; components hold nothing", async () => {
    const before = await base();
    const after = await base();
    after.deployment.resources.push(
      {
        urn: "urn:pulumi:accounts-prod::msp::gcp:filestore/instance:Instance::nfs",
        custom: true,
        type: "gcp:filestore/instance:Instance",
      },
      { urn: "urn:pulumi:accounts-prod::msp::msp:gcp:Thing::thing", custom: false, type: "msp:gcp:Thing" },
    );
    const d = diffExports(before, after);
    assert.deepEqual(
      d.unknown.map((u) => u.type),
      ["gcp:filestore/instance:Instance"],
    );
    assert.deepEqual(verdict(d), { exitCode: 1, reasons: ["1 change(s) to unclassified resource types"] });
    assert.match(renderDiff(d), /UNKNOWN RESOURCE TYPES[\s\S]*filestore[\s\S]*platform\/resource-types\.ts/);
    assert.equal(diffExports(after, before).unknown.length, 1, "deleting an unclassified resource too");
  });

  it("classifies every resource type the components and the program create", () => {
    const sdks: Record<string, Record<string, unknown>> = {
      gcp: require("@pulumi/gcp") as Record<string, unknown>,
      cloudflare: require("@pulumi/cloudflare") as Record<string, unknown>,
      random: require("@pulumi/random") as Record<string, unknown>,
    };
    const files = ["components", "program"].flatMap((d) =>
      (fs.readdirSync(path.join(REPO, d), { recursive: true }) as string[])
        .filter((f) => f.endsWith(".ts"))
        .map((f) => path.join(REPO, d, f)),
    );
    const found = new Set<string>();
    for (const file of files)
      for (const m of fs.readFileSync(file, "utf8").matchAll(/new (gcp|cloudflare|random)\.([\w.]+)\(/g)) {
        let cls: unknown = sdks[m[1]!];
        for (const part of m[2]!.split(".")) cls = (cls as Record<string, unknown>)[part];
        const token = (cls as { __pulumiType: string }).__pulumiType;
        found.add(m[2] === "Provider" ? `pulumi:providers:${token}` : token);
      }
    assert.ok(found.size > 40, `found ${found.size} resource classes`);
    const missing = [...found].filter((t) => !classify(t));
    assert.deepEqual(missing, [], "classify these in platform/resource-types.ts");
    for (const t of [
      "gcp:sql/user:User",
      "gcp:storage/bucket:Bucket",
      "gcp:secretmanager/secretVersion:SecretVersion",
    ])
      assert.equal(classify(t)?.stateful, true, `${t} is stateful`);
  });

  describe("protection downgrades", () => {
    const downgradesOf = (before: StackExport, after: StackExport) =>
      diffExports(before, after).downgrades.map((d) => `${d.urn.split("::").pop()}: ${d.what}`);

    it("a production category lowered to test, with Cloud Armor deleted, is a downgrade, not a silent 0", async () => {
      const before = await base();
      const after = await base();
      const project = byType(after, "gcp:organizations/project:Project");
      (project.inputs!.labels as Record<string, string>).category = "test";
      delete byType(after, "gcp:compute/backendService:BackendService").inputs!.securityPolicy;
      remove(after, (r) => r.type !== "gcp:compute/securityPolicy:SecurityPolicy");
      const d = diffExports(before, after);
      assert.deepEqual(downgradesOf(before, after), [
        "project: category lowered from external to test",
        "domain-backend: Cloud Armor security policy detached from the backend",
        "domain-armor: Cloud Armor security policy removed while the load balancer stays",
      ]);
      assert.equal(d.losses.length, 0);
      assert.equal(verdict(d).exitCode, 1);
      assert.equal(verdict(d, true).exitCode, 0, "allowed by the label");
    });

    it("SSL policy detached or weakened, deletion protection, protect, PITR and backups turned off", async () => {
      const before = await base();
      const after = await base();
      delete byType(after, "gcp:compute/targetHttpsProxy:TargetHttpsProxy").inputs!.sslPolicy;
      byType(after, "gcp:compute/sSLPolicy:SSLPolicy").inputs!.minTlsVersion = "TLS_1_0";
      const sql = byType(after, "gcp:sql/databaseInstance:DatabaseInstance");
      sql.inputs!.deletionProtection = false;
      const settings = sql.inputs!.settings as Record<string, unknown>;
      settings.deletionProtectionEnabled = false;
      const backups = settings.backupConfiguration as Record<string, unknown>;
      backups.pointInTimeRecoveryEnabled = false;
      backups.enabled = false;
      delete byType(after, "gcp:redis/instance:Instance").protect;
      byType(after, "gcp:organizations/project:Project").inputs!.deletionPolicy = "DELETE";
      assert.deepEqual(downgradesOf(before, after).sort(), [
        "domain-https-proxy: SSL policy detached from the HTTPS proxy",
        "domain-ssl-policy: minimum TLS version lowered from TLS_1_2 to TLS_1_0",
        "postgres-instance: Cloud SQL deletion protection turned off",
        "postgres-instance: Pulumi-side deletion protection turned off",
        "postgres-instance: automated backups turned off",
        "postgres-instance: point-in-time recovery turned off",
        "project: project deletion policy PREVENT lifted (DELETE)",
        "redis-instance: Pulumi `protect` removed",
      ]);
      const upgrade = downgradesOf(after, before);
      assert.deepEqual(upgrade, [], "turning protections back on is no downgrade");
    });

    it("a platform setting changed (the shared secrets project, the folder) is a downgrade the plan shows (issue 23, finding 3)", async () => {
      const target = findStack(exampleServices(), "accounts-prod")!;
      const settings = platformSettingsFor("accounts-prod", REPO);
      const planWith = async (s: typeof settings) =>
        structuredClone(toStackExport(await runStackOffline(target, s), "3"));
      const before = await planWith(settings);
      // The deploy would read the origin key, Slack token and paging hooks elsewhere: no resource shows it.
      const redirected = await planWith({ ...settings, sharedSecretsProject: "attacker-secrets" });
      assert.deepEqual(downgradesOf(before, redirected), [
        "msp-accounts-prod: platform setting msp:sharedSecretsProject changed from msp-platform-secrets to attacker-secrets",
      ]);
      const moved = await planWith({
        ...settings,
        folders: { ...settings.folders, external: "folders/000000000001" },
      });
      assert.deepEqual(downgradesOf(before, moved), [
        "project: project moved from folder folders/000000000003 to folders/000000000001 (msp:folders)",
        'msp-accounts-prod: platform setting msp:folders changed from {"external":"folders/000000000003","internal":"folders/000000000002","test":"folders/000000000001"} to {"external":"folders/000000000001","internal":"folders/000000000002","test":"folders/000000000001"}',
      ]);
      assert.equal(verdict(diffExports(before, moved)).exitCode, 1);
      // The control: the same settings, no downgrade; an export made before the output existed compares nothing.
      assert.deepEqual(downgradesOf(before, await planWith({ ...settings })), []);
      const old = structuredClone(before);
      delete byType(old, "pulumi:pulumi:Stack").outputs!.platform;
      assert.deepEqual(downgradesOf(old, redirected), []);
    });
  });

  describe("the command", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "msp-diff-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const write = (name: string, doc: unknown) => {
      const f = path.join(dir, name);
      fs.writeFileSync(f, typeof doc === "string" ? doc : JSON.stringify(doc));
      return f;
    };

    it("exits 1 on a loss or an unallowed downgrade, 0 otherwise or with --allow-downgrade", async () => {
      const before = await base();
      const a = write("a.json", before);
      const loss = await base();
      byType(loss, "gcp:redis/instance:Instance").inputs!.tier = "BASIC";
      const lowered = await base();
      (
        byType(lowered, "gcp:organizations/project:Project").inputs!.labels as Record<string, string>
      ).category = "internal";
      const r = await msp(["diff", a, write("loss.json", loss)]);
      assert.equal(r.status, 1);
      assert.match(
        r.stdout,
        /DATA LOSS[\s\S]*gcp:redis\/instance:Instance redis-instance \(tier changed\)[\s\S]*allowDestroys: true/,
      );
      const g = write("lowered.json", lowered);
      const strict = await msp(["diff", a, g]);
      assert.equal(strict.status, 1);
      assert.match(strict.stdout, /PROTECTION DOWNGRADE[\s\S]*msp\/allow-downgrade/);
      assert.equal((await msp(["diff", a, g, "--allow-downgrade"])).status, 0);
    });

    it("shows every changed input before -> after, the inputs forcing a replacement, and the same as --format json", async () => {
      const before = await base();
      const a = write("values-a.json", before);
      const after = await base();
      const run = byType(after, "gcp:cloudrunv2/service:Service");
      const container = (run.inputs!.template as { containers: { image: string }[] }).containers[0]!;
      const oldImage = container.image;
      container.image = oldImage.replace(/:[^:]+$/, ":9.9.9");
      const sql = byType(after, "gcp:sql/databaseInstance:DatabaseInstance");
      const settings = sql.inputs!.settings as Record<string, unknown>;
      settings.diskType = "PD_HDD";
      settings.tier = "db-custom-1-4096";
      const b = write("values-b.json", after);
      const text = await msp(["diff", a, b]);
      assert.equal(text.status, 1, text.stderr);
      const image = /template\.containers\[name=accounts\]\.image: "(.+)" -> "(.+)"/.exec(text.stdout);
      assert.deepEqual(image?.slice(1), [oldImage, container.image], text.stdout);
      assert.match(
        text.stdout,
        /\+- {2}gcp:sql\/databaseInstance:DatabaseInstance postgres-instance \(replaced: settings\.diskType changed\)\n {6}settings\.diskType: "PD_SSD" -> "PD_HDD" {2}\(forces replacement\)\n {6}settings\.tier: "db-custom-2-8192" -> "db-custom-1-4096"\n/,
      );
      assert.match(text.stdout, /PostgreSQL shrunk from 2 vCPU \/ 8 GB to 1 vCPU \/ 4 GB/);
      const json = await msp(["diff", a, b, "--format", "json"]);
      assert.equal(json.status, 1);
      const report = JSON.parse(json.stdout) as DiffReport;
      assert.deepEqual(report.counts, { create: 0, update: 1, replace: 1, delete: 0, moved: 0 });
      assert.deepEqual(report.updates[0]!.changes, [
        { path: "template.containers[name=accounts].image", before: oldImage, after: container.image },
      ]);
      assert.deepEqual(report.replaces[0]!.changes, [
        { path: "settings.diskType", before: "PD_SSD", after: "PD_HDD", forcesReplacement: true },
        { path: "settings.tier", before: "db-custom-2-8192", after: "db-custom-1-4096" },
      ]);
      assert.deepEqual(report.verdict.reasons, ["1 data loss(es)", "1 protection downgrade(s)"]);
      assert.match(report.downgrades[0]!.what, /PostgreSQL shrunk/);
      assert.equal((await msp(["diff", a, b, "--format", "yaml"])).status, 2, "one --format helper: choices");
    });

    it("exits 2, never 1, with one clear line when an export cannot be used (200,000 nested arrays)", async () => {
      const good = write("good.json", { version: 3, deployment: { resources: [] } });
      const deep = write("deep.json", "[".repeat(200_000) + "]".repeat(200_000));
      for (const [file, message] of [
        [deep, /nests deeper than 128 levels/],
        [dir, /not a regular file \(a directory\)/],
      ] as const) {
        const r = await msp(["diff", good, file]);
        assert.equal(r.status, 2, `${file}: ${r.stderr}`);
        assert.match(r.stderr, message);
        assert.equal(r.stderr.trim().split("\n").length, 1, "one line, no stack trace");
      }
    });
  });
});
