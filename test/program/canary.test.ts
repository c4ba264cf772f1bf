/**
 * Canary stages (extension `rollout.stages[].canary.percentages`): the pipeline's stage strategy, the Cloud
 * Run service of a canary stage leaving traffic to the rollout, and stages without canary unchanged. On the
 * tests' own fleet's `pings` (rollout dev -> prod), with a canary added to prod.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { FLEET_SERVICES } from "../helpers/cli";
import { get, one, planOfSpec } from "../helpers/stacks";
import { canaryStrategy } from "../../components/rollout";

const PINGS = fs.readFileSync(path.join(FLEET_SERVICES, "pings", "service.yaml"), "utf8");
const withCanary = (percentages: string) => {
  const edited = PINGS.replace(
    /^( {4}- environment: prod)$/m,
    `$1\n      canary:\n        percentages: ${percentages}`,
  );
  assert.notEqual(edited, PINGS, "the fleet's pings has a prod stage");
  return edited;
};
const PIPELINE = "gcp:clouddeploy/deliveryPipeline:DeliveryPipeline";
const SERVICE = "gcp:cloudrunv2/service:Service";

describe("canary stages", () => {
  it("the stage's strategy is Cloud Deploy's canary with the percentages and Cloud Run traffic control", async () => {
    const plan = await planOfSpec(withCanary("[10, 50]"), "pings-prod");
    const stages = get(one(plan, PIPELINE).inputs, "serialPipeline.stages") as Record<string, unknown>[];
    assert.equal(stages.length, 2);
    assert.equal(stages[0]!.strategy, undefined, "dev takes each release at once");
    assert.deepEqual(stages[1]!.strategy, {
      canary: {
        runtimeConfig: { cloudRun: { automaticTrafficControl: true } },
        canaryDeployment: { percentages: [10, 50], verify: false },
      },
    });
    // Pulumi leaves the split to the rollout: a deploy mid-canary would send all traffic to the canary.
    assert.deepEqual(one(plan, SERVICE).ignoreChanges.sort(), [
      "client",
      "clientVersion",
      "template.containers[0].image",
      "traffics",
    ]);
    assert.deepEqual(get(one(plan, SERVICE).inputs, "traffics"), [
      { type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", percent: 100 },
    ]);
  });

  it("a stage without canary keeps the traffic pin", async () => {
    const plan = await planOfSpec(withCanary("[25]"), "pings-dev");
    assert.ok(!one(plan, SERVICE).ignoreChanges.includes("traffics"));
  });

  it("no percentages, no strategy", () => {
    assert.deepEqual(canaryStrategy(undefined), {});
    assert.deepEqual(canaryStrategy([]), {});
  });
});
