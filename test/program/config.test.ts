/** program/config.ts: the platform settings of a stack, read one stack at a time or for a fleet of them. */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { platformSettingsFor, platformSettingsForStacks } from "../../program/config";
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
});
