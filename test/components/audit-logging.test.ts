/** AuditLogging: Data Access audit logs for every service of the environment's project, nobody exempted. */
import * as assert from "node:assert/strict";
import { planOf, ofType, exampleStacks } from "../helpers/stacks";
import { DATA_ACCESS_LOG_TYPES } from "../../components/audit-logging";
import { postgresDatabaseFlags } from "../../plans/postgres-settings";
import { AUDIT_FLAGS } from "../../policy/rules/gcp-sql-postgres-audit-flags";

describe("AuditLogging", () => {
  for (const stack of exampleStacks())
    it(`${stack}: records ADMIN_READ, DATA_READ and DATA_WRITE for allServices in its own project`, async () => {
      const plan = await planOf(stack);
      const project = ofType(plan, "gcp:organizations/project:Project")[0]!;
      const configs = ofType(plan, "gcp:projects/iAMAuditConfig:IAMAuditConfig");
      assert.equal(configs.length, 1);
      const c = configs[0]!;
      assert.equal(c.inputs.project, project.inputs.projectId);
      assert.equal(c.inputs.service, "allServices");
      assert.deepEqual(
        (c.inputs.auditLogConfigs as { logType: string; exemptedMembers?: string[] }[]).map((l) => [
          l.logType,
          l.exemptedMembers,
        ]),
        DATA_ACCESS_LOG_TYPES.map((t) => [t, undefined]),
      );
      assert.match(c.urn, /::msp:gcp:AuditLogging\$gcp:projects\/iAMAuditConfig:IAMAuditConfig::/);
    });
});

describe("PostgreSQL flags", () => {
  it("sets every logging flag the policy checks, to an accepted value", () => {
    const flags = new Map(postgresDatabaseFlags({}).map((f) => [f.name, f.value]));
    for (const [flag, rule] of Object.entries(AUDIT_FLAGS)) {
      assert.ok(flags.has(flag), `${flag} is not set`);
      assert.ok(rule.ok.includes(flags.get(flag)!), `${flag} = ${flags.get(flag)}`);
    }
  });
});
