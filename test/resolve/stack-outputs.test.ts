import * as assert from "node:assert/strict";
import { outputSecretId, stackOutputSecrets, type StackOutputsInput } from "../../resolve/stack-outputs";
import { fleetEnvironment, fleetStacks } from "../helpers/stacks";

const base: StackOutputsInput = {
  serviceId: "orders",
  serviceName: "Orders",
  envId: "prod",
  region: "us-central1",
  cloudRunName: "orders-prod-us-central1",
  imageTag: "v1.2.3",
  owners: ["core-services"],
  alertDescriptionSuffix: "See the handbook.",
  postgres: false,
  finalRolloutStage: false,
};

/** The 14 outputs MSP writes in every environment (iam, cloudrun and monitoring stacks). */
const ALWAYS = [
  "iam_project_id",
  "iam_cloud_run_service_account",
  "iam_operator_access_service_account",
  "cloudrun_project_id",
  "cloudrun_cloud_run_resource_name",
  "cloudrun_cloud_run_location",
  "cloudrun_image_tag",
  "monitoring_project_id",
  "monitoring_notifications_critical",
  "monitoring_notifications_warning",
  "monitoring_service_id",
  "monitoring_environment_id",
  "monitoring_service_name",
  "monitoring_alert_description_suffix",
];

describe("stack output secrets (MSP's StackLocals in Secret Manager)", () => {
  it("names MSP's 14 outputs of every environment `<stack>_<variable>`, plus one channel list per owner", () => {
    const ids = stackOutputSecrets({ ...base, owners: [] }).map((o) => o.secretId);
    assert.deepEqual([...ids].sort(), [...ALWAYS].sort());
    assert.equal(ids.length, 14);
    const owners = stackOutputSecrets({ ...base, owners: ["a", "b"] }).filter((o) =>
      o.variable.startsWith("notifications_owner_"),
    );
    assert.deepEqual(
      owners.map((o) => [o.secretId, o.source]),
      [
        ["monitoring_notifications_owner_0", { from: "ownerChannels", owner: "a" }],
        ["monitoring_notifications_owner_1", { from: "ownerChannels", owner: "b" }],
      ],
    );
  });

  it("adds the Cloud SQL connection name with PostgreSQL and the releaser account in a rollout's final stage", () => {
    const ids = (i: Partial<StackOutputsInput>) =>
      stackOutputSecrets({ ...base, ...i }).map((o) => o.secretId);
    assert.ok(!ids({}).includes("cloudrun_cloudsql_connection_name"));
    assert.ok(ids({ postgres: true }).includes("cloudrun_cloudsql_connection_name"));
    assert.ok(!ids({}).includes("iam_cloud_deploy_releaser_service_account_id"));
    assert.ok(ids({ finalRolloutStage: true }).includes("iam_cloud_deploy_releaser_service_account_id"));
  });

  it("takes each value from where MSP does: the resolver's values, else the resource holding it", () => {
    const by = Object.fromEntries(
      stackOutputSecrets({ ...base, postgres: true }).map((o) => [o.secretId, o.source]),
    );
    assert.deepEqual(by.cloudrun_cloud_run_resource_name, {
      from: "value",
      value: "orders-prod-us-central1",
    });
    assert.deepEqual(by.cloudrun_cloud_run_location, { from: "value", value: "us-central1" });
    assert.deepEqual(by.cloudrun_image_tag, { from: "value", value: "v1.2.3" });
    assert.deepEqual(by.monitoring_service_name, { from: "value", value: "Orders" });
    assert.deepEqual(by.monitoring_alert_description_suffix, { from: "value", value: "See the handbook." });
    assert.deepEqual(by.iam_cloud_run_service_account, { from: "workloadEmail" });
    assert.deepEqual(by.iam_operator_access_service_account, { from: "operatorEmail" });
    assert.deepEqual(by.cloudrun_cloudsql_connection_name, { from: "sqlConnectionName" });
    assert.deepEqual(by.monitoring_notifications_warning, { from: "channels", severity: "warning" });
    assert.deepEqual(by.monitoring_notifications_critical, { from: "channels", severity: "critical" });
  });

  it("gives Secret Manager valid, unique IDs", () => {
    const all = stackOutputSecrets({ ...base, postgres: true, finalRolloutStage: true, owners: ["x", "y"] });
    // https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets/create: [A-Za-z0-9_-]{1,255}
    for (const o of all) assert.match(o.secretId, /^[A-Za-z0-9_-]{1,255}$/);
    assert.equal(new Set(all.map((o) => o.secretId)).size, all.length);
    assert.equal(outputSecretId("iam", "cloud_run_service_account"), "iam_cloud_run_service_account");
  });

  it("the resolver gives every environment its outputs, with the alert text its alert policies end with", () => {
    const stacks = fleetStacks();
    assert.ok(stacks.length > 0);
    for (const stack of stacks) {
      const env = fleetEnvironment(stack);
      const suffix = env.stackOutputSecrets.find((o) => o.variable === "alert_description_suffix")!;
      assert.equal(suffix.source.from, "value");
      const text = (suffix.source as { value: string }).value;
      assert.match(text, new RegExp(`\\*\\*${env.envId}\\*\\*`));
      for (const a of env.monitoring.alerts) assert.ok(a.documentation.content.endsWith(`\n\n${text}`), a.id);
      assert.equal(
        env.stackOutputSecrets.some((o) => o.secretId === "cloudrun_cloudsql_connection_name"),
        env.postgres !== undefined,
        stack,
      );
    }
  });
});
