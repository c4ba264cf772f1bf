/**
 * CODEOWNERS covers everything the gates execute or read to reach their verdict (issue 23 finding 2): the
 * workflows' steps are walked (test/helpers/gate-inputs.ts) to the files they run and load, and each must fall
 * under a CODEOWNERS rule with owners, matched the way GitHub matches them (gitignore patterns, through the
 * `ignore` library; the last matching rule wins, and a rule without owners leaves its files unowned).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import ignore from "ignore";
import { REPO } from "../helpers/cli";
import { gateInputs } from "../helpers/gate-inputs";

interface Rule {
  readonly line: number;
  readonly pattern: string;
  readonly owners: readonly string[];
  readonly matches: (file: string) => boolean;
}

/** CODEOWNERS' rules in file order (comments and blank lines skipped; `\#` is a literal `#`). */
function parseCodeowners(text: string): Rule[] {
  const rules: Rule[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (!line) return;
    const [pattern, ...owners] = line.split(/\s+/) as [string, ...string[]];
    const matcher = ignore().add(pattern);
    rules.push({ line: i + 1, pattern, owners, matches: (f) => matcher.ignores(f) });
  });
  return rules;
}

/** The owners GitHub asks for a file: the last matching rule's (none when no rule matches). */
const ownersOf = (rules: readonly Rule[], file: string): readonly string[] =>
  rules.findLast((r) => r.matches(file))?.owners ?? [];

/** Files without owners, each with the step that reaches it. */
function uncovered(rules: readonly Rule[], files: Iterable<string>, reasons: ReadonlyMap<string, string>) {
  const why = (f: string) => {
    for (let p = f; p; p = p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : "")
      if (reasons.has(p)) return reasons.get(p)!;
    return "?";
  };
  return [...files].filter((f) => ownersOf(rules, f).length === 0).map((f) => `${f} (${why(f)})`);
}

const CODEOWNERS = path.join(REPO, ".github", "CODEOWNERS");

describe("CODEOWNERS covers what the gates execute or read", function () {
  this.timeout(60_000);
  let inputs: ReturnType<typeof gateInputs>;
  let rules: Rule[];
  before(() => {
    inputs = gateInputs(REPO);
    rules = parseCodeowners(fs.readFileSync(CODEOWNERS, "utf8"));
  });

  it("knows every command and action the workflows run (a new kind of step must be classified first)", () => {
    assert.deepEqual(inputs.unknown, []);
  });

  it("reaches what the gates really run: the deploy program, the bundle's sources, the pack, npm's hooks", () => {
    // Findings of issue 23: each of these was uncovered; the walk must find them from the workflows alone.
    const stackFile = fs.readdirSync(path.join(REPO, "stacks")).find((f) => f.endsWith(".yaml"))!;
    for (const f of [
      "index.ts",
      "package.json",
      "package-lock.json",
      "bin/build.js",
      "bin/msp.js",
      "cli/main.ts",
      "cli/commands/delivery.ts",
      "runner/fleet-worker-main.ts",
      "tsconfig.json",
      `stacks/${stackFile}`,
      "Pulumi.yaml",
      "policy/index.js",
      "policy/PulumiPolicy.yaml",
      "policy/config/test.json",
      "program/stack.ts",
      "components/cloud-run.ts",
      "platform/settings.ts",
      "handbook/page.ts",
      ".mocharc.json",
      "eslint.config.mjs",
      ".github/workflows/deploy-stack.yml",
    ].filter((f) => fs.existsSync(path.join(REPO, f))))
      assert.ok(inputs.files.has(f), `${f} is not reached from the workflows`);
    assert.ok(inputs.files.size > 100, `only ${inputs.files.size} files reached`);
    assert.ok(![...inputs.files].some((f) => f.startsWith("services/")), "specs are the reviewed input");
  });

  it("every file the gates execute or read has code owners", () => {
    assert.deepEqual(uncovered(rules, inputs.files, inputs.reasons), []);
  });

  it("the check can fail: without a rule, its files are reported with the step that reaches them", () => {
    for (const dir of ["/cli/", "/package.json", "/stacks/", "/bin/"]) {
      const without = rules.filter((r) => r.pattern !== dir);
      assert.notEqual(without.length, rules.length, `CODEOWNERS has ${dir}`);
      const missing = uncovered(without, inputs.files, inputs.reasons);
      assert.ok(missing.length > 0, dir);
      assert.ok(
        missing.every((m) => m.startsWith(dir.replace(/^\//, "").replace(/\/$/, ""))),
        missing.join("\n"),
      );
      assert.ok(
        missing.every((m) => /\(.+\.yml .+\)$/.test(m)),
        missing.join("\n"),
      );
    }
  });

  it("matches as GitHub does: anchored folders, the last matching rule wins, a rule without owners unowns", () => {
    const r = parseCodeowners("/cli/ @a/platform\n*.md @a/docs\n/cli/README.md\n/index.ts @a/platform\n");
    assert.deepEqual(ownersOf(r, "cli/commands/delivery.ts"), ["@a/platform"]);
    assert.deepEqual(ownersOf(r, "docs/x.md"), ["@a/docs"]);
    assert.deepEqual(ownersOf(r, "cli/README.md"), []);
    assert.deepEqual(ownersOf(r, "index.ts"), ["@a/platform"]);
    assert.deepEqual(ownersOf(r, "program/index.ts"), [], "a leading / anchors at the root");
    assert.deepEqual(ownersOf(r, "src/cli/x.ts"), []);
  });
});
