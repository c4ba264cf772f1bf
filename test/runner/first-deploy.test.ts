import * as assert from "node:assert/strict";
import { exampleServices, exampleStacks, planOf, one, ofType } from "../helpers/stacks";
import { findStack } from "../../program/stack";
import { platformSettingsFor } from "../../program/config";
import { runStackOffline } from "../../runner/run";
import { REPO } from "../helpers/cli";
import {
  firstDeployFindings,
  firstStepTargets,
  type FirstDeployFinding,
  type PlannedResource,
} from "../../runner/first-deploy";

const rules = (f: readonly FirstDeployFinding[]) => [...new Set(f.map((x) => x.rule))].sort();
/** Findings a person must act on (settings, secret values), not a change of the components. */
const NEEDS_A_PERSON = new Set(["billing-account-exists", "folder-exists", "secret-version-exists"]);

describe("first deploy: the offline plan knows where the first real pulumi up stops", () => {
  it("finds today's releaseregistry-prod first deploy failing: the secret without a version, the placeholder billing account and folder", async () => {
    const findings = firstDeployFindings((await planOf("releaseregistry-prod")).resources);
    const secret = findings.filter((f) => f.rule === "secret-version-exists");
    assert.deepEqual(
      secret.map((f) => [f.resource, f.key, f.commands]),
      [
        [
          'gcp:cloudrunv2/service:Service "cloudrun-service"',
          "releaseregistry-prod-5421/RELEASEREGISTRY_GITHUB_TOKEN",
          [
            "gcloud secrets versions add RELEASEREGISTRY_GITHUB_TOKEN --project=releaseregistry-prod-5421 --data-file=-",
          ],
        ],
      ],
    );
    const billing = findings.find((f) => f.rule === "billing-account-exists");
    assert.match(billing?.problem ?? "", /000000-000000-000000 cannot exist/);
    assert.equal(billing?.resource, 'gcp:organizations/project:Project "project"');
    assert.match(findings.find((f) => f.rule === "folder-exists")?.problem ?? "", /folders\/000000000001/);
    for (const f of findings) {
      assert.ok(
        f.fix.length > 10 && f.source.length > 10,
        `${f.rule} says how to fix it and cites its source`,
      );
      assert.ok(f.problem.endsWith("."), f.problem);
    }
  });

  it("every example stack: the components order what the cloud needs, only settings and secret values remain", async () => {
    for (const stack of exampleStacks()) {
      const findings = firstDeployFindings((await planOf(stack)).resources);
      const left = findings.filter((f) => !NEEDS_A_PERSON.has(f.rule));
      assert.deepEqual(
        left.map((f) => `${f.rule} ${f.resource}: ${f.problem}`),
        [],
        `${stack}: ordering the components must provide`,
      );
      for (const f of findings.filter((x) => x.rule === "secret-version-exists"))
        assert.match(
          f.problem,
          /creates with no version/,
          `${stack}: the platform creates the secret container`,
        );
    }
  });

  it("the platform creates every secret the environment's own project must hold, protected, with no version", async () => {
    const plan = await planOf("releaseregistry-prod");
    const secret = ofType(plan, "gcp:secretmanager/secret:Secret").find(
      (r) => r.inputs.secretId === "RELEASEREGISTRY_GITHUB_TOKEN",
    );
    assert.ok(secret, "the workload secret's container is in the plan");
    assert.equal(secret.inputs.project, "releaseregistry-prod-5421");
    assert.equal(secret.protect, true);
    const versions = ofType(plan, "gcp:secretmanager/secretVersion:SecretVersion").filter((v) =>
      String(v.inputs.secret).endsWith("/RELEASEREGISTRY_GITHUB_TOKEN"),
    );
    assert.deepEqual(versions, [], "the value is the owner's to add: no version in the plan");
    const run = one(plan, "gcp:cloudrunv2/service:Service");
    assert.ok(
      [...run.dependencies, ...ofType(plan, "msp:gcp:CloudRunService")[0]!.dependencies].includes(secret.urn),
      "Cloud Run waits for the container",
    );
  });

  it("real-looking settings leave no placeholder finding", async () => {
    const target = findStack(exampleServices(), "releaseregistry-prod")!;
    const settings = {
      ...platformSettingsFor("releaseregistry-prod", REPO),
      billingAccount: "01A2B3-C4D5E6-F7A8B9",
      folders: { test: "folders/345678901234", internal: "folders/2", external: "folders/3" },
    };
    const plan = await runStackOffline(target, settings);
    const findings = firstDeployFindings(plan.resources);
    assert.deepEqual(rules(findings), ["secret-version-exists"]);
    // Only versions are missing: a first step can create the containers, and nothing that reads them.
    const targets = firstStepTargets(plan.resources, findings);
    const types = new Set(targets.map((u) => plan.resources.find((r) => r.urn === u)!.type));
    for (const t of [
      "gcp:organizations/project:Project",
      "gcp:projects/service:Service",
      "gcp:secretmanager/secret:Secret",
    ])
      assert.ok(types.has(t), `the first step creates ${t}`);
    for (const t of [
      "gcp:cloudrunv2/service:Service",
      "gcp:monitoring/alertPolicy:AlertPolicy",
      "gcp:sql/databaseInstance:DatabaseInstance",
    ])
      assert.ok(!types.has(t), `the first step leaves ${t} to the second`);
  });

  it("a finding the deployed state already had was met by that deploy; a secret read that is new is not", async () => {
    const plan = await planOf("releaseregistry-prod");
    assert.deepEqual(firstDeployFindings(plan.resources, { deployed: plan.resources }), []);
    // Deployed before the workload read the secret: the read is new, so its version is still needed.
    const withoutRead = plan.resources.map((r) =>
      r.type === "gcp:cloudrunv2/service:Service"
        ? {
            ...r,
            inputs: JSON.parse(
              JSON.stringify(r.inputs).replaceAll("RELEASEREGISTRY_GITHUB_TOKEN", "OTHER"),
            ) as Record<string, unknown>,
          }
        : r,
    ) as PlannedResource[];
    assert.deepEqual(rules(firstDeployFindings(plan.resources, { deployed: withoutRead })), [
      "secret-version-exists",
    ]);
  });
});
