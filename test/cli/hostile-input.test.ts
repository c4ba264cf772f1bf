/**
 * Issue 13, through the real `msp` command: hostile and broken input never hangs, never crashes with a stack
 * trace, never writes where it should not, and exits 0, 1 (a finding) or 2 (usage or unreadable input).
 *
 * Runners: a spawned process with a time limit (mspBounded) wherever the input could hang or exhaust the
 * command (FIFOs, /dev/zero, a parent cycle): in the test process a blocked read or an endless loop would block
 * mocha itself, so no timeout could fail the test; a spawned process for the top-level error handlers and
 * --version. In-process (mspInProcess) for the rest, whose subject is the command's messages, exit codes and
 * the files it writes or not; test/cli/in-process.e2e.test.ts checks the two runners agree.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync, spawnSync } from "node:child_process";
import { buildOnce, FLEET_SERVICES, msp, mspInProcess, REPO, type CliResult } from "../helpers/cli";

const EXAMPLES = path.join(REPO, "services");
/** A run that blocks on a FIFO or reads /dev/zero is killed here and fails the test, rather than hanging CI. */
const HANG_LIMIT_MS = 15_000;
const STACK_FRAME = /^\s+at .+\(?.*:\d+:\d+\)?$/m;

/** Temporary folders of this file, removed after its tests. */
const temporary: string[] = [];
const removeTemporary = () => {
  for (const dir of temporary.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
};

/** A temporary working folder with services/ holding copies of the given example services. */
function workspace(...ids: string[]): { root: string; services: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "msp-cli-hostile-"));
  temporary.push(root);
  const services = path.join(root, "services");
  fs.mkdirSync(services);
  for (const id of ids) fs.cpSync(path.join(EXAMPLES, id), path.join(services, id), { recursive: true });
  return { root, services };
}

/** `msp` with a time limit: a hang shows as status null. */
function mspBounded(args: string[], cwd = REPO): CliResult {
  buildOnce();
  const r = spawnSync(process.execPath, [path.join(REPO, "bin", "msp.js"), ...args], {
    cwd,
    encoding: "utf8",
    timeout: HANG_LIMIT_MS,
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The lines msp printed on stderr, without bin/msp.js's note that a source changed after the last build (it
 * appears only when someone edits sources while the tests run, never in CI).
 */
const stderrLines = (r: CliResult) => r.stderr.split("\n").filter((l) => l && !l.startsWith("msp: note:"));

function assertClean(r: CliResult, status: number | number[]): void {
  const allowed = Array.isArray(status) ? status : [status];
  assert.ok(
    allowed.includes(r.status as number),
    `exit ${r.status}, expected ${allowed.join(" or ")}:\n${r.stderr}`,
  );
  assert.doesNotMatch(r.stderr + r.stdout, STACK_FRAME, "no stack trace");
}

/** Several `msp` runs per test: on a loaded 2-core machine each takes seconds (this guards hangs, not speed). */
const SEVERAL_RUNS_MS = 120_000;

describe("msp with hostile input (issue 13)", function () {
  this.timeout(SEVERAL_RUNS_MS);
  after(removeTemporary);
  it("a service.yaml symlinked to /dev/zero: refused at once, no memory blow-up", () => {
    const { services } = workspace("pings");
    fs.rmSync(path.join(services, "pings", "service.yaml"));
    fs.symlinkSync("/dev/zero", path.join(services, "pings", "service.yaml"));
    const r = mspBounded(["fleet", "--services", services]);
    assertClean(r, 2);
    assert.match(r.stderr, /service\.yaml:1:1: is a symlink to \/dev\/zero, outside .*: refused/);
  });

  // Also "msp validate exits 2 when a spec is a FIFO", which ran the same command on the same input.
  it("a FIFO named service.yaml: refused by fleet and validate (exit 2), no hang", () => {
    const { services } = workspace("pings");
    fs.rmSync(path.join(services, "pings", "service.yaml"));
    execFileSync("mkfifo", [path.join(services, "pings", "service.yaml")]);
    const r = mspBounded(["fleet", "--services", services]);
    assertClean(r, 2);
    assert.match(r.stderr, /service\.yaml:1:1: is a FIFO \(named pipe\), not a regular file/);
    const v = mspBounded(["validate", "--services", services]);
    assert.notEqual(v.status, null, "validate does not hang either");
    assertClean(v, 2);
    assert.match(v.stderr, /is a FIFO/);
  });

  it("msp docs ../../x/svc is a usage error and writes nothing", async () => {
    const { root } = workspace("pings");
    const out = path.join(root, "out");
    for (const id of ["../../x/svc", "pings/../pings"]) {
      const r = await mspInProcess(["docs", id, "--out", out], root);
      assertClean(r, 2);
      assert.match(r.stderr, /^error: service ID .* must be 1-20 characters of \[a-z0-9-\]$/m);
    }
    for (const args of [
      ["logs", "../pings", "prod"],
      ["console", "pings", "../prod"],
      ["pg", "connect", "pings", "PROD"],
    ])
      assertClean(await mspInProcess(args, root), 2);
    assert.equal(fs.existsSync(out), false, "nothing written");
  });

  it("an env template typo: validate fails at file:line:col with a suggestion; docs writes no page; preview prints no stack trace", async () => {
    const { root, services } = workspace("releaseregistry");
    const file = path.join(services, "releaseregistry", "service.yaml");
    fs.writeFileSync(
      file,
      fs.readFileSync(file, "utf8").replace("SRC_LOG_LEVEL: info", 'SRC_LOG_LEVEL: "{{ .ProjectId }}"'),
    );
    const v = await mspInProcess(["validate", "--services", services]);
    assertClean(v, 1);
    assert.match(
      v.stderr,
      /releaseregistry\/service\.yaml:\d+:22: environments\[0\]\.env\.SRC_LOG_LEVEL: uses the unknown template variable \.ProjectId \(did you mean \{\{ \.ProjectID \}\}\?\)/,
    );
    const out = path.join(root, "docs");
    assertClean(await mspInProcess(["docs", "releaseregistry", "--services", services, "--out", out]), 1);
    assert.equal(fs.existsSync(out), false, "no page for an invalid spec");
    const p = await mspInProcess(["preview", "releaseregistry-prod", "--services", services]);
    assertClean(p, 1);
    assert.match(p.stderr, /did you mean \{\{ \.ProjectID \}\}/);
  });

  it("an empty services folder, or one that is a file, exits 2 instead of 'all specs are valid'", async () => {
    const { services } = workspace();
    const empty = await mspInProcess(["validate", "--services", services]);
    assertClean(empty, 2);
    assert.match(empty.stderr, /^error: no services in .*services: a service is a folder/m);
    const notFolder = await mspInProcess([
      "fleet",
      "--services",
      path.join(EXAMPLES, "pings", "service.yaml"),
    ]);
    assertClean(notFolder, 2);
    assert.match(notFolder.stderr, /is not a folder/);
  });

  it("services/x/service.yml is an error; a stray file is a warning", async () => {
    const { services } = workspace("pings");
    fs.mkdirSync(path.join(services, "accounts"));
    fs.copyFileSync(
      path.join(EXAMPLES, "accounts", "service.yaml"),
      path.join(services, "accounts", "service.yml"),
    );
    const yml = await mspInProcess(["validate", "--services", services]);
    assertClean(yml, 1);
    assert.match(
      yml.stderr,
      /accounts\/service\.yml:1:1: the spec must be named service\.yaml: rename service\.yml/,
    );
    fs.rmSync(path.join(services, "accounts"), { recursive: true });
    fs.writeFileSync(path.join(services, "README.md"), "# services\n");
    const stray = await mspInProcess(["validate", "--services", services]);
    assertClean(stray, 0);
    assert.match(stray.stderr, /^warning: .*services\/README\.md: ignored: not a service folder/m);
  });

  it("a 900 KB name gives a few hundred bytes of output, not 1.8 MB", async () => {
    const { services } = workspace("pings");
    const file = path.join(services, "pings", "service.yaml");
    fs.writeFileSync(
      file,
      fs.readFileSync(file, "utf8").replace("  name: Pings", `  name: ${"x".repeat(900_000)}`),
    );
    const r = await mspInProcess(["validate", "--services", services]);
    assertClean(r, 1);
    assert.ok(r.stderr.length + r.stdout.length < 2000, `${r.stderr.length} bytes of output`);
  });

  it("an error escaping a command asynchronously prints one line and exits 1; MSP_DEBUG=1 shows the trace", () => {
    buildOnce();
    const script = `require(${JSON.stringify(path.join(REPO, "build", "msp.js"))}).main(["schema", "-o", ${JSON.stringify(
      path.join(os.tmpdir(), `msp-escape-${process.pid}.json`),
    )}]).then(() => Promise.reject(new Error("boom from a stray promise")));`;
    const run = (env: NodeJS.ProcessEnv) =>
      spawnSync(process.execPath, ["-e", script], { encoding: "utf8", env: { ...process.env, ...env } });
    const quiet = run({ MSP_DEBUG: "" });
    assert.equal(quiet.status, 1);
    assert.equal(quiet.stderr, "error: boom from a stray promise\n");
    const debug = run({ MSP_DEBUG: "1" });
    assert.equal(debug.status, 1);
    assert.match(debug.stderr, STACK_FRAME);
  });

  it("msp init-env ../../x/pings stg: exit 2, nothing read or written outside services/", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "msp-init-env-"));
    fs.mkdirSync(path.join(root, "a", "services"), { recursive: true });
    fs.cpSync(path.join(EXAMPLES, "pings"), path.join(root, "x", "pings"), { recursive: true });
    const spec = path.join(root, "x", "pings", "service.yaml");
    const before = fs.readFileSync(spec, "utf8");
    const r = await mspInProcess(
      ["init-env", "../../x/pings", "stg", "--category", "test"],
      path.join(root, "a"),
    );
    assertClean(r, 2);
    assert.match(r.stderr, /^error: service ID "\.\.\/\.\.\/x\/pings" must be 1-20 characters/m);
    assert.equal(fs.readFileSync(spec, "utf8"), before);
    assert.equal(fs.existsSync(path.join(root, "a", "stacks")), false);
    // A service folder symlinked out of services/ is refused too: the spec outside is neither read nor written.
    fs.symlinkSync(path.join(root, "x", "pings"), path.join(root, "a", "services", "pings"));
    const linked = await mspInProcess(
      ["init-env", "pings", "stg", "--category", "test"],
      path.join(root, "a"),
    );
    assertClean(linked, 2);
    assert.match(linked.stderr, /outside services: refused/);
    assert.equal(fs.readFileSync(spec, "utf8"), before);
    assert.equal(fs.existsSync(path.join(root, "a", "stacks")), false);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("msp init-env on a FIFO named service.yaml: exit 2, no hang", () => {
    const { root, services } = workspace("pings");
    fs.rmSync(path.join(services, "pings", "service.yaml"));
    execFileSync("mkfifo", [path.join(services, "pings", "service.yaml")]);
    const r = mspBounded(["init-env", "pings", "stg", "--category", "test"], root);
    assertClean(r, 2);
    assert.match(r.stderr, /is a FIFO \(named pipe\), not a regular file/);
  });

  it("msp preview --json - writes the export to stdout, never a file named -", async () => {
    const { root } = workspace();
    const r = await mspInProcess(["preview", "pings-dev", "--json", "-", "--services", EXAMPLES], root);
    assertClean(r, 0);
    assert.ok(
      (JSON.parse(r.stdout) as { deployment: { resources: unknown[] } }).deployment.resources.length > 0,
    );
    assert.equal(fs.existsSync(path.join(root, "-")), false);
    // The plan and the verdict are still shown, on stderr.
    assert.match(r.stderr, /^Previewing update \(pings-dev\) offline:$/m);
    assert.match(r.stderr, /^Policies: msp pack \(test\): 0 mandatory/m);
    const both = await mspInProcess(
      ["preview", "pings-dev", "--json", "-", "--preview-json", "-", "--services", EXAMPLES],
      root,
    );
    assertClean(both, 2);
    assert.match(both.stderr, /cannot both write to standard output/);
  });

  it("a FIFO or broken Pulumi.yaml: exit 2 naming the file, no hang, no quote of it", async () => {
    const { root, services } = workspace("pings");
    const project = path.join(root, "Pulumi.yaml");
    execFileSync("mkfifo", [project]);
    const fifo = mspBounded(["validate", "--services", services], root);
    assertClean(fifo, 2);
    assert.match(fifo.stderr, /^error: .*Pulumi\.yaml: is a FIFO \(named pipe\), not a regular file$/m);
    fs.rmSync(project);
    fs.writeFileSync(project, 'name: msp\nconfig:\n  msp:allowedZones: [secret-value\n  "unclosed\n');
    const broken = await mspInProcess(["validate", "--services", services], root); // a file: no hang possible
    assertClean(broken, 2);
    assert.match(broken.stderr, /^error: .*Pulumi\.yaml:\d+:\d+: YAML syntax error: /m);
    assert.doesNotMatch(broken.stderr, /secret-value/, "the project file is not quoted");
  });

  it("msp policy check on an export whose resource is its own parent: exit 2", () => {
    const file = path.join(workspace().root, "cycle.json");
    const urn = "urn:pulumi:s::p::pulumi:pulumi:Stack::s";
    fs.writeFileSync(
      file,
      JSON.stringify({
        version: 3,
        deployment: { resources: [{ urn, type: "pulumi:pulumi:Stack", parent: urn }] },
      }),
    );
    const r = mspBounded(["policy", "check", file, "--category", "test"]);
    assertClean(r, 2);
    assert.match(r.stderr, /its own ancestor/);
  });

  it("msp policy check --config naming a FIFO or a non-JSON file: exit 2, no hang, no quote", async () => {
    const { root } = workspace();
    const file = path.join(root, "empty.json");
    fs.writeFileSync(file, JSON.stringify({ version: 3, deployment: { resources: [] } }));
    const fifo = path.join(root, "config.json");
    execFileSync("mkfifo", [fifo]);
    const r = mspBounded(["policy", "check", file, "--category", "test", "--config", fifo]);
    assertClean(r, 2);
    assert.match(r.stderr, /cannot read policy config .*config\.json: is a FIFO/);
    const text = path.join(root, "passwd");
    fs.writeFileSync(text, "root:x:0:0:root:/root:/bin/bash\n");
    const notJson = await mspInProcess(["policy", "check", file, "--category", "test", "--config", text]);
    assertClean(notJson, 2);
    assert.match(notJson.stderr, /is not valid JSON \(line 1, column 1: /);
    assert.doesNotMatch(notJson.stderr, /root:x/);
  });

  it("an internal error inside a command is one line, exit 1, no stack trace", () => {
    const { root } = workspace();
    const notAFolder = path.join(root, "file");
    fs.writeFileSync(notAFolder, "");
    // Spawned: the subject is the top-level handler of a real process.
    const r = msp(["docs", "pings", "--out", path.join(notAFolder, "docs")]);
    assertClean(r, 1);
    assert.equal(stderrLines(r).length, 1, r.stderr);
  });
});

describe("msp arguments and outputs (issue 13)", function () {
  this.timeout(SEVERAL_RUNS_MS);
  after(removeTemporary);
  it("msp --version", () => {
    const r = msp(["--version"]); // spawned: the version Commander prints and exits with
    assert.equal(r.status, 0);
    assert.equal(r.stdout.trim(), (require("../../package.json") as { version: string }).version);
  });

  it("msp schema -o - writes to standard output, never a file named -", async () => {
    const { root } = workspace();
    const r = await mspInProcess(["schema", "-o", "-"], root);
    assert.equal(r.status, 0, r.stderr);
    assert.ok((JSON.parse(r.stdout) as { $schema?: string }).$schema);
    assert.equal(fs.existsSync(path.join(root, "-")), false);
    assertClean(await mspInProcess(["schema", "-o", root]), 2);
    assertClean(await mspInProcess(["schema", "-o", path.join(root, "no", "such", "folder.json")]), 2);
  });

  it("msp fleet --format json", async () => {
    const r = await mspInProcess(["fleet", "--format", "json", "--services", FLEET_SERVICES]);
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as {
      services: number;
      kinds: { job: number };
      byCategory: Record<string, number>;
    };
    assert.equal(doc.services, 5);
    assert.equal(doc.kinds.job, 1);
    assert.deepEqual(doc.byCategory, { test: 4, internal: 2, external: 2 });
    assertClean(await mspInProcess(["fleet", "--format", "yaml"]), 2);
  });

  it("--help documents the exit codes", async () => {
    assert.match(
      (await mspInProcess(["--help"])).stdout,
      /Exit codes: 0 success; 1 a finding .*\n2 wrong arguments or input that cannot be read/,
    );
  });
});
