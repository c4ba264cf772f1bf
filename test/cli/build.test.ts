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
import { previewFleet } from "../../engine/fleet";

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

const buildTimes = () =>
  Object.fromEntries(fs.readdirSync(BUILD).map((f) => [f, fs.statSync(path.join(BUILD, f)).mtimeMs]));

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
    const before = buildTimes();
    const env = withoutBuildTools();
    const v = run(["validate"], env);
    assert.equal(v.status, 0, v.stderr);
    // --all spreads stacks over worker threads loaded from build/fleet-worker.js; one service keeps it quick.
    const services = tmp("msp-services-");
    fs.cpSync(path.join(REPO, "services", "releaseregistry"), path.join(services, "releaseregistry"), {
      recursive: true,
    });
    const all = run(["preview", "--all", "--services", services], env);
    assert.equal(all.status, 0, all.stderr);
    assert.match(all.stdout, / 0 failed/);
    assert.doesNotMatch(all.stdout + all.stderr, /build tool loaded/);
    assert.deepEqual(buildTimes(), before);
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
    // A copy of the command beside a copy of the bundle, with the repository's node_modules.
    const root = tmp("msp-stale-");
    fs.mkdirSync(path.join(root, "bin"));
    fs.copyFileSync(path.join(REPO, "bin", "msp.js"), path.join(root, "bin", "msp.js"));
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(root, "node_modules"));
    const bin = path.join(root, "bin", "msp.js");
    const missing = run(["--help"], process.env, bin);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /msp is not built: run `npm ci` \(or `npm run build`\)/);

    fs.cpSync(BUILD, path.join(root, "build"), { recursive: true });
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

  it("fleet workers also run from the TypeScript sources (engine/fleet-worker.js registers tsx)", async () => {
    const r = await previewFleet(
      { servicesDir: path.join(REPO, "services"), root: REPO },
      ["releaseregistry-dev"],
      () => {},
      1,
    );
    assert.equal(r.results.length, 1);
    assert.equal(r.results[0]!.ok, true, r.results[0]!.error);
    assert.ok(r.results[0]!.resources > 50);
  });
});
