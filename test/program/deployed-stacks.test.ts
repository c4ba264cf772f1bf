/**
 * What a deployed stack holds is still found by the program: every URN the example stacks had when they
 * were deployed (test/fixtures/deployed-urns.json) is the URN of a resource of today's plan or one of its
 * aliases. A resource moved between components without an alias would be deleted and created again by
 * `pulumi up`, losing whatever it holds; this fails first.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { toStackExport, type StackExport } from "../../engine/export";
import { pairResources } from "../../delivery/pairing";
import { diffExports } from "../../delivery/diff";
import { exampleStacks, planOf } from "../helpers/stacks";
import { REPO } from "../helpers/cli";

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

describe("deployed example stacks keep every resource", () => {
  it("has the deployed URNs of every example stack", () => {
    assert.deepEqual(Object.keys(deployed).sort(), [...exampleStacks()].sort());
  });

  for (const stack of exampleStacks())
    it(`${stack}: every deployed resource is found by its URN or an alias, none deleted`, async () => {
      const now = toStackExport(await planOf(stack), "3");
      const before = deployedExport(stack);
      const { gone } = pairResources(before, now);
      assert.deepEqual(
        gone.map((r) => r.urn),
        [],
        "deployed resources the program no longer creates",
      );
      assert.deepEqual(diffExports(before, now).deletes, []);
    });
});
