/**
 * Provisioned paging (`alerting.paging: pagerduty`): the spec rule, the plan of names, and the PagerDuty
 * services, integrations and Cloud Monitoring channels the stack program creates for accounts-prod's owners.
 */
import * as assert from "node:assert/strict";
import { ofType, one, planOfEditedExample, planOf } from "../helpers/stacks";
import { SpecError } from "../../servicespec/loader";
import { demoSpec } from "../helpers/demo-spec";
import { pagerDutyServices } from "../../plans/pagerduty-plan";
import type { OfflineResult } from "../../engine/plan";
import { checkPlan } from "../../policy-emulator/offline";

function issuesOf(alerting: string): string[] {
  try {
    demoSpec("external", `    alerting: ${alerting}\n`);
  } catch (e) {
    if (e instanceof SpecError) return e.issues.map((i) => `${i.field}: ${i.message}`);
    throw e;
  }
  return [];
}

/** accounts-prod with its owners (core-services, security) paged through PagerDuty. */
let planned: Promise<OfflineResult> | undefined;
const pagerDutyPlan = () =>
  (planned ??= planOfEditedExample("accounts", "accounts-prod", (t) =>
    t.replace("      opsgenie: true\n", "      opsgenie: true\n      paging: pagerduty\n"),
  ));

describe("alerting.paging: pagerduty", () => {
  it("is accepted with paging on, refused where it would page nobody or names no known way", () => {
    assert.deepEqual(issuesOf("{ opsgenie: true, paging: pagerduty }"), []);
    assert.deepEqual(issuesOf("{ paging: webhook }"), []);
    assert.deepEqual(issuesOf("{ opsgenie: false, paging: pagerduty }"), [
      "environments[0].alerting.paging: pages nobody: opsgenie is false (remove paging, or set opsgenie: true)",
    ]);
    const [wrong] = issuesOf("{ paging: opsgenie }");
    assert.match(wrong!, /^environments\[0\]\.alerting\.paging: .*"webhook".*"pagerduty"/);
  });

  it("plans a uniquely named service per owner on the owner's escalation policy", () => {
    assert.deepEqual(pagerDutyServices("Accounts", "prod", ["core-services", "security"], "Identity."), [
      {
        owner: "core-services",
        escalationPolicy: "core-services",
        name: "Accounts - prod (core-services)",
        description: "Identity.",
      },
      {
        owner: "security",
        escalationPolicy: "security",
        name: "Accounts - prod (security)",
        description: "Identity.",
      },
    ]);
  });

  it("creates per owner a protected PagerDuty service and an Events API v2 integration, with the platform's token", async () => {
    const plan = await pagerDutyPlan();
    const services = ofType(plan, "pagerduty:index/service:Service");
    assert.deepEqual(
      services.map((s) => [s.inputs.name, s.inputs.alertCreation, s.protect]),
      [
        ["Accounts - prod (core-services)", "create_alerts_and_incidents", true],
        ["Accounts - prod (security)", "create_alerts_and_incidents", true],
      ],
    );
    for (const s of services)
      assert.match(String(s.inputs.escalationPolicy), /^P[0-9A-F]{6}$/, "the policy looked up");
    assert.notEqual(services[0]!.inputs.escalationPolicy, services[1]!.inputs.escalationPolicy);
    const integrations = ofType(plan, "pagerduty:index/serviceIntegration:ServiceIntegration");
    assert.deepEqual(
      integrations.map((i) => [i.inputs.service, i.inputs.type]),
      services.map((s) => [s.id, "events_api_v2_inbound_integration"]),
    );
    for (const i of integrations) assert.ok(i.additionalSecretOutputs.includes("integrationKey"));
    const provider = one(plan, "pulumi:providers:pagerduty");
    assert.ok(provider.inputs.token && typeof provider.inputs.token === "object", "the token is a secret");
  });

  it("feeds each integration key, as a secret, to a Cloud Monitoring pagerduty channel that CRITICAL alerts notify", async () => {
    const plan = await pagerDutyPlan();
    const channels = ofType(plan, "gcp:monitoring/notificationChannel:NotificationChannel");
    assert.deepEqual(channels.map((c) => c.inputs.type).sort(), ["pagerduty", "pagerduty", "slack", "slack"]);
    const paging = channels.filter((c) => c.inputs.type === "pagerduty");
    assert.deepEqual(
      paging.map((c) => c.inputs.displayName),
      ["PagerDuty: core-services", "PagerDuty: security"],
    );
    const integrations = ofType(plan, "pagerduty:index/serviceIntegration:ServiceIntegration");
    for (const c of paging) {
      const key = (c.inputs.sensitiveLabels as { serviceKey: unknown }).serviceKey;
      assert.ok(
        key && typeof key === "object",
        `${String(c.inputs.displayName)}: the key is a redacted secret`,
      );
      assert.ok(
        integrations.some((i) => c.dependencies.includes(i.urn)),
        "the channel is created from an integration's key",
      );
    }
    const critical = ofType(plan, "gcp:monitoring/alertPolicy:AlertPolicy").filter(
      (p) => p.inputs.severity === "CRITICAL",
    );
    assert.ok(critical.length > 0);
    for (const p of critical)
      for (const c of paging)
        assert.ok(
          (p.inputs.notificationChannels as string[]).includes(String(c.outputs.name)),
          String(p.inputs.displayName),
        );
  });

  it("passes the policy pack with no violation at all", async () => {
    const result = checkPlan(await pagerDutyPlan(), "accounts", "external");
    assert.deepEqual(
      result.violations.map((v) => `${v.policy}: ${v.message}`),
      [],
    );
  });

  it("leaves webhook paging as it was when the spec does not ask for PagerDuty", async () => {
    const plan = await planOf("accounts-prod");
    assert.deepEqual(ofType(plan, "pagerduty:index/service:Service"), []);
    assert.deepEqual(
      ofType(plan, "gcp:monitoring/notificationChannel:NotificationChannel")
        .map((c) => c.inputs.type)
        .sort(),
      ["slack", "slack", "webhook_tokenauth", "webhook_tokenauth"],
    );
  });
});
