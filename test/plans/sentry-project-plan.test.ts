/** Sentry's names and its Slack issue alert rule, decided without the Pulumi runtime. */
import * as assert from "node:assert/strict";
import { sentrySlackAlertRule, sentrySlackAlertTags } from "../../plans/sentry-project-plan";

describe("sentrySlackAlertRule", () => {
  it("is MSP's Notify in Slack: any issue seen in 15 minutes, at most every 15 minutes, to the channel", () => {
    const rule = sentrySlackAlertRule(
      { integration: "Sourcegraph", channel: "#alerts-x-prod", tags: sentrySlackAlertTags("x", "prod") },
      "4242",
    );
    assert.deepEqual(rule, {
      name: "Notify in Slack",
      actionMatch: "any",
      filterMatch: "all",
      frequency: 15,
      conditions: [
        {
          id: "sentry.rules.conditions.event_frequency.EventFrequencyCondition",
          value: "0",
          interval: "15m",
        },
      ],
      actions: [
        {
          id: "sentry.integrations.slack.notify_action.SlackNotifyServiceAction",
          workspace: "4242",
          channel: "#alerts-x-prod",
          tags: "msp-x-prod",
        },
      ],
    });
    assert.ok(rule.frequency >= 5 && rule.frequency <= 43200, "within Sentry's accepted range");
  });
});
