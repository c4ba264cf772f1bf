/**
 * Every folder under test/fixtures/invalid holds one mistake. The offending line carries a marker
 * `# <- <field.path> <words of the message>`; file-level problems (binary, empty...) are checked by name.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { loadServices, SpecError, type SpecIssue } from "../../servicespec/loader";

const ROOT = path.join(__dirname, "..", "fixtures", "invalid");

function issuesOf(dir: string): SpecIssue[] {
  try {
    loadServices(dir);
  } catch (e) {
    if (e instanceof SpecError) return e.issues;
    throw e;
  }
  assert.fail(`${dir} loaded without errors`);
}

interface Marker {
  line: number;
  field: string;
  words: string;
}

function markerOf(file: string): Marker | undefined {
  const lines = fs.readFileSync(file).toString("latin1").split("\n");
  for (const [i, text] of lines.entries()) {
    const m = /# <- (\S+) (.*)$/.exec(text);
    if (m) return { line: i + 1, field: m[1]!, words: m[2]!.trim() };
  }
  return undefined;
}

const FILE_LEVEL: Record<string, string> = {
  "empty-file": "file is empty",
  "not-a-mapping": "must be a mapping",
  "yaml-syntax-error": "YAML syntax error",
  "binary-file": "binary",
  "alias-bomb": "aliases",
};

describe("invalid spec fixtures", () => {
  const cases = fs.readdirSync(ROOT).sort();

  it("has at least 25 kinds of mistake", () => {
    assert.ok(cases.length >= 25, `only ${cases.length} fixtures`);
  });

  for (const name of cases) {
    it(name, () => {
      const dir = path.join(ROOT, name);
      const file = path.join(dir, fs.readdirSync(dir)[0]!, "service.yaml");
      const issues = issuesOf(dir);
      for (const i of issues) assert.equal(i.file, file, "issues name the spec file");
      const marker = markerOf(file);
      if (!marker) {
        const words = FILE_LEVEL[name];
        assert.ok(words, `fixture ${name} has no marker`);
        assert.ok(
          issues.some((i) => i.message.includes(words)),
          `expected "${words}" in:\n${issues.map((i) => i.message).join("\n")}`,
        );
        return;
      }
      const field = marker.field === "(file)" ? "" : marker.field;
      const hit = issues.find((i) => i.line === marker.line && i.field === field);
      assert.ok(
        hit,
        `expected ${field} at line ${marker.line}, got:\n${issues.map((i) => `${i.line}:${i.col} ${i.field}: ${i.message}`).join("\n")}`,
      );
      const words = marker.words.toLowerCase().split(/\s+/);
      for (const w of words)
        assert.ok(hit.message.toLowerCase().includes(w), `"${hit.message}" lacks "${w}"`);
    });
  }
});
