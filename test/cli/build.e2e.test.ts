/**
 * The CLI is built once, ahead of time (`npm ci` runs the `prepare` script), and never while a command runs:
 * bin/msp.js only loads build/, needs neither esbuild nor tsx, and writes nothing.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildOnce, REPO } from "../helpers/cli";
import { previewFleet } from "../../runner/fleet";
import { loadServices } from "../../servicespec/loader";
import { findStack } from "../../program/stack-targets";

const BUILD = path.join(REPO, "build");
const temporary: string[] = [];
const tmp = (prefix: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temporary.push(dir);
  return dir;
};
after(() => temporary.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const { build } = require("../../bin/build.js") as { build: (outdir?: string) => string[] };
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** A preload that makes loading any build tool fail, in the process and in its worker threads. */
function withoutBuildTools(): NodeJS.ProcessEnv {
  const preload = path.join(tmp("msp-nobuild-"), "no-build-tools.js");
  fs.writeFileSync(
    preload,
    `const Module = require("node:module");
const load = Module._load;
Module._load = function (request, ...rest) {
  if (/^(esbuild|tsx)(\\/|$)/.test(request)) throw new Error("build tool loaded at run time: " + request);
  return load.call(this, request, ...rest);
};
`,
  );
  return { ...process.env, NODE_OPTIONS: `--require ${preload}`, NO_COLOR: "1" };
}

const run = (args: string[], env: NodeJS.ProcessEnv, bin = path.join(REPO, "bin", "msp.js")) =>
  spawnSync(process.execPath, [bin, ...args], { cwd: REPO, encoding: "utf8", env });

const buildTimes = (dir: string) =>
  Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.statSync(path.join(dir, f)).mtimeMs]));

/**
 * A copy of the command with a bundle of its own, built from the sources as they are, and links to the
 * repository's node_modules and project files: what it writes is its own, whatever other test processes (mocha --parallel workers) do to
 * build/ meanwhile (each rebuilds it once, test/helpers/cli.ts).
 */
function installedCopy(withBuild = true): { root: string; bin: string } {
  const root = tmp("msp-installed-");
  // bin/ whole (msp.js), and pulumi-sdk/, where the files it requires as it starts live (fast-start.js and
  // what that loads).
  for (const dir of ["bin", "pulumi-sdk"])
    fs.cpSync(path.join(REPO, dir), path.join(root, dir), { recursive: true });
  // What the command reads beside itself (read only): the project file, the policy pack and the stack files.
  for (const f of ["node_modules", "Pulumi.yaml", "policy", "stacks"])
    fs.symlinkSync(path.join(REPO, f), path.join(root, f));
  if (withBuild) build(path.join(root, "build"));
  return { root, bin: path.join(root, "bin", "msp.js") };
}

describe("build once, not at run time", function () {
  this.timeout(120_000);
  before(() => buildOnce());

  it("npm ci builds the bundle (prepare); esbuild is a devDependency only", () => {
    assert.equal(pkg.scripts.prepare, "node bin/build.js");
    assert.equal(pkg.scripts.build, "node bin/build.js");
    assert.ok(pkg.devDependencies.esbuild, "esbuild in devDependencies");
    assert.equal(pkg.dependencies.esbuild, undefined);
  });

  it("runs without esbuild or tsx, fleet workers included, and writes nothing into build/", () => {
    const copy = installedCopy();
    const before = buildTimes(path.join(copy.root, "build"));
    const env = withoutBuildTools();
    const v = run(["validate"], env, copy.bin);
    assert.equal(v.status, 0, v.stderr);
    // --all spreads stacks over worker threads loaded from build/fleet-worker.js; one service keeps it quick.
    const services = tmp("msp-services-");
    fs.cpSync(path.join(REPO, "services", "releaseregistry"), path.join(services, "releaseregistry"), {
      recursive: true,
    });
    const all = run(["preview", "--all", "--services", services], env, copy.bin);
    assert.equal(all.status, 0, all.stderr);
    assert.match(all.stdout, / 0 failed/);
    assert.doesNotMatch(all.stdout + all.stderr, /build tool loaded/);
    assert.deepEqual(buildTimes(path.join(copy.root, "build")), before);
  });

  it("the tests run a bundle of the sources as they are now", () => {
    const fresh = tmp("msp-build-");
    build(fresh);
    for (const f of ["msp.js", "fleet-worker.js"])
      assert.ok(
        fs.readFileSync(path.join(fresh, f)).equals(fs.readFileSync(path.join(BUILD, f))),
        `build/${f} differs from a build of the current sources`,
      );
  });

  it("says when a source changed after the build, and when there is no build at all", () => {
    const { root, bin } = installedCopy(false);
    const missing = run(["--help"], process.env, bin);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /msp is not built: run `npm ci` \(or `npm run build`\)/);

    build(path.join(root, "build"));
    assert.equal(run(["--help"], process.env, bin).stderr, "", "fresh: no note");
    fs.mkdirSync(path.join(root, "cli"));
    fs.writeFileSync(path.join(root, "cli", "main.ts"), "// edited\n");
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(root, "cli", "main.ts"), later, later);
    const stale = run(["--help"], process.env, bin);
    assert.equal(stale.status, 0);
    assert.match(
      stale.stderr,
      /^msp: note: cli\/main\.ts changed after the last build; run `npm run build`$/m,
    );
  });

  it("fleet workers also run from the TypeScript sources (runner/fleet-worker.js registers tsx)", async () => {
    const target = findStack(loadServices(path.join(REPO, "services")), "releaseregistry-dev")!;
    const r = await previewFleet({ root: REPO }, [target], () => {}, 1);
    assert.equal(r.results.length, 1);
    assert.equal(r.results[0]!.ok, true, r.results[0]!.error);
    assert.ok(r.results[0]!.resources > 50);
  });

  it("fleet workers check with the pack config file of the project they are given, as a single preview does", async () => {
    // A project whose policy/config/test.json makes every policy mandatory: the advisory findings of
    // releaseregistry-dev now fail it (with the repository's own file, the same stack passes above).
    const root = tmp("msp-fleet-config-");
    for (const f of ["Pulumi.yaml", "stacks"]) fs.symlinkSync(path.join(REPO, f), path.join(root, f));
    fs.mkdirSync(path.join(root, "policy", "config"), { recursive: true });
    fs.writeFileSync(path.join(root, "policy", "config", "test.json"), JSON.stringify({ all: "mandatory" }));
    const target = findStack(loadServices(path.join(REPO, "services")), "releaseregistry-dev")!;
    const r = await previewFleet({ root }, [target], () => {}, 1);
    assert.equal(r.results[0]!.ok, false);
    assert.ok((r.results[0]!.mandatory ?? 0) > 0, r.results[0]!.error);
    assert.match(r.results[0]!.error ?? "", /^mandatory policy violations: /);
  });
});
