/** The one table of resource types (platform/resource-types.ts) and everything that reads it. */
import * as assert from "node:assert/strict";
import { isSet, PLATFORM_TYPES, PROTECTED_TYPES, RESOURCE_TYPES } from "../../platform/resource-types";
import { RESOURCE_MODELS } from "../../engine/model";
import { STATEFUL_CLASSES } from "../../policy/types";
import { exampleStacks, planOf } from "../helpers/stacks";

describe("resource type table", () => {
  it("an input is set unless it is undefined, null or the empty string (the providers' unset)", () => {
    assert.deepEqual(
      [undefined, null, "", 0, false, "x", []].map((v) => isSet(v)),
      [false, false, false, true, true, true, true],
    );
  });

  it("the offline model models exactly the table's types (the stack is the engine's own)", () => {
    const modelled = new Set(Object.keys(RESOURCE_MODELS));
    assert.deepEqual(
      PLATFORM_TYPES.filter((t) => t !== "pulumi:pulumi:Stack" && !modelled.has(t)),
      [],
      "types without a model",
    );
    assert.deepEqual(
      [...modelled].filter((t) => !Object.hasOwn(RESOURCE_TYPES, t)),
      [],
      "modelled types the table does not classify",
    );
  });

  it("the protect policy checks the provider classes of the table's protected types, all stateful", () => {
    assert.deepEqual(
      STATEFUL_CLASSES.map((c) => (c as unknown as { __pulumiType: string }).__pulumiType),
      PROTECTED_TYPES,
    );
    for (const t of PROTECTED_TYPES) assert.equal(RESOURCE_TYPES[t]!.stateful, true, t);
    assert.ok(PROTECTED_TYPES.includes("gcp:sql/databaseInstance:DatabaseInstance"));
  });

  it("every example stack protects every resource of a protected type, and creates only table types", async () => {
    for (const stack of exampleStacks()) {
      const plan = await planOf(stack);
      for (const r of plan.resources) {
        if (r.custom || r.type.startsWith("pulumi:"))
          assert.ok(Object.hasOwn(RESOURCE_TYPES, r.type), `${stack}: ${r.type} is not in the table`);
        if (PROTECTED_TYPES.includes(r.type)) assert.equal(r.protect, true, `${stack}: ${r.urn}`);
      }
    }
  });
});
