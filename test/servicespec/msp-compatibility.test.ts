/**
 * The MSP compatibility table (servicespec/msp-compatibility.ts, issue 25.2): every row's spec goes through the
 * real loader (schema, cross-field, security and platform rules, with this repository's Pulumi.yaml settings);
 * an accepted row loads, a refused one is refused with its reason in the message. The README's table is the
 * table's rendering.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { parseServiceSpec, SpecError, type SpecIssue } from "../../servicespec/loader";
import {
  BASE_SPEC,
  COMPATIBILITY,
  compatibilityMarkdown,
  README_COMPATIBILITY_BEGIN,
  README_COMPATIBILITY_END,
  specOfRow,
  type CompatibilityRow,
} from "../../servicespec/msp-compatibility";

const REPO = path.join(__dirname, "..", "..");

/** The issues of a spec object loaded as services/<id>/service.yaml of this repository (none: it loads). */
function issuesOf(spec: Record<string, unknown>): SpecIssue[] {
  const id = (spec.service as { id: string }).id;
  const file = path.join(REPO, "services", id, "service.yaml");
  try {
    parseServiceSpec(file, new TextEncoder().encode(stringify(spec)));
    return [];
  } catch (e) {
    if (e instanceof SpecError) return e.issues;
    throw e;
  }
}

const shown = (issues: SpecIssue[]) => issues.map((i) => `${i.field}: ${i.message}`).join("\n");

describe("MSP compatibility table", () => {
  it("the base spec loads", () => {
    assert.deepEqual(issuesOf(BASE_SPEC), []);
  });

  it("row IDs are unique kebab-case names, and every refusal gives its reason", () => {
    const ids = COMPATIBILITY.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const r of COMPATIBILITY) {
      assert.match(r.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      if (r.verdict === "refused") assert.ok(r.reason.length >= 10, `${r.id}: a reason in words`);
    }
  });

  const check = (row: CompatibilityRow) => () => {
    const issues = issuesOf(specOfRow(row));
    if (row.verdict === "accepted") assert.deepEqual(issues, [], `${row.id} is refused:\n${shown(issues)}`);
    else
      assert.ok(
        issues.some((i) => i.message.includes(row.reason)),
        `${row.id}: no message gives the reason "${row.reason}":\n${shown(issues) || "(it loads)"}`,
      );
  };
  for (const row of COMPATIBILITY) it(`${row.verdict}: ${row.id}`, check(row));

  it("the README's MSP compatibility section is the table", () => {
    const readme = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
    const from = readme.indexOf(README_COMPATIBILITY_BEGIN);
    const to = readme.indexOf(README_COMPATIBILITY_END);
    assert.ok(from >= 0 && to > from, "README.md has the MSP compatibility markers");
    assert.equal(
      readme.slice(from + README_COMPATIBILITY_BEGIN.length, to).trim(),
      compatibilityMarkdown(),
      "README.md's MSP compatibility table is stale: put the output of `npx tsx -e \"process.stdout.write(require('./servicespec/msp-compatibility').compatibilityMarkdown())\"` between its markers",
    );
  });
});
