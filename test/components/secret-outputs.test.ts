/**
 * Generated credentials (the diagnostics token, the PostgreSQL admin password) never appear in plain text: not
 * in the stack export `msp preview --json` writes, not in the plan it prints. The values looked for are the ones
 * the offline cloud model generates for each random resource of each example stack, in every encoding the
 * resource exposes (hex, decimal, base64, its ID), so a credential held by a resource whose ID is the value
 * (RandomId, RandomString, RandomBytes) or whose outputs are not secret fails here.
 */
import * as assert from "node:assert/strict";
import { stackExportJson } from "../../engine/export";
import { renderDetails, renderOutputs, renderTree } from "../../engine/render";
import { createResource } from "../../engine/model";
import { isSecret } from "../../engine/redact";
import { exampleStacks, planOf } from "../helpers/stacks";

/** Every string a created random resource holds (its ID too), as the provider would generate it. */
function generatedValues(type: string, name: string, inputs: Record<string, unknown>): string[] {
  const created = createResource(type, inputs, { name, provider: {} });
  const values = [created.id as unknown, ...Object.values(created.state as Record<string, unknown>)].filter(
    (v): v is string => typeof v === "string",
  );
  // Short or fixed values ("none") say nothing about a leak.
  return values.filter((v) => v.length >= 8 && v !== "none");
}

describe("generated credentials are secret outputs", () => {
  for (const stack of exampleStacks())
    it(`${stack}: no generated value in the export or the printed plan`, async () => {
      const plan = await planOf(stack);
      const randoms = plan.resources.filter((r) => r.type.startsWith("random:"));
      assert.ok(randoms.length >= 1, "the stack has the diagnostics token");
      const exported = stackExportJson(plan, "3");
      const printed = [
        renderTree(stack, plan.resources),
        renderOutputs(plan.outputs),
        renderDetails(plan.resources),
      ].join("\n");
      for (const r of randoms) {
        const values = generatedValues(r.type, r.name, r.inputs);
        assert.ok(values.length > 0, `the model generates a value for ${r.name}`);
        for (const v of values) {
          assert.ok(!exported.includes(v), `${r.name}: "${v}" is in the stack export`);
          assert.ok(!printed.includes(v), `${r.name}: "${v}" is in the printed plan`);
        }
        // Every generated credential is a RandomPassword: its value is a secret output, and so is its hash
        // where the model produces one (the offline model generates `result` only).
        assert.equal(r.type, "random:index/randomPassword:RandomPassword", `${r.name}: a generated password`);
        assert.ok(isSecret(r.outputs.result), `${r.name}.result is a secret`);
        assert.ok(
          r.outputs.bcryptHash === undefined || isSecret(r.outputs.bcryptHash),
          `${r.name}.bcryptHash is a secret`,
        );
        assert.equal(r.id, "none", `${r.name}: the resource ID holds no part of the value`);
      }
      const token = randoms.find((r) => r.name === "diagnostics-token");
      assert.ok(token, "the diagnostics token is a generated secret");
      assert.deepEqual(
        [token.type, token.inputs.length, token.inputs.overrideSpecial],
        ["random:index/randomPassword:RandomPassword", 16, "abcdef"],
      );
    });
});
