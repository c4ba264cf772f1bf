/**
 * `msp diff <stack> --base <ref>` in a git repository (the workflow sandbox: the tests' fleet, the built msp):
 * both plans made by the one process, the values a reviewer reads, the README's example output, and the note
 * when the change also touches code the base is planned with.
 */
import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO } from "../helpers/cli";
import { createSandbox, type Sandbox } from "../helpers/workflow-sandbox";
import type { DiffReport } from "../../delivery/diff-report";

describe("msp diff <stack> --base <ref> (e2e)", function () {
  this.timeout(120_000);
  let sb: Sandbox;
  let ws: string;
  const spec = "services/accounts/service.yaml";
  const run = (...args: string[]) =>
    spawnSync("node", ["bin/msp.js", ...args], { cwd: ws, env: sb.env, encoding: "utf8" });

  before(() => {
    sb = createSandbox();
    const text = sb.read("main", spec);
    const edited = text
      .replace('tag: "5.4.1"', 'tag: "5.4.2"')
      .replace("        cpu: 2\n        memoryGB: 8", "        cpu: 1\n        memoryGB: 4");
    assert.notEqual(edited, text);
    const head = sb.commit("review", { [spec]: edited }, "Tag bump, smaller PostgreSQL");
    ws = sb.workspace("review", head);
    execFileSync("npm", ["ci"], { cwd: ws, env: sb.env });
  });
  after(() => sb?.cleanup());

  it("prints the tag and the tier before -> after and the downgrade: the README's example, as it is", () => {
    const r = run("diff", "accounts-prod", "--base", "HEAD~1");
    assert.equal(r.status, 1, r.stderr);
    const readme = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
    const block = /\$ npx msp diff accounts-prod --base HEAD\n([\s\S]*?)\n```/.exec(readme);
    assert.ok(block, "the README shows the example");
    const sha = /\(([0-9a-f]{12})\)/;
    assert.equal(
      r.stdout
        .trimEnd()
        .replace(/HEAD(~|&#126;)1/, "HEAD")
        .replace(sha, "(SHA)"),
      block[1]!.replace(sha, "(SHA)"),
    );
  });

  it("--format markdown: the pull-request summary the README shows, as it is", () => {
    const r = run("diff", "accounts-prod", "--base", "HEAD~1", "--format", "markdown");
    assert.equal(r.status, 1, r.stderr);
    const readme = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
    const block = /```markdown\n([\s\S]*?)\n```/.exec(readme);
    assert.ok(block, "the README shows the summary");
    const sha = /\(([0-9a-f]{12})\)/;
    assert.equal(
      r.stdout
        .trimEnd()
        .replace(/HEAD(~|&#126;)1/, "HEAD")
        .replace(sha, "(SHA)"),
      block[1]!.replace(sha, "(SHA)"),
    );
  });

  it("--format json: the same changes, the policy verdict, and a note when code changed too", () => {
    sb.commit("review", { "components/extra.ts": "export {};\n" }, "Some component code");
    execFileSync("git", ["pull", "-q", "origin", "review"], { cwd: ws, env: sb.env });
    const r = run("diff", "accounts-prod", "--base", "main", "--format", "json", "--json", "after.json");
    assert.equal(r.status, 1, r.stderr);
    const report = JSON.parse(r.stdout) as DiffReport;
    assert.deepEqual(
      report.updates.flatMap((u) =>
        u.changes!.map((c) => `${c.path}: ${String(c.before)} -> ${String(c.after)}`),
      ),
      [
        "settings.tier: db-custom-2-8192 -> db-custom-1-4096",
        "template.containers[name=accounts].image: us-central1-docker.pkg.dev/sourcegraph-ci/accounts/accounts:5.4.1 -> us-central1-docker.pkg.dev/sourcegraph-ci/accounts/accounts:5.4.2",
      ],
    );
    assert.deepEqual(report.policies && [report.policies.category, report.policies.mandatory], [
      "external",
      0,
    ]);
    assert.deepEqual(report.verdict.reasons, ["1 protection downgrade(s)"]);
    assert.match(
      report.notes.join("\n"),
      /1 changed file\(s\) besides specs .*components\/extra\.ts.*--before/,
    );
    const after = JSON.parse(fs.readFileSync(path.join(ws, "after.json"), "utf8")) as {
      deployment: { resources: unknown[] };
    };
    assert.ok(after.deployment.resources.length > 50, "the plan of the change, for msp policy check");
    // The same export compared with itself: nothing changes (--before takes a base export).
    const same = run("diff", "accounts-prod", "--before", "after.json");
    assert.equal(same.status, 0, same.stdout + same.stderr);
    assert.match(same.stdout, /0 to create, 0 to update, 0 to replace, 0 to delete/);
  });
});
