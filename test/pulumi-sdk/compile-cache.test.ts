/**
 * pulumi-sdk/compile-cache.js: compiled code is kept between runs, never changes what a command does, is written
 * only when something was compiled afresh, and follows every change of a module's content.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO } from "../helpers/cli";

const COMPILE_CACHE = path.join(REPO, "pulumi-sdk", "compile-cache.js");

/** Runs node with the cache enabled for `root` and requires `modules`; prints what they export. */
function runWithCache(root: string, modules: string[], env: NodeJS.ProcessEnv = {}) {
  const code = `require(${JSON.stringify(COMPILE_CACHE)}).enableCompileCache(${JSON.stringify(root)});
for (const m of ${JSON.stringify(modules)}) console.log(JSON.stringify(require(m)));
console.log("DISABLE=" + (process.env.DISABLE_V8_COMPILE_CACHE ?? "unset"));`;
  const r = spawnSync(process.execPath, ["-e", code], {
    cwd: REPO,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe("the compile cache (pulumi-sdk/compile-cache.js)", function () {
  this.timeout(60_000);
  let root: string;
  let blob: string;
  let map: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "msp-compile-cache-"));
    const dir = path.join(root, "node_modules", ".cache", "msp-compile", process.versions.v8);
    blob = path.join(dir, "msp.BLOB");
    map = path.join(dir, "msp.MAP");
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("keeps compiled code, and writes it only when something was compiled afresh", () => {
    const out = runWithCache(root, ["yaml"]);
    assert.ok(fs.existsSync(blob) && fs.statSync(blob).size > 0, "compiled code kept");
    const written = fs.statSync(blob).mtimeMs;
    // The library's own step re-serialised every module on every run: the file must stay as it was.
    assert.equal(runWithCache(root, ["yaml"]), out);
    assert.equal(fs.statSync(blob).mtimeMs, written, "nothing new was compiled: nothing written");
    // The library's switch is restored after use: no child process inherits it.
    assert.match(out, /^DISABLE=unset$/m);
  });

  it("compiles a module afresh when its content changes", () => {
    const mod = path.join(root, "answer.js");
    fs.writeFileSync(mod, "#!/usr/bin/env node\nmodule.exports = { answer: 41 };\n");
    assert.match(runWithCache(root, [mod]), /"answer":41/);
    const before = JSON.parse(fs.readFileSync(map, "utf8")) as Record<string, [string, number, number]>;
    fs.writeFileSync(mod, "#!/usr/bin/env node\nmodule.exports = { answer: 42 };\n");
    assert.match(runWithCache(root, [mod]), /"answer":42/);
    const after = JSON.parse(fs.readFileSync(map, "utf8")) as Record<string, [string, number, number]>;
    assert.notEqual(after[mod]![0], before[mod]![0], "the entry follows the content");
  });

  it("forgets the modules whose files are gone when it writes", () => {
    const gone = path.join(root, "gone.js");
    fs.writeFileSync(gone, "module.exports = 1;\n");
    runWithCache(root, [gone]);
    assert.ok(gone in (JSON.parse(fs.readFileSync(map, "utf8")) as object));
    fs.rmSync(gone);
    const kept = path.join(root, "kept.js");
    fs.writeFileSync(kept, "module.exports = 2;\n");
    runWithCache(root, [kept]); // something new compiled: the cache is written
    const entries = JSON.parse(fs.readFileSync(map, "utf8")) as object;
    assert.ok(kept in entries && !(gone in entries));
  });

  it("keeps what another process wrote meanwhile (a fleet's workers, saving while their parent runs)", () => {
    const mine = path.join(root, "mine.js");
    const theirs = path.join(root, "theirs.js");
    fs.writeFileSync(mine, "module.exports = 1;\n");
    fs.writeFileSync(theirs, "module.exports = 2;\n");
    // This process reads the store, compiles `mine`; another one saves `theirs`; this one saves last.
    const other = `require(${JSON.stringify(COMPILE_CACHE)}).enableCompileCache(${JSON.stringify(root)}); require(${JSON.stringify(theirs)});`;
    const code = `require(${JSON.stringify(COMPILE_CACHE)}).enableCompileCache(${JSON.stringify(root)});
require(${JSON.stringify(mine)});
const r = require("node:child_process").spawnSync(process.execPath, ["-e", ${JSON.stringify(other)}]);
if (r.status !== 0) throw new Error(String(r.stderr));`;
    const r = spawnSync(process.execPath, ["-e", code], { cwd: REPO, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const entries = JSON.parse(fs.readFileSync(map, "utf8")) as object;
    assert.ok(mine in entries, "its own entry");
    assert.ok(theirs in entries, "the other process's entry, written before this one saved");
  });

  it("DISABLE_V8_COMPILE_CACHE=1 turns it off", () => {
    runWithCache(root, ["yaml"], { DISABLE_V8_COMPILE_CACHE: "1" });
    assert.ok(!fs.existsSync(blob));
  });

  it("the msp command's output is the same with and without it", () => {
    const preview = (env: NodeJS.ProcessEnv) =>
      spawnSync(process.execPath, [path.join(REPO, "bin", "msp.js"), "preview", "releaseregistry-prod"], {
        cwd: REPO,
        encoding: "utf8",
        env: { ...process.env, ...env },
      });
    const without = preview({ DISABLE_V8_COMPILE_CACHE: "1" });
    const withCache = preview({});
    assert.equal(without.status, 0, without.stderr);
    assert.equal(withCache.stdout, without.stdout);
  });

  it("the parts of v8-compile-cache it builds on are still there (the package is pinned exactly)", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    assert.match(pkg.dependencies["v8-compile-cache"]!, /^\d+\.\d+\.\d+$/, "an exact version");
    // Loaded switched off, as pulumi-sdk/compile-cache.js loads it: on, it would install itself in this process.
    const previous = process.env.DISABLE_V8_COMPILE_CACHE;
    process.env.DISABLE_V8_COMPILE_CACHE = "1";
    const { __TEST__: parts } = require("v8-compile-cache") as {
      __TEST__: Record<string, { prototype: object }>;
    };
    if (previous === undefined) delete process.env.DISABLE_V8_COMPILE_CACHE;
    else process.env.DISABLE_V8_COMPILE_CACHE = previous;
    const store = parts.FileSystemBlobStore!.prototype as Record<string, unknown>;
    const hook = parts.NativeCompileCache!.prototype as Record<string, unknown>;
    for (const m of ["get", "set", "has", "delete", "isDirty", "save"])
      assert.equal(typeof store[m], "function", m);
    // The fields the pruning and merging store reads before saving.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "msp-blob-store-"));
    const Store = parts.FileSystemBlobStore as unknown as new (
      d: string,
      p: string,
    ) => Record<string, unknown>;
    const fresh = new Store(dir, "x");
    assert.deepEqual(fresh._storedMap, {});
    assert.deepEqual(fresh._memoryBlobs, {});
    assert.equal(fresh._directory, dir);
    fs.rmSync(dir, { recursive: true, force: true });
    for (const m of ["setCacheStore", "install", "uninstall", "_moduleCompile"])
      assert.equal(typeof hook[m], "function", m);
  });
});
