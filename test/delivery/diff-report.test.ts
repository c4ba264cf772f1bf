import * as assert from "node:assert/strict";
import type { ExportDiff } from "../../delivery/diff";
import { diffReport, escapeMarkdown, MAX_ROWS, renderMarkdown } from "../../delivery/diff-report";

const URN = "urn:pulumi:accounts-prod::msp::gcp:cloudrunv2/service:Service::cloudrun-service";
const empty = (): ExportDiff => ({
  creates: [],
  updates: [],
  moves: [],
  deletes: [],
  replaces: [],
  losses: [],
  downgrades: [],
  unknown: [],
});

describe("msp diff report (--format json / markdown, the pull-request summary)", () => {
  it("escapes spec text so it can neither format, link, mention nor break out of the table", () => {
    const hostile = "@acme/admins <img src=x onerror=alert(1)> | `x` [a](https://evil) **b** _c_\n# h";
    const d = empty();
    d.updates.push({
      urn: URN,
      type: "gcp:cloudrunv2/service:Service",
      fields: ["template"],
      changes: [
        { path: "template.containers[name=app].envs[name=NOTE].value", before: "ok", after: hostile },
      ],
    });
    const md = renderMarkdown(diffReport(d, { stack: "accounts-prod" }));
    const row = md.split("\n").find((l) => l.startsWith("| ~ update"))!;
    assert.equal(row.split("|").length, 7, `one row of five cells: ${row}`);
    for (const raw of ["@acme", "<img", "`x`", "[a]", "**b**", "_c_", "\n#"])
      assert.ok(!row.includes(raw), raw);
    assert.match(row, /&#64;acme\/admins &#60;img src=x onerror=alert\(1\)&#62; &#124;/);
    assert.equal(escapeMarkdown("db-custom-1-4096"), "db-custom-1-4096", "plain values stay readable");
  });

  it("counts, verdict with the policy result, findings; rows bounded, the rest counted", () => {
    const d = empty();
    for (let i = 0; i < MAX_ROWS + 5; i++)
      d.updates.push({
        urn: `${URN}-${i}`,
        type: "gcp:cloudrunv2/service:Service",
        fields: ["x"],
        changes: [{ path: "x", before: i, after: i + 1 }],
      });
    d.downgrades.push({
      urn: URN,
      type: "gcp:sql/databaseInstance:DatabaseInstance",
      what: "PostgreSQL shrunk",
    });
    const policies = { category: "external", mandatory: 1, advisory: 0, violations: [] };
    const r = diffReport(d, { stack: "accounts-prod", policies });
    assert.deepEqual(r.verdict, {
      exitCode: 1,
      reasons: ["1 protection downgrade(s)", "1 mandatory policy violation(s)"],
    });
    const md = renderMarkdown(r);
    assert.match(md, /^### ❌ <code>accounts-prod<\/code> \(external\)/);
    assert.match(md, /\*\*0 to create, 65 to update, 0 to replace, 0 to delete\*\*/);
    assert.match(md, /Policies \(msp pack, external\): 1 mandatory, 0 advisory/);
    assert.match(md, /PROTECTION DOWNGRADE[\s\S]*PostgreSQL shrunk/);
    assert.equal(md.split("\n").filter((l) => l.startsWith("| ~ update")).length, MAX_ROWS);
    assert.match(md, /5 more row\(s\)/);
    const labelled = diffReport(d, { stack: "accounts-prod", allowDowngrade: true });
    assert.equal(labelled.verdict.exitCode, 0);
    assert.match(renderMarkdown(labelled, true), /^### ✅[\s\S]*allowed by the `msp\/allow-downgrade` label/);
  });
});
