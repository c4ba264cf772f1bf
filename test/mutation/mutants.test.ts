/**
 * The mutation list itself (test/mutation/mutants.ts), checked without running it: every breakage still applies
 * (its text occurs exactly once in its file, so an edit elsewhere cannot make it vanish unnoticed), names test
 * files that exist, and the list spans the kinds of edge issue 26 asks for, at least 60 mutants in all.
 * `npm run mutation` runs the mutants; this runs in the main tier in milliseconds.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { MUTANTS, MUTANT_KINDS } from "./mutants";

const REPO = path.join(__dirname, "..", "..");

/** The files a test path names: itself, or with a `*` in its file name, the matching files of its folder. */
function filesOf(pattern: string): string[] {
  const dir = path.join(REPO, path.dirname(pattern));
  const name = path.basename(pattern);
  if (!name.includes("*")) return fs.existsSync(path.join(dir, name)) ? [pattern] : [];
  const re = new RegExp(
    `^${name
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  );
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => re.test(f)) : [];
}

describe("the mutation list", () => {
  it("has at least 60 mutants, at least 5 of each kind issue 26 names", () => {
    assert.ok(MUTANTS.length >= 60, `only ${MUTANTS.length} mutants`);
    const count = (kind: string) => MUTANTS.filter((m) => m.kind === kind).length;
    for (const kind of ["default", "boundary", "unset", "cross-field", "delivery"])
      assert.ok(count(kind) >= 5, `${kind}: ${count(kind)} mutants`);
    for (const m of MUTANTS) assert.ok(MUTANT_KINDS.includes(m.kind), `${m.what}: kind ${m.kind}`);
  });

  it("every mutant's text occurs exactly once in its file and changes it", () => {
    const stale = MUTANTS.filter((m) => {
      const text = fs.readFileSync(path.join(REPO, m.file), "utf8");
      return text.split(m.from).length !== 2 || m.from === m.to;
    }).map((m) => `${m.file}: ${m.what}`);
    assert.deepEqual(stale, [], "these no longer apply: update their `from`");
  });

  it("every mutant names test files that exist, and says what it breaks once", () => {
    for (const m of MUTANTS) {
      assert.ok(m.tests.length > 0, m.what);
      for (const t of m.tests) assert.ok(filesOf(t).length > 0, `${m.what}: no test file ${t}`);
    }
    const whats = MUTANTS.map((m) => m.what);
    assert.deepEqual(
      whats.filter((w, i) => whats.indexOf(w) !== i),
      [],
      "descriptions are unique",
    );
  });

  it("no two mutants make the same change", () => {
    const keys = MUTANTS.map((m) => `${m.file}\n${m.from}\n${m.to}`);
    assert.equal(new Set(keys).size, keys.length);
  });
});
