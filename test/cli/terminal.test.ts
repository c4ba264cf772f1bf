/**
 * Issue 14, point 4: colour and symbols on a terminal, plain text when piped or when NO_COLOR or CI is set
 * (FORCE_COLOR wins), and spec errors with the offending line quoted under `file:line:col`, a caret under the
 * column, in both modes. The terminal is real: `script` (util-linux) runs the command on a pseudo-terminal.
 *
 * Runners: a spawned process on a pseudo-terminal (onTerminal) wherever the terminal is the subject: the command
 * must find it by itself. Piped output runs in-process (mspInProcess: standard output and error are pipes there
 * too, no isTTY), and test/cli/in-process.e2e.test.ts checks it is byte-identical to the spawned command's.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { buildOnce, FLEET_SERVICES, mspInProcess, REPO, type CliResult } from "../helpers/cli";
import { diffPaint, makeStyle, PLAIN, planPaint, wantsStyle } from "../../cli/terminal";
import { excerpt, formatSpecIssues, QUOTE_WIDTH, quoteLine, readSpecSource } from "../../cli/diagnostics";
import type { SpecIssue } from "../../servicespec/loader";

const ESC = "\x1b[";
/** The environment a person's shell would have: no colour variables, a capable terminal. */
const NEUTRAL: NodeJS.ProcessEnv = {
  NO_COLOR: undefined,
  CI: undefined,
  FORCE_COLOR: undefined,
  TERM: "xterm",
};

/** `msp` on a pseudo-terminal: stdout and stderr arrive together, with CRLF line ends. */
function onTerminal(args: string[], cwd = REPO, env: NodeJS.ProcessEnv = {}): CliResult {
  buildOnce();
  const command = [process.execPath, path.join(REPO, "bin", "msp.js"), ...args]
    .map((a) => `'${a}'`)
    .join(" ");
  const r = spawnSync("script", ["-q", "-e", "-c", command, "/dev/null"], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...NEUTRAL, ...env },
  });
  // Without bin/msp.js's note that a source changed after the last build (only while someone edits sources).
  const stdout = r.stdout
    .replace(/\r\n/g, "\n")
    .split("\n")
    .filter((l) => !l.startsWith("msp: note:"))
    .join("\n");
  return { status: r.status, stdout, stderr: r.stderr };
}

/** `msp` with its output piped, in the neutral environment (the test helper sets NO_COLOR otherwise). */
const piped = (args: string[], cwd = REPO, env: NodeJS.ProcessEnv = {}) =>
  mspInProcess(args, cwd, { ...NEUTRAL, ...env });

const temporary: string[] = [];

/** A services folder with pings whose first category is misspelt `tst`; returns it and the spec's line. */
function brokenPings(): { services: string; line: number; text: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "msp-terminal-"));
  temporary.push(root);
  const services = path.join(root, "services");
  fs.cpSync(path.join(REPO, "services", "pings"), path.join(services, "pings"), { recursive: true });
  const file = path.join(services, "pings", "service.yaml");
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const at = lines.findIndex((l) => l.trim() === "category: test");
  lines[at] = lines[at]!.replace("test", "tst");
  fs.writeFileSync(file, lines.join("\n"));
  return { services, line: at + 1, text: lines[at] };
}

/**
 * Finds the problem line for `category` and checks the two lines under it: the spec line with its number, and
 * the caret under the first character of the bad value.
 */
function assertQuoted(output: string, line: number, text: string): void {
  const lines = stripVTControlCharacters(output).split("\n");
  const col = text.indexOf("tst") + 1;
  const at = lines.findIndex((l) =>
    l.includes(`pings/service.yaml:${line}:${col}: environments[0].category: must be one of`),
  );
  assert.ok(at >= 0, `no problem line in:\n${output}`);
  assert.equal(lines[at + 1], `   ${line} | ${text}`);
  const caret = lines[at + 2]!;
  assert.match(caret, new RegExp(`^ {${3 + String(line).length}} \\| +\\^$`));
  assert.equal(caret.indexOf("^"), lines[at + 1]!.indexOf("tst"), "the caret is under the column");
}

describe("terminal output (issue 14)", function () {
  this.timeout(120_000);
  after(() => {
    for (const dir of temporary.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe("when to colour", () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    it("colours a terminal, never a pipe", () => {
      assert.equal(wantsStyle(tty, {}), true);
      assert.equal(wantsStyle(pipe, {}), false);
    });
    it("NO_COLOR (any non-empty value), CI and TERM=dumb turn it off on a terminal", () => {
      assert.equal(wantsStyle(tty, { NO_COLOR: "1" }), false);
      assert.equal(wantsStyle(tty, { NO_COLOR: "yes" }), false);
      assert.equal(wantsStyle(tty, { NO_COLOR: "" }), true, "an empty NO_COLOR is not set (no-color.org)");
      assert.equal(wantsStyle(tty, { CI: "true" }), false);
      assert.equal(wantsStyle(tty, { TERM: "dumb" }), false);
    });
    it("FORCE_COLOR wins over all of them, and 0 or false forces plain", () => {
      assert.equal(wantsStyle(pipe, { FORCE_COLOR: "1" }), true);
      assert.equal(wantsStyle(pipe, { FORCE_COLOR: "", CI: "true", NO_COLOR: "1" }), true);
      assert.equal(wantsStyle(tty, { FORCE_COLOR: "0" }), false);
      assert.equal(wantsStyle(tty, { FORCE_COLOR: "false" }), false);
    });
    it("plain style adds nothing: no escape codes, no symbols", () => {
      for (const paint of [PLAIN.danger, PLAIN.ok, PLAIN.muted, PLAIN.strong]) assert.equal(paint("x"), "x");
      assert.deepEqual(PLAIN.mark, { error: "", warning: "", ok: "" });
      assert.equal(planPaint(PLAIN)("create", "create"), "create");
      assert.equal(diffPaint(PLAIN)("danger", "DATA LOSS:"), "DATA LOSS:");
      const styled = makeStyle(true);
      assert.ok(styled.danger("x").startsWith(ESC));
      assert.equal(diffPaint(styled)("danger", "DATA LOSS:").includes("✖"), true);
      assert.equal(planPaint(styled)("tree", ""), "", "nothing to paint, no codes");
    });
  });

  describe("the offending line under file:line:col", () => {
    it("puts the caret under the column, tabs kept so both lines align", () => {
      assert.deepEqual(quoteLine(7, "  category: tst", 13), [
        "   7 |   category: tst",
        "     |             ^",
      ]);
      assert.deepEqual(quoteLine(12, "\tx: 1", 2), ["   12 | \tx: 1", "      | \t^"]);
      assert.equal(quoteLine(3, "ab", 3)[1], "     |   ^", "the end of the line");
    });

    it("cuts long lines around the column and keeps the caret under the same character", () => {
      const text = `${"a".repeat(500)}X${"b".repeat(500)}`;
      const { shown, caret } = excerpt(text, 501);
      assert.ok(shown.length <= QUOTE_WIDTH + 2, `${shown.length} characters`);
      assert.ok(shown.startsWith("…") && shown.endsWith("…"));
      assert.equal(shown[caret], "X");
      assert.equal(excerpt(text, 1).shown[0], "a", "the start needs no leading cut");
      assert.equal(excerpt(text, 1001).shown.at(-1), "b", "the end needs no trailing cut");
    });

    it("shows control and bidirectional characters as U+FFFD, one each, never raw", () => {
      const { shown, caret } = excerpt("a\x1b[31m\u202eb: X", 11); // X is the 11th character
      assert.equal(shown, "a\uFFFD[31m\uFFFDb: X");
      assert.equal(shown[caret], "X");
    });

    it("quotes only service.yaml files that can be read, never another file a problem names", () => {
      const { services } = brokenPings();
      const spec = path.join(services, "pings", "service.yaml");
      const issue = (file: string, extra: Partial<SpecIssue> = {}): SpecIssue => ({
        file,
        line: 1,
        col: 1,
        field: "",
        message: "m",
        ...extra,
      });
      const secret = path.join(services, "pings", "secret.bigquerytable.json");
      fs.writeFileSync(secret, "TOP-SECRET\n");
      fs.copyFileSync(secret, path.join(services, "pings", "service.yml"));
      const out = formatSpecIssues([
        issue(spec),
        issue(secret),
        issue(path.join(services, "pings", "service.yml")),
        issue(spec, { unreadable: true }),
      ]);
      assert.equal(out.split("\n").length, 4 + 2, out);
      assert.doesNotMatch(out, /TOP-SECRET/);
      // A spec that became a symlink out of the services folder since it was validated is not read.
      const outside = path.join(path.dirname(services), "outside.yaml");
      fs.writeFileSync(outside, "TOP-SECRET\n");
      fs.rmSync(spec);
      fs.symlinkSync(outside, spec);
      assert.equal(readSpecSource(spec), undefined);
      assert.equal(formatSpecIssues([issue(spec)]).split("\n").length, 1);
    });
  });

  describe("msp validate", () => {
    it("piped: plain text, the line quoted and the caret under the column", async () => {
      const { services, line, text } = brokenPings();
      const r = await piped(["validate", "--services", services]);
      assert.equal(r.status, 1, r.stderr);
      assert.ok(!r.stderr.includes(ESC) && !r.stdout.includes(ESC), "no escape codes");
      assert.doesNotMatch(r.stderr, /[✖⚠✔]/u);
      assertQuoted(r.stderr, line, text);
      assert.match(r.stderr, /^1 problem\(s\) found$/m);
    });

    it("on a terminal: colour and a ✖, the same quoted line and caret", () => {
      const { services, line, text } = brokenPings();
      const r = onTerminal(["validate", "--services", services]);
      assert.equal(r.status, 1, r.stdout);
      assert.ok(r.stdout.includes(ESC), "escape codes on a terminal");
      assert.match(r.stdout, /✖ .*1 problem\(s\) found/u);
      assertQuoted(r.stdout, line, text);
      const valid = onTerminal(["validate", "--services", FLEET_SERVICES]);
      assert.equal(valid.status, 0, valid.stdout);
      assert.match(
        stripVTControlCharacters(valid.stdout),
        /^✔ 5 services, 8 environments: all specs are valid$/mu,
      );
    });

    it("on a terminal with NO_COLOR, CI or FORCE_COLOR=0: plain; piped with FORCE_COLOR: colour", async () => {
      const { services, line, text } = brokenPings();
      for (const env of [{ NO_COLOR: "1" }, { CI: "true" }, { FORCE_COLOR: "0" }]) {
        const r = onTerminal(["validate", "--services", services], REPO, env);
        assert.equal(r.status, 1, r.stdout);
        assert.ok(!r.stdout.includes(ESC), `no escape codes with ${JSON.stringify(env)}`);
        assert.doesNotMatch(r.stdout, /[✖⚠✔]/u);
        assertQuoted(r.stdout, line, text);
      }
      const forced = await piped(["validate", "--services", services], REPO, { FORCE_COLOR: "1" });
      assert.ok(forced.stderr.includes(ESC), "FORCE_COLOR colours a pipe");
    });
  });

  describe("msp diff", () => {
    const urn = (type: string, name: string) => `urn:pulumi:s::p::${type}::${name}`;
    const stack = { urn: urn("pulumi:pulumi:Stack", "s"), type: "pulumi:pulumi:Stack" };
    const resource = (type: string, name: string) => ({
      urn: urn(type, name),
      type,
      parent: stack.urn,
      inputs: { name },
      outputs: { name },
    });
    const exportOf = (...resources: object[]) =>
      JSON.stringify({ version: 3, deployment: { resources: [stack, ...resources] } });

    it("a data loss is loud on a terminal (red, ✖) and plain when piped", async () => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), "msp-terminal-diff-"));
      temporary.push(root);
      const before = path.join(root, "before.json");
      const after = path.join(root, "after.json");
      fs.writeFileSync(before, exportOf(resource("gcp:sql/databaseInstance:DatabaseInstance", "db")));
      fs.writeFileSync(after, exportOf(resource("gcp:storage/bucket:Bucket", "b")));
      const plain = await piped(["diff", before, after]);
      assert.equal(plain.status, 1, plain.stderr);
      assert.ok(!plain.stdout.includes(ESC));
      assert.match(plain.stdout, /^DATA LOSS: these stateful resources/m);
      assert.match(plain.stdout, /^msp diff: 1 data loss\(es\)$/m);
      const tty = onTerminal(["diff", before, after]);
      assert.equal(tty.status, 1, tty.stdout);
      const red = "\x1b[31m";
      assert.ok(tty.stdout.includes(`${red}DATA LOSS: these stateful resources`), tty.stdout);
      assert.match(tty.stdout, /✖ .*msp diff: 1 data loss\(es\)/u);
      assert.ok(tty.stdout.includes(`\x1b[32m  + gcp:storage/bucket:Bucket b`), "creates in green");
      assert.equal(stripVTControlCharacters(tty.stdout).replace(/[✖✔⚠] /gu, ""), plain.stdout, "same text");
    });
  });

  describe("policy violations", () => {
    it("grouped by level: mandatory in red with ✖, advisory in yellow with ⚠, counts in the verdict", () => {
      const { policyVerdict, printViolations } =
        require("../../cli/commands/policy-check") as typeof import("../../cli/commands/policy-check");
      const result = {
        violations: [
          {
            policy: "a-policy",
            level: "advisory" as const,
            severity: "low",
            message: "advice",
            urn: "urn:x::y",
          },
          { policy: "m-policy", level: "mandatory" as const, severity: "high", message: "d\nfinding" },
        ],
        notApplicable: [],
      };
      const lines = (style = PLAIN) => {
        const out: string[] = [];
        printViolations(result, (l) => out.push(l), style);
        return out.join("\n");
      };
      const plain = lines();
      assert.ok(!plain.includes(ESC));
      assert.ok(
        plain.indexOf("Policy violations (mandatory, 1)") < plain.indexOf("Policy violations (advisory, 1)"),
      );
      assert.match(plain, /^ {4}\[mandatory\] {2}msp v\S+ {2}m-policy {2}\(stack: high\)$/m);
      const styled = lines(makeStyle(true));
      assert.ok(styled.includes(`\x1b[31m[mandatory]`) && styled.includes("✖ "), "mandatory: red, ✖");
      assert.ok(styled.includes(`\x1b[33m[advisory]`) && styled.includes("⚠ "), "advisory: yellow, ⚠");
      assert.equal(stripVTControlCharacters(styled).replace(/[✖⚠] /gu, ""), plain, "same text");
      assert.equal(policyVerdict("Policies", result), "Policies: 1 mandatory, 1 advisory violation(s)");
      assert.match(
        policyVerdict("Policies", result, makeStyle(true)),
        /^.*✖ .*Policies: .*\x1b\[31m1 mandatory/u,
      );
      const clean = policyVerdict("Policies", { violations: [], notApplicable: [] }, makeStyle(true));
      assert.match(clean, /✔ .*Policies: 0 mandatory, 0 advisory violation\(s\)$/u);
    });
  });
});
