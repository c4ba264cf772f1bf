/** msp doctor's checks, pure: placeholders, missing settings, the state backend's secrets, the exit status. */
import * as assert from "node:assert/strict";
import {
  checkSettingsShape,
  checkSettingsValues,
  checkStateBackend,
  doctorExitCode,
  workflowNeeds,
  type Check,
  type StateBackendInput,
} from "../../doctor/checks";

const statusOf = (checks: readonly Check[], subject: string) =>
  checks.find((c) => c.subject === subject)?.status;

describe("msp doctor checks", () => {
  it("refuses the placeholder billing account and folders, accepts real-shaped ones", () => {
    const placeholder = checkSettingsValues({
      billingAccount: "000000-000000-000000",
      folders: { test: "folders/000000000001", internal: "folders/0", external: "organizations/1" },
    });
    assert.equal(statusOf(placeholder, "msp:billingAccount"), "fail");
    assert.match(placeholder.find((c) => c.subject === "msp:billingAccount")!.detail, /placeholder/);
    assert.match(
      placeholder.find((c) => c.subject === "msp:billingAccount")!.fix!,
      /billing\.resourceAssociations\.create/,
    );
    for (const category of ["test", "internal", "external"])
      assert.equal(statusOf(placeholder, `msp:folders.${category}`), "fail", category);
    const real = checkSettingsValues({
      billingAccount: "01A2B3-C4D5E6-F7A8B9",
      folders: { test: "folders/123456789012", internal: "folders/223456789012", external: "folders/9" },
      sharedSecretsProject: "acme-platform-secrets",
      secretProjects: ["acme-secrets"],
    });
    assert.deepEqual(
      real.map((c) => c.status),
      real.map(() => "ok"),
      JSON.stringify(real),
    );
    assert.equal(
      statusOf(checkSettingsValues({ billingAccount: "01a2b3-c4d5e6-f7a8b9" }), "msp:billingAccount"),
      "fail",
    );
    assert.equal(
      statusOf(checkSettingsValues({ sharedSecretsProject: "Secrets" }), "msp:sharedSecretsProject"),
      "fail",
    );
  });

  it("lists every missing or malformed setting at once, each by its key", () => {
    const checks = checkSettingsShape({ billingAccount: "01A2B3-C4D5E6-F7A8B9", handbookUrl: "not a url" });
    const subjects = checks.map((c) => c.subject);
    for (const key of [
      "folders",
      "sharedSecretsProject",
      "slackWorkspaceUrl",
      "supportChannel",
      "staffDomain",
    ])
      assert.ok(subjects.includes(`msp:${key}`), key);
    assert.equal(checks.find((c) => c.subject === "msp:folders")!.detail, "missing");
    assert.notEqual(checks.find((c) => c.subject === "msp:handbookUrl")!.detail, "missing");
    assert.ok(checks.every((c) => c.status === "fail"));
  });

  it("a DIY state backend needs the passphrase or a KMS secrets provider; Pulumi Cloud keeps its own", () => {
    const input = (over: Partial<StateBackendInput>): StateBackendInput => ({
      backendUrl: { url: "gs://acme-pulumi-state", source: "PULUMI_BACKEND_URL" },
      passphrase: false,
      stackProviders: {},
      ...over,
    });
    const status = (over: Partial<StateBackendInput>) => checkStateBackend(input(over))[0]!.status;
    assert.equal(status({}), "fail");
    assert.match(checkStateBackend(input({}))[0]!.fix!, /PULUMI_CONFIG_PASSPHRASE.*PULUMI_SECRETS_PROVIDER/);
    assert.equal(status({ passphrase: true }), "ok");
    assert.equal(
      status({ secretsProvider: "gcpkms://projects/p/locations/global/keyRings/r/cryptoKeys/k" }),
      "ok",
    );
    assert.equal(status({ secretsProvider: "passphrase" }), "fail", "not a KMS provider");
    // A KMS provider for new stacks, but an existing stack made with a passphrase still needs it.
    assert.equal(
      status({
        secretsProvider: "gcpkms://projects/p/k",
        stackProviders: { "Pulumi.a-prod.yaml": "passphrase" },
      }),
      "fail",
    );
    assert.equal(status({ backendUrl: { url: "s3://bucket", source: "x" } }), "fail");
    assert.equal(status({ backendUrl: { url: "https://api.pulumi.com", source: "x" } }), "ok");
    assert.equal(status({ backendUrl: undefined }), "unchecked");
  });

  it("lists the workflows' variables and secrets with their environments", () => {
    const needs = workflowNeeds([
      {
        environment: "preview",
        text: "${{ vars.GCP_PREVIEW_SERVICE_ACCOUNT }} ${{ secrets.PULUMI_ACCESS_TOKEN }}",
      },
      { environment: "${{ inputs.environment }}", text: "${{ secrets.PULUMI_ACCESS_TOKEN }}" },
    ]);
    assert.deepEqual([...needs.vars.keys()], ["GCP_PREVIEW_SERVICE_ACCOUNT"]);
    assert.deepEqual(
      [...needs.secrets.get("PULUMI_ACCESS_TOKEN")!],
      ["preview", "${{ inputs.environment }}"],
    );
  });

  it("exits 0 when every check that ran holds (not checked is not a failure), 1 otherwise", () => {
    const c = (status: Check["status"]): Check => ({ subject: "x", status, detail: "" });
    assert.equal(doctorExitCode([c("ok"), c("unchecked")]), 0);
    assert.equal(doctorExitCode([c("ok"), c("fail"), c("unchecked")]), 1);
  });
});
