/** Policies written the usual CrossGuard way (validateResourceOfType, isType/asType) run offline too. */
import { strict as assert } from "node:assert";
import * as gcp from "@pulumi/gcp";
import { validateResourceOfType, validateStackResourcesOfType } from "@pulumi/policy";
import { evaluatePolicies } from "../../policy-emulator/evaluate";
import type { MspPolicy } from "../../policy/define";
import { res, TAGS, UNKNOWN } from "../helpers/policy";

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

  it("an array of typed validations: each runs on its own type, the others say not applicable", () => {
    const seen: string[] = [];
    const policy = {
      name: "typed-array",
      description: "d",
      enforcementLevel: "mandatory",
      meta,
      validateResource: [
        validateResourceOfType(gcp.sql.DatabaseInstance, (db) => void seen.push(`sql ${db.databaseVersion}`)),
        validateResourceOfType(gcp.redis.Instance, (r) => void seen.push(`redis ${r.tier}`)),
      ],
    } as unknown as MspPolicy;
    const r = evaluatePolicies([policy], [sql, redis], {}, TAGS());
    assert.deepEqual(seen, ["sql POSTGRES_15", "redis BASIC"]);
    assert.deepEqual(
      r.notApplicable.map((n) => [n.urn, n.reason]),
      [
        [sql.urn, "Policy only applies to resources of type 'gcp:redis/instance:Instance'"],
        [redis.urn, "Policy only applies to resources of type 'gcp:sql/databaseInstance:DatabaseInstance'"],
      ],
    );
  });

  it("asType gives the props the policy would read, unknown values still detected", () => {
    const policy = {
      name: "typed-unknown",
      description: "d",
      enforcementLevel: "mandatory",
      meta,
      validateResource: (
        args: { asType(c: unknown): { tier?: string } | undefined },
        report: (m: string) => void,
      ) => {
        const r = args.asType(gcp.redis.Instance);
        if (r && r.tier !== "STANDARD_HA") report("not HA");
      },
    } as unknown as MspPolicy;
    const unknownTier = res("gcp:redis/instance:Instance", { tier: UNKNOWN });
    const r = evaluatePolicies([policy], [redis, unknownTier], {}, TAGS());
    assert.deepEqual(
      r.violations.map((v) => [v.urn, v.level, v.message.split("\n").pop()]),
      [
        [redis.urn, "mandatory", "not HA"],
        [
          unknownTier.urn,
          "advisory",
          "can't run policy 'typed-unknown' from policy pack 'msp@v0.1.0' during preview: string value at .tier can't be known during preview",
        ],
      ],
    );
  });

  it("isType uses isInstance for a class without a type token, as the SDK does", () => {
    const byInstance = { isInstance: (o: { __pulumiType?: string }) => o.__pulumiType === redis.type };
    const seen: string[] = [];
    const policy = {
      name: "typed-instance",
      description: "d",
      meta,
      validateResource: (args: { isType(c: unknown): boolean; urn: string }) => {
        if (args.isType(byInstance)) seen.push(args.urn);
      },
    } as unknown as MspPolicy;
    evaluatePolicies([policy], [sql, redis], {}, TAGS());
    assert.deepEqual(seen, [redis.urn]);
  });
});
