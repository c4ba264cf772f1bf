/**
 * MSP's defaults through the real loader, stack program and policy pack (issue 25.2): a service without a
 * domain keeps MSP's ingress (internal and load balancer) and passes every mandatory policy of its category; an
 * environment that leaves highAvailability out gets MSP's BASIC Redis and ZONAL Cloud SQL in every category,
 * with the advisory policies saying how to opt in.
 */
import * as assert from "node:assert/strict";
import { mandatory } from "../../policy-emulator/evaluate";
import { checkPlan } from "../../policy-emulator/offline";
import type { Category } from "../../platform/categories";
import { CATEGORIES } from "../../platform/categories";
import { one, planOfSpec } from "../helpers/stacks";

/** An MSP spec as MSP's `sg msp init` leaves it: no domain, no authentication, data stores without HA. */
const spec = (category: Category) => `service:
  id: inventory
  name: Inventory
  owners: [core-services]
  description: Keeps the inventory.
  notionPageID: 0123456789abcdef0123456789abcdef
build:
  image: us-central1-docker.pkg.dev/sourcegraph-ci/msp/inventory
  source: { repo: github.com/sourcegraph/inventory, dir: cmd/inventory }
environments:
  - id: prod
    projectID: inventory-prod-a1b2
    category: ${category}
    deploy: { type: manual, manual: { tag: v1.2.3 } }
    instances:
      resources: { cpu: 1, memory: 1Gi }
    resources:
      postgreSQL: { databases: [primary] }
      redis: { memoryGB: 1 }
`;

describe("MSP's defaults, planned and policy-checked", () => {
  for (const category of CATEGORIES) {
    it(`${category}: no domain keeps ingress internal and load balancer; the mandatory policies pass`, async () => {
      const plan = await planOfSpec(spec(category), "inventory-prod");
      const run = one(plan, "gcp:cloudrunv2/service:Service");
      assert.equal(
        run.inputs.ingress,
        "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
        "MSP's ingress, domain or not",
      );
      const result = checkPlan(plan, "inventory", category);
      assert.deepEqual(
        mandatory(result).map((v) => `${v.policy}: ${v.message}`),
        [],
        "a spec MSP accepts must deploy here",
      );
    });
  }

  it("external without highAvailability: Redis BASIC (redis-basic) and Cloud SQL ZONAL, with the advisories", async () => {
    const plan = await planOfSpec(spec("external"), "inventory-prod");
    const redis = one(plan, "gcp:redis/instance:Instance").inputs;
    assert.equal(redis.tier, "BASIC");
    assert.equal(redis.name, "redis-basic");
    const sql = one(plan, "gcp:sql/databaseInstance:DatabaseInstance").inputs as {
      settings: { availabilityType: string };
    };
    assert.equal(sql.settings.availabilityType, "ZONAL");
    const advisories = checkPlan(plan, "inventory", "external")
      .violations.filter((v) => v.level === "advisory")
      .map((v) => v.policy);
    assert.ok(advisories.includes("gcp-sql-high-availability"), advisories.join(", "));
    assert.ok(advisories.includes("gcp-redis-ha-persistence"), advisories.join(", "));
  });

  it("external with highAvailability: true opts in (STANDARD_HA, REGIONAL) and the advisories go", async () => {
    const text = spec("external")
      .replace(
        "postgreSQL: { databases: [primary] }",
        "postgreSQL: { databases: [primary], highAvailability: true }",
      )
      .replace("redis: { memoryGB: 1 }", "redis: { memoryGB: 1, highAvailability: true }");
    const plan = await planOfSpec(text, "inventory-prod");
    assert.equal(one(plan, "gcp:redis/instance:Instance").inputs.tier, "STANDARD_HA");
    const sql = one(plan, "gcp:sql/databaseInstance:DatabaseInstance").inputs as {
      settings: { availabilityType: string };
    };
    assert.equal(sql.settings.availabilityType, "REGIONAL");
    const policies = checkPlan(plan, "inventory", "external").violations.map((v) => v.policy);
    assert.ok(!policies.includes("gcp-sql-high-availability"), policies.join(", "));
  });
});
