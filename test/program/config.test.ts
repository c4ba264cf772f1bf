/** program/config.ts: the platform settings of a stack, read one stack at a time or for a fleet of them. */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { platformSettingsFor, platformSettingsForStacks } from "../../program/config";
import { SpecError } from "../../servicespec/loader";
import { exampleStacks } from "../helpers/stacks";
import { REPO } from "../helpers/cli";

describe("platform settings (program/config.ts)", () => {
  it("for a fleet: what platformSettingsFor gives, for every example stack", () => {
    const settingsFor = platformSettingsForStacks(REPO);
    for (const stack of exampleStacks())
      assert.deepEqual(settingsFor(stack), platformSettingsFor(stack, REPO), stack);
  });

  it("for a fleet: the project file is read once, each stack's own file every time", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "msp-settings-"));
    try {
      fs.copyFileSync(path.join(REPO, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
      const settingsFor = platformSettingsForStacks(root);
      const before = settingsFor("svc-prod");
      // A project file that would now be an error is not read again...
      fs.writeFileSync(path.join(root, "Pulumi.yaml"), "name: [unclosed\n");
      assert.deepEqual(settingsFor("svc-prod"), before);
      assert.throws(() => platformSettingsFor("svc-prod", root), /Pulumi\.yaml:\d+:\d+: YAML syntax error/);
      // ...while each stack's own file is read when its stack is asked for.
      const stacks = path.join(root, "stacks");
      fs.mkdirSync(stacks, { recursive: true });
      fs.writeFileSync(path.join(stacks, "Pulumi.svc-prod.yaml"), "config: [unclosed\n");
      assert.throws(() => settingsFor("svc-prod"), /Pulumi\.svc-prod\.yaml:\d+:\d+: YAML syntax error/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  describe("platform settings are project-level (issue 23, finding 3)", () => {
    let root: string;
    const stackFile = () => path.join(root, "stacks", "Pulumi.svc-prod.yaml");
    beforeEach(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), "msp-stackfile-"));
      fs.copyFileSync(path.join(REPO, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
      fs.mkdirSync(path.join(root, "stacks"));
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
    const problems = () => {
      try {
        platformSettingsFor("svc-prod", root);
      } catch (e) {
        if (e instanceof SpecError) return e.issues.map((i) => `${i.line}:${i.col} ${i.field}`);
        throw e;
      }
      return [];
    };

    it("refuses msp:folders, msp:sharedSecretsProject, msp:handbookUrl and an unnamespaced key, each at its key", () => {
      fs.writeFileSync(
        stackFile(),
        [
          "config:",
          "  gcp:project: svc-prod-a1b2",
          "  msp:folders:",
          "    external: folders/000000000001",
          "  msp:sharedSecretsProject: attacker-secrets",
          '  msp:handbookUrl: "https://evil.example"',
          "  billingAccount: 111111-111111-111111",
          "  gcp:impersonateServiceAccount: x@y.iam.gserviceaccount.com",
          "environment:",
          "  - attacker-env",
          "",
        ].join("\n"),
      );
      assert.deepEqual(problems(), [
        "3:3 config.msp:folders",
        "5:3 config.msp:sharedSecretsProject",
        "6:3 config.msp:handbookUrl",
        "7:3 config.billingAccount",
        "8:3 config.gcp:impersonateServiceAccount",
        "9:1 environment",
      ]);
      try {
        platformSettingsFor("svc-prod", root);
      } catch (e) {
        assert.match(
          String((e as Error).message),
          /Pulumi\.svc-prod\.yaml:3:3: config\.msp:folders: is a platform setting \(msp:folders\): set it in Pulumi\.yaml/,
        );
      }
    });

    it("accepts the stack-level gcp:project and the secrets provider's keys, and takes every setting from Pulumi.yaml", () => {
      fs.writeFileSync(
        stackFile(),
        "secretsprovider: passphrase\nencryptionsalt: v1:abc\nconfig:\n  gcp:project: svc-prod-a1b2\n",
      );
      assert.deepEqual(problems(), []);
      assert.equal(platformSettingsFor("svc-prod", root).folders.external, "folders/000000000003");
    });

    it("every example stack file sets stack-level keys only", () => {
      for (const stack of exampleStacks()) assert.doesNotThrow(() => platformSettingsFor(stack, REPO), stack);
    });
  });
});
