/** Property: whatever the bytes, the loader either returns a spec or throws its own SpecError. */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { stringify } from "yaml";
import { parseServiceSpec, SpecError } from "../../servicespec/loader";
import { replaceNode } from "../helpers/mutate";

const FILE = path.join(__dirname, "..", "..", "services", "pings", "service.yaml");
const VALID = fs.readFileSync(FILE, "utf8");

function neverThrowsForeign(bytes: Uint8Array): void {
  try {
    parseServiceSpec(FILE, bytes);
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    assert.ok(e.issues.length > 0);
    for (const i of e.issues) {
      assert.ok(i.line >= 1 && i.col >= 1, `bad position ${i.line}:${i.col}`);
      assert.ok(i.message.length > 0);
    }
  }
}

const enc = new TextEncoder();
const yamlish = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "&a [*a]",
    "a: &x 1\nb: *y",
    "- - - -",
    "{",
    "key: : value",
    "!!binary x",
    "? complex\n: key",
    "%YAML 9.9\n---\na: 1",
  ),
);

describe("loader robustness (fast-check)", () => {
  it("survives random YAML text", () => {
    fc.assert(
      fc.property(fc.array(yamlish, { maxLength: 6 }), (parts) =>
        neverThrowsForeign(enc.encode(parts.join("\n"))),
      ),
      { numRuns: 400 },
    );
  });

  it("survives mutated valid specs", () => {
    const parsed = (require("yaml") as typeof import("yaml")).parse(VALID) as unknown;
    fc.assert(
      fc.property(fc.nat(), fc.jsonValue(), (idx, value) =>
        neverThrowsForeign(enc.encode(stringify(replaceNode(parsed, idx, value)))),
      ),
      { numRuns: 400 },
    );
  });

  it("survives random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => neverThrowsForeign(bytes)),
      { numRuns: 300 },
    );
  });

  it("accepts the unmutated spec (the mutation test starts from a valid file)", () => {
    assert.equal(parseServiceSpec(FILE, enc.encode(VALID)).spec.service.id, "pings");
  });
});
