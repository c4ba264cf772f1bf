/** How cli/main.ts prints an error: every line of its message, never a stack frame, bounded. */
import * as assert from "node:assert/strict";
import { errorLines } from "../../cli/main";
import { UsageError } from "../../cli/errors";

describe("error printer", () => {
  it("prints every line of a multi-line message, the later ones indented", () => {
    const e = new UsageError(
      "the new spec would be invalid:\na.yaml:1:1: x: wrong\nb.yaml:2:3: y: wrong too",
    );
    assert.deepEqual(errorLines(e), [
      "error: the new spec would be invalid:",
      "  a.yaml:1:1: x: wrong",
      "  b.yaml:2:3: y: wrong too",
    ]);
  });

  it("keeps one-line messages on one line", () => {
    assert.deepEqual(errorLines(new Error("boom")), ["error: boom"]);
    assert.deepEqual(errorLines(new Error("")), ["error: Error"]);
  });

  it("drops stack frames a message carries, cuts long lines and counts what is left out", () => {
    const frames = new Error("failed:\n    at f (/x/y.js:1:2)\n    at /x/z.js:3:4\nthe reason");
    assert.deepEqual(errorLines(frames), ["error: failed:", "  the reason"]);
    const many = errorLines(
      new Error(["head", ...Array.from({ length: 100 }, (_, i) => `line ${i}`)].join("\n")),
    );
    assert.equal(many.length, 41);
    assert.equal(many.at(-1), "  ... and 61 more line(s)");
    assert.equal(errorLines(new Error("x".repeat(1000)))[0]!.length, "error: ".length + 301);
  });
});
