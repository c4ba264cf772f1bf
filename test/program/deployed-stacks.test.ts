/**
 * What a deployed stack holds is still found by the program: every URN a stack had when it was deployed
 * (test/fixtures/deployed-urns.json, recorded for the example stacks) is the URN of a resource of today's plan
 * or one of its aliases. A resource moved between components without an alias would be deleted and created again by
 * `pulumi up`, losing whatever it holds; this fails first.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { toStackExport, type StackExport } from "../../engine/export";
import { pairResources } from "../../delivery/pairing";
import { diffExports } from "../../delivery/diff";
import { loadServices } from "../../servicespec/loader";
import { findStack } from "../../program/stack";
import { runStackOffline } from "../../runner/run";
import { platformSettingsFor } from "../../program/config";
import { exampleStacks, planOf } from "../helpers/stacks";
import { FLEET_SERVICES, REPO } from "../helpers/cli";

const deployed = (
  JSON.parse(fs.readFileSync(path.join(REPO, "test", "fixtures", "deployed-urns.json"), "utf8")) as {
    stacks: Record<string, string[]>;
  }
).stacks;

/** A stack export holding only the deployed URNs (types from the URNs). */
function deployedExport(stack: string): StackExport {
  return {
    version: 3,
    deployment: {
      manifest: { time: "", magic: "", version: "" },
      secrets_providers: { type: "service", state: {} },
      resources: deployed[stack]!.map((u) => ({
        urn: `urn:pulumi:${stack}::msp::${u}`,
        type: u.slice(0, u.lastIndexOf("::")).split("$").pop()!,
        custom: !/^(pulumi:pulumi:Stack|msp:)/.test(u.slice(0, u.lastIndexOf("::")).split("$").pop()!),
      })),
    },
  };
}

/** The deployed URNs of `stack` that `now` no longer holds, by URN or alias (what `pulumi up` would delete). */
function lost(stack: string, now: StackExport): string[] {
  const before = deployedExport(stack);
  return [
    ...pairResources(before, now).gone.map((r) => r.urn),
    ...diffExports(before, now).deletes.map((d) => `deleted: ${JSON.stringify(d)}`),
  ];
}

describe("deployed stacks keep every resource", () => {
  // A stack with no record is new (nothing of it is deployed yet); a recorded stack that no longer exists was
  // removed, which the two-step removal (allowDestroys first) governs, not this record.
  const recorded = exampleStacks().filter((s) => Object.hasOwn(deployed, s));

  for (const stack of recorded)
    it(`${stack}: every deployed resource is found by its URN or an alias, none deleted`, async () => {
      assert.deepEqual(
        lost(stack, toStackExport(await planOf(stack), "3")),
        [],
        "deployed resources the program no longer creates",
      );
    });

  it("a recorded stack that loses a resource fails, whatever services/ holds (the tests' fleet)", async () => {
    const target = findStack(loadServices(FLEET_SERVICES), "accounts-prod")!;
    const plan = await runStackOffline(target, platformSettingsFor("accounts-prod", REPO));
    const now = toStackExport(plan, "3");
    assert.deepEqual(lost("accounts-prod", now), [], "the tests' copy of accounts-prod keeps every resource");
    const sql = now.deployment.resources.findIndex(
      (r) => r.type === "gcp:sql/databaseInstance:DatabaseInstance",
    );
    assert.ok(sql >= 0);
    now.deployment.resources.splice(sql, 1);
    assert.match(lost("accounts-prod", now).join("\n"), /DatabaseInstance::postgres-instance/);
  });
});
