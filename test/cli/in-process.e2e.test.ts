/**
 * The in-process runner (`mspInProcess`) gives exactly what the real command gives: the same exit code and
 * byte-identical standard output and error, for one or more runs of every command (findings, usage errors,
 * spec problems, colour through FORCE_COLOR, files written relative to the working directory). Runner: both,
 * side by side. This file is also where each command runs through the bundle end to end (bin/msp.js, build/):
 * the other CLI tests run the command in-process unless the process itself is their subject.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { msp, mspInProcess, REPO, type CliResult } from "../helpers/cli";

const temporary: string[] = [];
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "msp-in-process-"));
  temporary.push(dir);
  return dir;
};

/**
 * The spawned result without bin/msp.js's note that a source changed after the last build: the bundle's
 * loader prints it, not the command, and only while someone edits sources during the test run.
 */
const withoutBuildNote = (r: CliResult): CliResult => ({
  ...r,
  stderr: r.stderr.replace(/^msp: note: .* changed after the last build; run `npm run build`\n/m, ""),
});

/** A folder holding the file tree under `dir`, path by path, with each file's contents. */
function tree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name);
      files[path.relative(dir, file)] = fs.readFileSync(file, "latin1");
    }
  return files;
}

/**
 * Runs `args` both ways, each in a fresh copy of `setup`'s working folder when given (commands that write
 * files), and checks the exit code, stdout and stderr are identical, and so are the files written.
 */
async function assertSame(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; setup?: (dir: string) => void; random?: RegExp } = {},
): Promise<CliResult & { dir: string }> {
  const [one, two] = options.setup ? [tmp(), tmp()] : [REPO, REPO];
  options.setup?.(one);
  options.setup?.(two);
  // A command that prints an absolute path prints its own folder's, and `random` matches what is random by
  // design: the only differences allowed between the two runs.
  const same = (text: string, dir: string) =>
    (options.setup ? text.replaceAll(dir, "<dir>") : text).replace(options.random ?? /$^/, "<random>");
  const relative = (r: CliResult, dir: string) => ({
    ...r,
    stdout: same(r.stdout, dir),
    stderr: same(r.stderr, dir),
  });
  const spawned = relative(withoutBuildNote(msp(args, one, options.env)), one);
  const inProcess = await mspInProcess(args, two, options.env);
  assert.deepEqual(relative(inProcess, two), spawned, `msp ${args.join(" ")}`);
  if (options.setup) {
    const files = (dir: string) =>
      Object.fromEntries(Object.entries(tree(dir)).map(([file, text]) => [file, same(text, dir)]));
    assert.deepEqual(files(two), files(one), "the same files written");
  }
  return { ...inProcess, dir: two };
}

/** What a command run in-process may change in the test process, and must put back. */
const processState = () => ({
  cwd: process.cwd(),
  env: { ...process.env },
  // eslint-disable-next-line @typescript-eslint/unbound-method -- compared by identity, never called detached
  exit: process.exit,
  exitCode: process.exitCode,
  listeners: ["uncaughtException", "unhandledRejection"].map((e) => process.listenerCount(e)),
  stdoutListeners: process.stdout.listenerCount("error"),
  // eslint-disable-next-line @typescript-eslint/unbound-method -- compared by identity, never called detached
  write: process.stdout.write,
});

describe("msp in-process runner: the same result as the real command", function () {
  this.timeout(120_000);
  after(() => temporary.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  let exports: { clean: string; broken: string };
  // The export of a stack with one SQL instance, backups off (policy violations); and of an empty stack.
  before(() => {
    const dir = tmp();
    const stack = "urn:pulumi:s::p::pulumi:pulumi:Stack::s";
    const sql = {
      urn: "urn:pulumi:s::p::gcp:sql/databaseInstance:DatabaseInstance::db",
      type: "gcp:sql/databaseInstance:DatabaseInstance",
      parent: stack,
      inputs: { name: "db", settings: { backupConfiguration: { enabled: false } } },
      outputs: { name: "db" },
    };
    const doc = (...resources: object[]) =>
      JSON.stringify({
        version: 3,
        deployment: { resources: [{ urn: stack, type: "pulumi:pulumi:Stack" }, ...resources] },
      });
    exports = { clean: path.join(dir, "clean.json"), broken: path.join(dir, "broken.json") };
    fs.writeFileSync(exports.clean, doc());
    fs.writeFileSync(exports.broken, doc(sql));
  });

  // One spawn costs about a second of CPU (a policy check or a preview several): each case here is a distinct
  // path through main() (success, a finding, usage errors from Commander and from a command, unreadable input),
  // and every command runs at least once.
  it("validate: valid specs (0), a spec problem (1, relative path), a missing folder (2)", async () => {
    assert.equal((await assertSame(["validate"])).status, 0);
    const bad = await assertSame(["validate", "--services", "test/fixtures/invalid/cpu-too-high"]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^test\/fixtures\/invalid\/cpu-too-high\/demo\/service\.yaml:25:14: /m);
    assert.equal((await assertSame(["validate", "--services", "does/not/exist"])).status, 2);
  });

  it("colour follows the environment given: FORCE_COLOR=1 colours a pipe", async () => {
    const r = await assertSame(["validate", "--services", "test/fixtures/invalid/cpu-too-high"], {
      env: { FORCE_COLOR: "1", NO_COLOR: undefined },
    });
    assert.ok(r.stderr.includes("\x1b["), "escape codes");
  });

  it("usage errors: an unknown command with a suggestion (Commander), a bad argument (the command) (2)", async () => {
    for (const args of [["previw"], ["console", "pings", "../prod"]])
      assert.equal((await assertSame(args)).status, 2, args.join(" "));
  });

  it("--help", async () => {
    assert.match((await assertSame(["--help"])).stdout, /Exit codes: 0 success/);
  });

  let previewed: string;
  it("preview: the plan, the verdict and the same export file, written relative to the working directory", async () => {
    const r = await assertSame(["preview", "pings-dev", "--json", "pings-dev.json"], {
      setup: (dir) => fs.cpSync(path.join(REPO, "services"), path.join(dir, "services"), { recursive: true }),
    });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^Policies: msp pack \(test\): 0 mandatory/m);
    assert.match(r.stdout, /^Wrote the stack export \(state after apply\) to pings-dev\.json$/m);
    previewed = path.join(r.dir, "pings-dev.json");
  });

  it("policy check: violations (1), a compliant export (0)", async () => {
    assert.equal((await assertSame(["policy", "check", exports.broken, "--category", "test"])).status, 1);
    assert.equal((await assertSame(["policy", "check", previewed, "--category", "test"])).status, 0);
  });

  it("diff, affected, fleet, logs, console, pg connect --print, release subscriptions, job, deploy-notice", async () => {
    assert.equal((await assertSame(["diff", exports.broken, exports.clean])).status, 1);
    assert.equal((await assertSame(["affected", "--all", "--json"])).status, 0);
    assert.equal((await assertSame(["fleet"])).status, 0);
    assert.equal((await assertSame(["logs", "pings", "prod"])).status, 0);
    assert.equal((await assertSame(["console", "pings", "prod"])).status, 0);
    assert.equal((await assertSame(["pg", "connect", "--print", "releaseregistry", "prod"])).status, 0);
    assert.equal((await assertSame(["release", "subscriptions"])).status, 0);
    assert.equal((await assertSame(["logs", "--tail", "usage-exporter", "prod"])).status, 0);
    assert.equal((await assertSame(["job", "pause", "usage-exporter", "prod"])).status, 0);
    const notice = [
      "--action",
      "up",
      "--outcome",
      "success",
      "--commit",
      "abc1234",
      "--run-url",
      "https://x/1",
    ];
    assert.equal((await assertSame(["deploy-notice", "pings", "prod", ...notice])).status, 0);
  });

  it("an error escaping the command ends it as in a process (one line, exit 1); the test process is restored", async () => {
    const before = processState();
    const dir = tmp();
    // Rejected while the command runs, handled by nobody: main()'s handler reports it and calls process.exit(),
    // which must end the command, not mocha (test/cli/hostile-input.test.ts does the same in a real process).
    void Promise.reject(new Error("boom from a stray promise"));
    const r = await mspInProcess(["schema", "-o", "schema.json"], dir, { MSP_DEBUG: undefined });
    assert.equal(r.status, 1);
    assert.equal(r.stderr, "error: boom from a stray promise\n");
    assert.ok(fs.existsSync(path.join(dir, "schema.json")), "relative to the working directory given");
    assert.deepEqual(processState(), before);
  });

  it("commands that write relative to the working directory: schema, docs, release create, init", async () => {
    const services = (dir: string) =>
      fs.cpSync(path.join(REPO, "services", "pings"), path.join(dir, "services", "pings"), {
        recursive: true,
      });
    assert.equal((await assertSame(["schema", "-o", "schema.json"], { setup: () => {} })).status, 0);
    assert.equal((await assertSame(["docs", "pings", "--out", "out"], { setup: services })).status, 0);
    assert.equal(
      (
        await assertSame(
          ["release", "create", "pings", "--tag", "1.0.0", "--name", "pings-1", "--out", "rel"],
          { setup: services },
        )
      ).status,
      0,
    );
    // The project ID ends in random hex digits (as MSP's do): the one difference between the two specs.
    const init = await assertSame(["init", "demo", "--category", "test"], {
      setup: (dir) => fs.mkdirSync(path.join(dir, "services")),
      random: /(?<=demo-dev-)[0-9a-f]{4}\b/g,
    });
    assert.equal(init.status, 0);
    assert.ok(fs.existsSync(path.join(init.dir, "services", "demo", "service.yaml")));
  });
});
