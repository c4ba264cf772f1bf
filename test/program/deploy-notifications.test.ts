/**
 * Deploy notifications (issue 24.6) through the stack program: the environment holding the Cloud Deploy
 * pipeline (pings-prod, the final stage) alerts its channels when a rollout fails, from Cloud Deploy's
 * `rollout_update` platform log; other environments do not; the dashboard does not chart it (no time series).
 */
import * as assert from "node:assert/strict";
import { exampleResolved, get, ofType, planOf } from "../helpers/stacks";
import { renderServicePage } from "../../handbook/page";

const POLICY = "gcp:monitoring/alertPolicy:AlertPolicy";

describe("deploy notifications: a failed rollout alerts", () => {
  it("pings-prod has the log-based Cloud Deploy Rollout Failed alert, rate-limited, to the WARNING channels", async () => {
    const plan = await planOf("pings-prod");
    const policy = ofType(plan, POLICY).find((p) => p.name === "monitoring-rollout_failed");
    assert.ok(policy, "the rollout alert policy");
    assert.equal(policy.inputs.displayName, "Cloud Deploy Rollout Failed");
    assert.equal(policy.inputs.severity, "WARNING");
    assert.equal(
      get(policy.inputs, "conditions.0.conditionMatchedLog.filter"),
      'logName="projects/pings-prod-2f4f73edf1db/logs/clouddeploy.googleapis.com%2Frollout_update" AND resource.type="clouddeploy.googleapis.com/DeliveryPipeline" AND resource.labels.pipeline_id="pings-us-central1-rollout" AND jsonPayload.rolloutUpdateType="FAILED"',
    );
    // Cloud Monitoring refuses a log-match condition without a notification rate limit.
    assert.equal(get(policy.inputs, "alertStrategy.notificationRateLimit.period"), "300s");
    const slack = ofType(plan, "gcp:monitoring/notificationChannel:NotificationChannel").filter(
      (c) => c.inputs.type === "slack",
    );
    assert.deepEqual(
      [...(policy.inputs.notificationChannels as string[])].sort(),
      slack.map((c) => c.id).sort(),
      "every Slack channel of the environment, no paging",
    );
    const dashboard = ofType(plan, "gcp:monitoring/dashboard:Dashboard")[0]!;
    assert.ok(!String(dashboard.inputs.dashboardJson).includes(String(policy.id)), "not charted");
  });

  it("other environments have no rollout alert, and the metric alerts keep no rate limit", async () => {
    const dev = await planOf("pings-dev");
    assert.ok(!ofType(dev, POLICY).some((p) => p.name.endsWith("rollout_failed")));
    const prod = await planOf("pings-prod");
    for (const p of ofType(prod, POLICY).filter((x) => x.name !== "monitoring-rollout_failed"))
      assert.equal(get(p.inputs, "alertStrategy.notificationRateLimit"), undefined, p.name);
  });

  it("no dashboard section holds it; the handbook says where rollouts and deploys are announced", () => {
    const pings = exampleResolved("pings");
    const prod = pings.environments.find((e) => e.envId === "prod")!;
    assert.deepEqual(
      prod.monitoring.dashboardGroups.flatMap((g) => g.alertIds).filter((id) => id === "rollout_failed"),
      [],
    );
    const rollouts = renderServicePage(pings).split("## Rollouts\n")[1]!.split("\n## ")[0]!;
    assert.match(rollouts, /`clouddeploy-operations` Pub\/Sub topic in `pings-prod-2f4f73edf1db`/);
    assert.match(
      rollouts,
      /opens the alert Cloud Deploy Rollout Failed \(WARNING\) in \[#alerts-pings-prod\]/,
    );
    assert.match(rollouts, /`SLACK_BOT_TOKEN` secret/);
  });
});
