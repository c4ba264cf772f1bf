import * as assert from "node:assert/strict";
import { exampleServices, exampleStacks, planOf } from "../helpers/stacks";
import { changesOf, planAgainst, stateOf } from "../helpers/idempotence";
import { findStack } from "../../program/stack";
import { platformSettingsFor } from "../../program/config";
import { toStackExport } from "../../engine/export";
import { REPO } from "../helpers/cli";

/**
 * A real `pulumi up` followed by `pulumi preview --expect-no-changes` (the nightly drift check) must show no
 * change: the second plan, against the first one's applied state as the APIs return it (engine/model/returns.ts),
 * has no update, replacement, create or delete. Every example stack here; the generated fleet in
 * idempotence.e2e.test.ts.
 */
describe("idempotence: a stack planned against its own applied state has no changes", () => {
  for (const stack of exampleStacks())
    it(`${stack}: the preview after the first deploy shows no change`, async () => {
      const state = stateOf(await planOf(stack));
      const target = findStack(exampleServices(), stack)!;
      const again = await planAgainst(target, platformSettingsFor(stack, REPO), state, "preview");
      assert.deepEqual(changesOf(again), []);
      assert.equal(again.resources.length, state.deployment.resources.length);
    });

  it("a second `pulumi up` leaves the state exactly as the first left it", async () => {
    const stack = "releaseregistry-prod";
    const state = stateOf(await planOf(stack));
    const target = findStack(exampleServices(), stack)!;
    const again = await planAgainst(target, platformSettingsFor(stack, REPO), state, "applied");
    assert.deepEqual(changesOf(again), []);
    assert.deepEqual(stateOf(again), state);
  });

  it("the state holds the dashboard as the Monitoring API returns it, not as it was sent", async () => {
    const plan = await planOf("releaseregistry-prod");
    const dashboard = plan.resources.find((r) => r.type === "gcp:monitoring/dashboard:Dashboard")!;
    const stored = JSON.parse(String(dashboard.outputs.dashboardJson)) as Record<string, unknown>;
    assert.equal(stored.name, dashboard.id, "the API adds the dashboard's name");
    assert.match(String(stored.etag), /^[0-9a-f]{32}$/, "and its etag");
    const sent = JSON.parse(String(dashboard.inputs.dashboardJson)) as Record<string, unknown>;
    assert.deepEqual(
      { ...stored, name: undefined, etag: undefined },
      { ...sent, name: undefined, etag: undefined },
    );
    assert.equal(toStackExport(plan, "0").deployment.resources.length, plan.resources.length);
  });
});
