/** Policies written the usual CrossGuard way (validateResourceOfType, isType/asType) run offline too. */
import { strict as assert } from "node:assert";
import * as gcp from "@pulumi/gcp";
import { validateResourceOfType, validateStackResourcesOfType } from "@pulumi/policy";
import { evaluatePolicies } from "../../policy/evaluate";
import type { MspPolicy } from "../../policy/define";
import { res, TAGS } from "../helpers/policy";

const meta = {
  group: "Security",
  levels: { test: "mandatory", internal: "mandatory", external: "mandatory" },
  frameworks: [],
} as const;
const sql = res("gcp:sql/databaseInstance:DatabaseInstance", { databaseVersion: "POSTGRES_15" });
const redis = res("gcp:redis/instance:Instance", { tier: "BASIC" });

describe("typed policies offline", () => {
  it("validateResourceOfType fires on its type and only on it", () => {
    const policy = {
      name: "typed-resource",
      description: "d",
      enforcementLevel: "mandatory",
      meta,
      validateResource: validateResourceOfType(gcp.sql.DatabaseInstance, (db, _args, report) => {
        report(`version ${db.databaseVersion}`);
      }),
    } as unknown as MspPolicy;
    const r = evaluatePolicies([policy], [sql, redis], {}, TAGS());
    assert.deepEqual(
      r.violations.map((v) => [v.urn, v.message]),
      [[sql.urn, "d\nversion POSTGRES_15"]],
    );
  });

  it("isType and asType answer by type token", () => {
    const seen: string[] = [];
    const policy = {
      name: "typed-args",
      description: "d",
      enforcementLevel: "mandatory",
      meta,
      validateResource: (args: { isType(c: unknown): boolean; asType(c: unknown): unknown; urn: string }) => {
        if (args.isType(gcp.redis.Instance) && args.asType(gcp.redis.Instance) !== undefined)
          seen.push(args.urn);
        if (!args.isType(gcp.redis.Instance)) assert.equal(args.asType(gcp.redis.Instance), undefined);
      },
    } as unknown as MspPolicy;
    evaluatePolicies([policy], [sql, redis], {}, TAGS());
    assert.deepEqual(seen, [redis.urn]);
  });

  it("validateStackResourcesOfType sees the stack's resources of its type", () => {
    const policy = {
      name: "typed-stack",
      description: "d",
      enforcementLevel: "mandatory",
      meta,
      validateStack: validateStackResourcesOfType(gcp.redis.Instance, (instances, _args, report) => {
        report(`${instances.length} redis`);
      }),
    } as unknown as MspPolicy;
    const r = evaluatePolicies([policy], [sql, redis], {}, TAGS());
    assert.deepEqual(
      r.violations.map((v) => v.message),
      ["d\n1 redis"],
    );
  });
});
