/** The grants inside PostgreSQL, decided without the Pulumi runtime. */
import * as assert from "node:assert/strict";
import {
  CLOUDSQL_SUPERUSER,
  grantPlan,
  replicationSlotName,
  type GrantPlanInput,
} from "../../plans/postgres-grants-plan";

const BASE: GrantPlanInput = {
  databases: ["accounts", "sessions"],
  postgresMajorVersion: 15,
  breakGlassWriteRole: false,
  publications: [],
};
const grantsOf = (input: Partial<GrantPlanInput>, grantee: string) =>
  grantPlan({ ...BASE, ...input }).grants.filter((g) => g.grantee === grantee);

describe("grantPlan", () => {
  it("makes the workload a cloudsqlsuperuser member and lets it create in public on PostgreSQL 15+", () => {
    const plan = grantPlan(BASE);
    assert.equal(plan.workloadRole, CLOUDSQL_SUPERUSER);
    assert.deepEqual(
      grantsOf({}, "workload").map((g) => [g.database, g.objectType, g.schema, g.privileges]),
      [
        ["accounts", "schema", "public", ["CREATE", "USAGE"]],
        ["sessions", "schema", "public", ["CREATE", "USAGE"]],
      ],
    );
    assert.deepEqual(grantsOf({ postgresMajorVersion: 14 }, "workload"), [], "public is open before 15");
  });

  it("gives the operator CONNECT, USAGE and SELECT on every table of every database, and nothing more", () => {
    const operator = grantsOf({}, "operator");
    for (const db of BASE.databases) {
      const mine = operator.filter((g) => g.database === db);
      assert.deepEqual(
        mine.map((g) => [g.objectType, g.privileges, g.objects]),
        [
          ["database", ["CONNECT"], undefined],
          ["schema", ["USAGE"], undefined],
          ["table", ["SELECT"], []],
        ],
      );
    }
    const writes = operator
      .flatMap((g) => g.privileges)
      .filter((p) => !["CONNECT", "USAGE", "SELECT"].includes(p));
    assert.deepEqual(writes, [], "read-only");
  });

  it("lets the operator read tables the workload creates later (default privileges)", () => {
    const defaults = grantPlan(BASE).defaultPrivileges.filter((d) => d.grantee === "operator");
    assert.deepEqual(
      defaults.map((d) => [d.database, d.owner, d.objectType, d.privileges]),
      [
        ["accounts", "workload", "table", ["SELECT"]],
        ["sessions", "workload", "table", ["SELECT"]],
      ],
    );
  });

  it("creates the break-glass write role's grants only when asked: data changes, no DDL, future tables too", () => {
    assert.deepEqual(grantsOf({}, "breakGlassWrite"), []);
    const write = grantsOf({ breakGlassWriteRole: true }, "breakGlassWrite");
    const privileges = new Set(write.flatMap((g) => g.privileges));
    assert.ok(privileges.has("INSERT") && privileges.has("UPDATE") && privileges.has("DELETE"));
    assert.ok(!privileges.has("CREATE") && !privileges.has("TRUNCATE"), "no DDL");
    const defaults = grantPlan({ ...BASE, breakGlassWriteRole: true }).defaultPrivileges.filter(
      (d) => d.grantee === "breakGlassWrite",
    );
    assert.deepEqual(defaults.map((d) => `${d.database}/${d.objectType}`).sort(), [
      "accounts/sequence",
      "accounts/table",
      "sessions/sequence",
      "sessions/table",
    ]);
  });

  it("lets the replication role read exactly the published tables", () => {
    const repl = grantsOf(
      {
        publications: [
          { name: "users-pub", database: "accounts", tables: ["users", "emails"] },
          { name: "more", database: "accounts", tables: ["users"] },
        ],
      },
      "replication",
    );
    assert.deepEqual(
      repl.map((g) => [g.database, g.objectType, g.privileges, g.objects]),
      [
        ["accounts", "database", ["CONNECT"], undefined],
        ["accounts", "schema", ["USAGE"], undefined],
        ["accounts", "table", ["SELECT"], ["emails", "users"]],
      ],
    );
    assert.equal(replicationSlotName("users-pub"), "users_pub_slot");
  });

  it("gives each publication's Datastream login USAGE on public and SELECT on its own tables only", () => {
    const input = {
      publications: [
        { name: "users-pub", database: "accounts", tables: ["users", "emails"] },
        { name: "more", database: "sessions", tables: ["tokens"] },
      ],
    };
    const of = (grantee: string) =>
      grantsOf(input, grantee).map((g) => [g.database, g.objectType, g.schema, g.privileges, g.objects]);
    assert.deepEqual(of("publication:users-pub"), [
      ["accounts", "schema", "public", ["USAGE"], undefined],
      ["accounts", "table", "public", ["SELECT"], ["emails", "users"]],
    ]);
    assert.deepEqual(of("publication:more"), [
      ["sessions", "schema", "public", ["USAGE"], undefined],
      ["sessions", "table", "public", ["SELECT"], ["tokens"]],
    ]);
    assert.deepEqual(grantsOf({}, "publication:users-pub"), [], "no publications, no logins");
  });

  it("names every grant uniquely", () => {
    const plan = grantPlan({
      ...BASE,
      breakGlassWriteRole: true,
      publications: [{ name: "p", database: "accounts", tables: ["t"] }],
    });
    const keys = [...plan.grants, ...plan.defaultPrivileges].map((g) => g.key);
    assert.equal(new Set(keys).size, keys.length);
  });
});
