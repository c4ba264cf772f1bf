/**
 * Alert texts (issue 24.7): every description the platform writes reads cleanly (no misspelling MSP shipped, no
 * doubled word), while the alert set keeps MSP's names and thresholds (test/program/msp-defaults.test.ts).
 */
import * as assert from "node:assert/strict";
import { exampleServices, fleetServices } from "../helpers/stacks";
import { platformSettingsFor } from "../../program/config";
import { resolveService } from "../../resolve/environment";
import { REPO } from "../helpers/cli";

/** MSP's misspellings in its alert descriptions, with what this platform writes. */
const MSP_TYPOS: Record<string, string> = {
  neccessary: "necessary",
  "make make sure": "to make sure",
  repond: "respond",
};

describe("alert texts", () => {
  const alerts = [...exampleServices(), ...fleetServices()]
    .map((s) => resolveService(s, platformSettingsFor("", REPO)))
    .flatMap((s) => s.environments.flatMap((e) => e.monitoring.alerts.map((a) => ({ env: e.stack, a }))));

  it("covers the alerts MSP misspelt", () => {
    const ids = new Set(alerts.map(({ a }) => a.id));
    for (const id of ["cpu", "memory", "instance_count", "external_health_check"]) assert.ok(ids.has(id), id);
  });

  it("no description has MSP's misspellings or a doubled word", () => {
    for (const { env, a } of alerts) {
      for (const typo of Object.keys(MSP_TYPOS))
        assert.ok(!a.description.includes(typo), `${env} ${a.id}: "${typo}" (write "${MSP_TYPOS[typo]}")`);
      assert.doesNotMatch(a.description, /\b(\w+) \1\b/i, `${env} ${a.id}: a doubled word`);
      assert.ok(a.documentation.content.startsWith(a.description), `${env} ${a.id}: the notification's text`);
    }
  });

  it("the fixed sentences say what MSP meant", () => {
    const byId = new Map(alerts.map(({ a }) => [a.id, a.description]));
    assert.equal(
      byId.get("cpu"),
      "High CPU Usage - it may be necessary to reduce load or increase CPU allocation",
    );
    assert.match(byId.get("instance_count")!, /increase per-instance requests to make sure we won't hit/);
    assert.match(byId.get("external_health_check")!, /^Service is failing to respond on https:\/\//);
  });
});
