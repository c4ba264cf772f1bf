/**
 * Secure by default, and `allowDestroys` as the only way out: a component built with only its required
 * arguments is locked down (what the example stacks cannot show, since the program passes every option), and
 * an environment with `allowDestroys: true` loses protection on exactly its stateful resources, through the
 * real loader and stack program.
 */
import * as assert from "node:assert/strict";
import { CloudRunService } from "../../components/cloudrun-service";
import { PROTECTED_TYPES } from "../../platform/resource-types";
import { runProgramOffline } from "../../runner/run";
import { type OfflineResult } from "../../engine/plan";
import { mandatory } from "../../policy-emulator/evaluate";
import { checkPlan } from "../../policy-emulator/offline";
import { one, planOf, planOfEditedExample } from "../helpers/stacks";

/** accounts-prod with `allowDestroys: true` on its prod environment. */
const accountsWithDestroysAllowed = () =>
  planOfEditedExample("accounts", "accounts-prod", (text) =>
    text.replace("  - id: prod\n", "  - id: prod\n    allowDestroys: true\n"),
  );

describe("allowDestroys", () => {
  it("lifts protect and deletion protection from every stateful resource, and only when set", async () => {
    const locked = await planOf("accounts-prod");
    const open = await accountsWithDestroysAllowed();
    const stateful = (plan: OfflineResult) => plan.resources.filter((r) => PROTECTED_TYPES.includes(r.type));
    assert.ok(stateful(locked).length >= 5, "the example has a project, SQL, Redis, a dataset and accounts");
    for (const r of stateful(locked)) assert.equal(r.protect, true, `${r.urn} protected by default`);
    for (const r of stateful(open)) assert.equal(r.protect, false, `${r.urn} unprotected with allowDestroys`);
    assert.deepEqual(
      stateful(open).map((r) => r.urn),
      stateful(locked).map((r) => r.urn),
      "the same resources: allowDestroys changes protection, not what exists",
    );

    const sql = (plan: OfflineResult) => one(plan, "gcp:sql/databaseInstance:DatabaseInstance").inputs;
    assert.equal(sql(locked).deletionProtection, true);
    assert.equal(sql(open).deletionProtection, false);
    assert.equal(
      (sql(open).settings as { deletionProtectionEnabled?: boolean }).deletionProtectionEnabled,
      false,
    );
    const project = (plan: OfflineResult) => one(plan, "gcp:organizations/project:Project").inputs;
    assert.equal(project(locked).deletionPolicy, "PREVENT");
    assert.equal(project(open).deletionPolicy, "DELETE");
  });

  it("passes the external pack (the README's removal step 1): every unprotected resource carries the intent label", async () => {
    // Any stateful resource a component creates without statefulLabels (say, a new component's secrets) would be
    // an unprotected resource without the label, and msp-stateful-resources-protected would stop the teardown.
    const result = checkPlan(await accountsWithDestroysAllowed(), "accounts", "external");
    assert.deepEqual(
      mandatory(result).map((v) => `${v.policy}: ${v.message}`),
      [],
    );
  });
});

describe("CloudRunService defaults", () => {
  it("admits only the load balancer when internalLoadBalancerOnly is not given", async () => {
    const plan = await runProgramOffline(
      "defaults-prod",
      () => {
        new CloudRunService("cloudrun", {
          projectId: "defaults-prod-1234",
          region: "us-central1",
          name: "defaults-prod-us-central1",
          port: 8080,
          scaling: { minCount: 0, maxCount: 1, maxRequestConcurrency: 80 },
          diagnosticsToken: "token",
          invokers: [],
          labels: {},
          containerName: "defaults",
          image: "us-docker.pkg.dev/p/r/defaults:1",
          cpu: 1,
          memory: "512Mi",
          env: [],
          mounts: [],
          serviceAccountEmail: "defaults-sa@defaults-prod-1234.iam.gserviceaccount.com",
        });
        return {};
      },
      { "gcp:project": "defaults-prod-1234" },
      "applied",
    );
    const service = one(plan, "gcp:cloudrunv2/service:Service");
    assert.equal(service.inputs.ingress, "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER");
  });
});
