/**
 * The delivery rules row by row, on hand-made exports of one resource: every downgrade rule of
 * delivery/downgrades.ts and every one-way replacement or loss rule of platform/resource-types.ts, each with
 * the case where one side is unset (a setting removed, a value never set), and the edge just past it (TLS 1.1,
 * a version one minor lower, a tier one size smaller). Expectations are literal messages, not read back from
 * the tables. Pure and fast: no stack program runs.
 */
import * as assert from "node:assert/strict";
import { diffExports } from "../../delivery/diff";
import type { ExportedResource, StackExport } from "../../engine/export";

const exportOf = (...resources: ExportedResource[]): StackExport => ({
  version: 3,
  deployment: {
    manifest: { time: "1970-01-01T00:00:00Z", magic: "", version: "" },
    secrets_providers: { type: "passphrase", state: {} },
    resources,
  },
});

/** One resource named `r` of `type` whose input `path` (dotted) is `value` (absent when undefined). */
function resource(type: string, path: string, value: unknown, extra: Partial<ExportedResource> = {}) {
  const inputs: Record<string, unknown> = {};
  const keys = path.split(".");
  let at = inputs;
  for (const k of keys.slice(0, -1)) at = at[k] = {};
  if (value !== undefined) at[keys.at(-1)!] = value;
  return { urn: `urn:pulumi:svc-prod::msp::${type}::r`, custom: true, type, inputs, ...extra };
}

const PROJECT = "gcp:organizations/project:Project";
const SQL = "gcp:sql/databaseInstance:DatabaseInstance";
const REDIS = "gcp:redis/instance:Instance";
const BUCKET = "gcp:storage/bucket:Bucket";
const UNSET = undefined;

/** [type, input path, before, after, the downgrade reported (none: undefined)]. */
const DOWNGRADES: [string, string, unknown, unknown, string | undefined][] = [
  [PROJECT, "labels.category", "external", "test", "category lowered from external to test"],
  [PROJECT, "labels.category", "external", "internal", "category lowered from external to internal"],
  [PROJECT, "labels.category", "internal", UNSET, "category lowered from internal to none"],
  [PROJECT, "labels.category", "test", "production", "category lowered from test to production"],
  [PROJECT, "labels.category", "test", "external", undefined],
  [PROJECT, "labels.category", UNSET, "test", undefined],
  [
    PROJECT,
    "folderId",
    "folders/1",
    "folders/2",
    "project moved from folder folders/1 to folders/2 (msp:folders)",
  ],
  [PROJECT, "folderId", "folders/1", UNSET, "project moved from folder folders/1 to none (msp:folders)"],
  [PROJECT, "folderId", UNSET, "folders/1", undefined],
  [PROJECT, "billingAccount", "B-1", UNSET, "billing account changed from B-1 to none (msp:billingAccount)"],
  [PROJECT, "deletionPolicy", "PREVENT", UNSET, "project deletion policy PREVENT lifted (unset)"],
  [PROJECT, "deletionPolicy", "PREVENT", "ABANDON", "project deletion policy PREVENT lifted (ABANDON)"],
  [PROJECT, "deletionPolicy", UNSET, "DELETE", undefined],
  [
    "gcp:compute/backendService:BackendService",
    "securityPolicy",
    "armor",
    UNSET,
    "Cloud Armor security policy detached from the backend",
  ],
  [
    "gcp:compute/backendService:BackendService",
    "securityPolicy",
    "armor",
    "",
    "Cloud Armor security policy detached from the backend",
  ],
  ["gcp:compute/backendService:BackendService", "securityPolicy", UNSET, "armor", undefined],
  [
    "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
    "sslPolicy",
    "ssl",
    UNSET,
    "SSL policy detached from the HTTPS proxy",
  ],
  [
    "gcp:compute/sSLPolicy:SSLPolicy",
    "minTlsVersion",
    "TLS_1_2",
    UNSET,
    "minimum TLS version lowered from TLS_1_2 to the default",
  ],
  [
    "gcp:compute/sSLPolicy:SSLPolicy",
    "minTlsVersion",
    "TLS_1_2",
    "TLS_1_1",
    "minimum TLS version lowered from TLS_1_2 to TLS_1_1",
  ],
  [
    "gcp:compute/sSLPolicy:SSLPolicy",
    "minTlsVersion",
    "TLS_1_3",
    "TLS_1_2",
    "minimum TLS version lowered from TLS_1_3 to TLS_1_2",
  ],
  ["gcp:compute/sSLPolicy:SSLPolicy", "minTlsVersion", "TLS_1_1", "TLS_1_2", undefined],
  [SQL, "deletionProtection", true, UNSET, "Pulumi-side deletion protection turned off"],
  [SQL, "settings.deletionProtectionEnabled", true, UNSET, "Cloud SQL deletion protection turned off"],
  [
    SQL,
    "settings.backupConfiguration.pointInTimeRecoveryEnabled",
    true,
    UNSET,
    "point-in-time recovery turned off",
  ],
  [SQL, "settings.backupConfiguration.enabled", true, UNSET, "automated backups turned off"],
  [SQL, "settings.backupConfiguration.enabled", UNSET, true, undefined],
  [
    SQL,
    "settings.tier",
    "db-custom-2-8192",
    "db-custom-1-8192",
    "PostgreSQL shrunk from 2 vCPU / 8 GB to 1 vCPU / 8 GB (db-custom-2-8192 -> db-custom-1-8192; the instance restarts)",
  ],
  [
    SQL,
    "settings.tier",
    "db-custom-2-8192",
    "db-custom-2-7168",
    "PostgreSQL shrunk from 2 vCPU / 8 GB to 2 vCPU / 7 GB (db-custom-2-8192 -> db-custom-2-7168; the instance restarts)",
  ],
  [SQL, "settings.tier", "db-custom-2-8192", "db-custom-4-16384", undefined],
  [REDIS, "memorySizeGb", 4, 3, "Redis memory shrunk from 4 GB to 3 GB"],
  [REDIS, "memorySizeGb", 3, 4, undefined],
  ["gcp:bigquery/table:Table", "deletionProtection", true, UNSET, "table deletion protection turned off"],
  [
    "gcp:bigquery/dataset:Dataset",
    "deleteContentsOnDestroy",
    UNSET,
    true,
    "deleting the dataset now deletes its tables",
  ],
  ["gcp:bigquery/dataset:Dataset", "deleteContentsOnDestroy", true, true, undefined],
  [BUCKET, "forceDestroy", UNSET, true, "deleting the bucket now deletes its objects"],
];

/** [type, input path, before, after, whether the change replaces the resource (a data loss)]. */
const REPLACEMENTS: [string, string, unknown, unknown, boolean][] = [
  [BUCKET, "retentionPolicy.isLocked", true, UNSET, true],
  [BUCKET, "retentionPolicy.isLocked", true, false, true],
  [BUCKET, "retentionPolicy.isLocked", UNSET, true, false],
  [SQL, "settings.diskSize", 100, 99, true],
  [SQL, "settings.diskSize", 100, 101, false],
  [SQL, "settings.ipConfiguration.privateNetwork", "projects/p/global/networks/n", UNSET, true],
  [SQL, "settings.ipConfiguration.privateNetwork", "projects/p/global/networks/n", "", true],
  [SQL, "settings.ipConfiguration.privateNetwork", UNSET, "projects/p/global/networks/n", false],
  [SQL, "settings.diskType", UNSET, "PD_HDD", true],
  [REDIS, "redisVersion", "REDIS_7_2", "REDIS_6_X", true],
  [REDIS, "redisVersion", "REDIS_7_2", "REDIS_7_0", true],
  [REDIS, "redisVersion", "REDIS_7_0", "REDIS_7_2", false],
  [REDIS, "redisVersion", "REDIS_7_0", "REDIS_7", false],
  [REDIS, "tier", "BASIC", UNSET, true],
  ["gcp:secretmanager/secret:Secret", "secretId", "KEY", UNSET, true],
];

/** [label, before, after, the in-place loss reported (none: undefined)]. */
const LOSSES: [string, unknown, unknown, string | undefined][] = [
  ["RDB -> DISABLED", "RDB", "DISABLED", "persistence disabled: existing RDB snapshots are deleted"],
  ["unset -> DISABLED", UNSET, "DISABLED", "persistence disabled: existing RDB snapshots are deleted"],
  ["DISABLED -> RDB", "DISABLED", "RDB", undefined],
];

const show = (v: unknown) => (v === undefined ? "unset" : JSON.stringify(v));

describe("delivery rows: protection downgrades", () => {
  for (const [type, path, before, after, want] of DOWNGRADES)
    it(`${type.split(":").pop()} ${path}: ${show(before)} -> ${show(after)}: ${want ?? "no downgrade"}`, () => {
      const d = diffExports(exportOf(resource(type, path, before)), exportOf(resource(type, path, after)));
      assert.deepEqual(
        d.downgrades.map((g) => g.what),
        want === undefined ? [] : [want],
      );
    });

  it("Pulumi protect removed (true -> unset) is a downgrade; unset -> true is not", () => {
    const on = resource(SQL, "name", "db", { protect: true });
    const off = resource(SQL, "name", "db");
    assert.deepEqual(
      diffExports(exportOf(on), exportOf(off)).downgrades.map((g) => g.what),
      ["Pulumi `protect` removed"],
    );
    assert.deepEqual(diffExports(exportOf(off), exportOf(on)).downgrades, []);
  });
});

describe("delivery rows: replacements of stateful types", () => {
  for (const [type, path, before, after, replaces] of REPLACEMENTS)
    it(`${type.split(":").pop()} ${path}: ${show(before)} -> ${show(after)} ${replaces ? "replaces it" : "is in place"}`, () => {
      const d = diffExports(exportOf(resource(type, path, before)), exportOf(resource(type, path, after)));
      assert.deepEqual(
        d.losses.map((l) => l.fields),
        replaces ? [[path]] : [],
      );
      assert.equal(d.replaces.length, replaces ? 1 : 0);
    });

  it("ignoreChanges of the new resource hides a forcing change; the old resource's does not", () => {
    const ignoring = { ignoreChanges: ["settings.diskType"] };
    const before = resource(SQL, "settings.diskType", "PD_SSD");
    const after = resource(SQL, "settings.diskType", "PD_HDD");
    const newIgnores = diffExports(exportOf(before), exportOf({ ...after, ...ignoring }));
    assert.deepEqual([newIgnores.losses, newIgnores.updates], [[], []]);
    const oldIgnored = diffExports(exportOf({ ...before, ...ignoring }), exportOf(after));
    assert.deepEqual(
      oldIgnored.losses.map((l) => l.fields),
      [["settings.diskType"]],
    );
  });

  it("deleting a stateful resource is a loss even in an export without a project; a stateless one is not", () => {
    const d = diffExports(
      exportOf(resource(SQL, "name", "db"), resource("gcp:monitoring/dashboard:Dashboard", "x", 1)),
      exportOf(),
    );
    assert.deepEqual(
      d.losses.map((l) => l.type),
      [SQL],
    );
  });

  it("allowDestroys applied first (an unprotected project) releases the losses", () => {
    const project = resource(PROJECT, "projectId", "p");
    const d = diffExports(exportOf(project, resource(SQL, "name", "db")), exportOf(project));
    assert.deepEqual([d.deletes.length, d.losses], [1, []]);
  });
});

describe("delivery rows: in-place losses", () => {
  for (const [label, before, after, want] of LOSSES)
    it(`Redis persistence ${label}: ${want ?? "nothing lost"}`, () => {
      const path = "persistenceConfig.persistenceMode";
      const d = diffExports(exportOf(resource(REDIS, path, before)), exportOf(resource(REDIS, path, after)));
      assert.deepEqual(
        d.losses.map((l) => l.detail),
        want === undefined ? [] : [want],
      );
    });
});
