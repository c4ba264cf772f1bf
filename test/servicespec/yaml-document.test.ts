/**
 * servicespec/yaml-document.ts: the YAML library's parseDocument, bounded in tokens. Below the cap it must be the
 * library's result exactly (values, errors, positions); past it, it must stop where the cap is crossed.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { MAX_YAML_TOKENS, parseBoundedDocument } from "../../servicespec/yaml-document";
import { REPO } from "../helpers/cli";

const EXAMPLES = path.join(REPO, "services");
const examples = fs.readdirSync(EXAMPLES).map((id) => path.join(EXAMPLES, id, "service.yaml"));

/** The library's parse and ours of `text`: values, errors (code, offset) and line positions of both. */
function both(text: string) {
  const theirLines = new LineCounter();
  const theirs = parseDocument(text, { lineCounter: theirLines, uniqueKeys: false, prettyErrors: false });
  const ourLines = new LineCounter();
  const ours = parseBoundedDocument(text, { lineCounter: ourLines, uniqueKeys: false });
  assert.ok(ours.doc, "under the cap, a document");
  const errors = (d: { errors: readonly { code: string; pos: [number, number] }[] }) =>
    d.errors.map((e) => [e.code, e.pos[0]]);
  return {
    theirs: { value: theirs.toJS() as unknown, errors: errors(theirs), lines: theirLines.lineStarts },
    ours: { value: ours.doc.toJS() as unknown, errors: errors(ours.doc), lines: ourLines.lineStarts },
  };
}

describe("bounded YAML parsing (servicespec/yaml-document.ts)", () => {
  it("gives the library's own document for every example spec", () => {
    for (const file of examples) {
      const { theirs, ours } = both(fs.readFileSync(file, "utf8"));
      assert.deepEqual(ours, theirs, file);
    }
  });

  it("gives the library's errors and positions for broken YAML, a second document included", () => {
    for (const text of [
      'a: "unclosed\nb: 1\n',
      "a:\n  b: 1\n    c: 2\n",
      "a: [1, 2\n",
      "a: 1\n---\nb: 2\n",
      "&a [*a]",
      "",
      "# only a comment\n",
      "k: |\n  block\n  text\n",
    ]) {
      const { theirs, ours } = both(text);
      assert.deepEqual(ours, theirs, JSON.stringify(text));
    }
  });

  it("stops a document with more tokens than the cap where the cap is crossed, without parsing the rest", () => {
    // `kN: 1` is three content tokens (key, ":", value): the cap is crossed on line cap/3 + 1.
    const lines = Array.from({ length: 100_000 }, (_, i) => `k${i}: 1\n`);
    const text = lines.join("");
    const lineCounter = new LineCounter();
    const result = parseBoundedDocument(text, { lineCounter });
    assert.ok(result.tooManyTokens, "over the cap");
    const { line } = lineCounter.linePos(result.tooManyTokens.offset);
    assert.equal(line, Math.floor(MAX_YAML_TOKENS / 3) + 1);
    // Lines after the cap were never lexed: the line counter stops there.
    assert.ok(lineCounter.lineStarts.length <= line + 1, `${lineCounter.lineStarts.length} lines counted`);
  });

  it("counts content, not layout: comments and blank lines do not reach the cap", () => {
    const text = "service:\n" + "  # a comment\n\n".repeat(MAX_YAML_TOKENS * 2) + "  id: x\n";
    const result = parseBoundedDocument(text, { lineCounter: new LineCounter() });
    assert.ok(result.doc, "comments are not counted");
    assert.deepEqual(result.doc.toJS(), { service: { id: "x" } });
  });

  it("counts every kind of content token: brackets, list items, aliases", () => {
    const over = (text: string) =>
      !!parseBoundedDocument(text, { lineCounter: new LineCounter() }).tooManyTokens;
    const n = MAX_YAML_TOKENS + 1;
    assert.ok(over(`a: ${"[".repeat(n)}${"]".repeat(n)}\n`), "flow brackets");
    assert.ok(over(`a:\n${"  -\n".repeat(n)}`), "empty list items");
    assert.ok(over(`x: &x 1\nl: [${"*x, ".repeat(n)}]\n`), "aliases");
    assert.ok(!over(`a: [${"1, ".repeat(100)}]\n`), "a hundred items are fine");
  });
});
