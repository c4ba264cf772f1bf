import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadServices } from "../../servicespec/loader";
import { listStacks } from "../../program/stack";
import { platformSettingsFor } from "../../program/config";
import { runStackOffline } from "../../runner/run";
import { changesOf, planAgainst, stateOf } from "../helpers/idempotence";
import { REPO } from "../helpers/cli";

const { generateFleet } = require("../../bin/fleet-generator.js") as {
  generateFleet: (dir: string, min: number) => number;
};

/**
 * The benchmark's generated fleet (bin/fleet-generator.js: copies of every example service under new IDs,
 * projects and domains, at least 180 stacks): each stack deployed once, then previewed and applied against that
 * state, must change nothing, and the second apply must leave the state as it was.
 */
describe("idempotence of the generated fleet", function () {
  this.timeout(600_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "msp-idempotence-"));
    generateFleet(dir, 180);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("every stack: the preview and the apply after the first deploy change nothing", async () => {
    const targets = listStacks(loadServices(dir));
    assert.ok(targets.length >= 180, `${targets.length} stacks generated`);
    const failures: string[] = [];
    for (const target of targets) {
      const platform = platformSettingsFor(target.name, REPO);
      const state = stateOf(await runStackOffline(target, platform));
      const preview = await planAgainst(target, platform, state, "preview");
      const applied = await planAgainst(target, platform, state, "applied");
      const changes = [...changesOf(preview), ...changesOf(applied).map((c) => `(apply) ${c}`)];
      if (!changes.length && JSON.stringify(stateOf(applied)) !== JSON.stringify(state))
        changes.push("(apply) the state after the second apply differs from the first");
      if (changes.length) failures.push(`${target.name}:\n  ${changes.join("\n  ")}`);
    }
    assert.deepEqual(failures, [], `${failures.length} of ${targets.length} stacks do not converge`);
  });
});
