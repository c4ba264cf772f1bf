#!/usr/bin/env node
// Bundles the TypeScript sources of the `msp` command into build/ with esbuild (transpile only, no
// type-check: `npm run check` does that). It runs once, ahead of time: `npm ci` and `npm install` run the
// `prepare` script, `npm run build` runs it by hand, and the test helper runs it once per test run. The
// command itself never builds: bin/msp.js only loads the bundle (and says so when a source is newer).
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
const OUT = path.join(ROOT, "build");
/** Bundle name -> entry point. The fleet worker is a bundle of its own: worker threads load it by path. */
const ENTRIES = { msp: "cli/main.ts", "fleet-worker": "runner/fleet-worker-main.ts" };
/** Packages loaded from node_modules at run time (see buildOptions); everything else is in the bundle. */
const EXTERNAL = ["@pulumi/*", "@pulumiverse/*", "google-protobuf", "@viz-js/viz", "tar", "esbuild", "tsx"];
/** Repository files the bundle was built from (relative paths), for bin/msp.js's staleness note. */
const INPUTS_FILE = "inputs.json";

/** esbuild options; `outdir` lets a test build elsewhere and compare. */
function buildOptions(outdir) {
  return {
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([out, src]) => [out, path.join(ROOT, src)])),
    outdir,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    // The Pulumi SDKs stay packages of their own: a resource provider SDK loads @pulumi/pulumi by name, and the
    // program must share that one runtime. Every other library is bundled: resolving and reading hundreds of
    // small files (zod, yaml, ajv, ...) costs a cold start more than compiling one file.
    external: EXTERNAL,
    // ES module builds first: a UMD build (jsonc-parser's) hides its requires from the bundler.
    mainFields: ["module", "main"],
    logLevel: "error",
    metafile: true,
    write: false,
  };
}

/** Writes a file through a temporary name and a rename, so a concurrent `msp` never reads half a bundle. */
function writeAtomically(file, contents) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, contents);
  fs.renameSync(tmp, file);
}

/** Bundles the CLI into `outdir` (default build/) and returns the files written. */
function build(outdir = OUT) {
  const result = require("esbuild").buildSync(buildOptions(outdir));
  fs.mkdirSync(outdir, { recursive: true });
  const inputs = Object.keys(result.metafile.inputs)
    .filter((p) => !p.startsWith("node_modules/") && !p.includes("/node_modules/"))
    .sort();
  // The list first: a bundle is never newer than the list that describes it.
  writeAtomically(path.join(outdir, INPUTS_FILE), JSON.stringify(inputs, null, 1) + "\n");
  for (const f of result.outputFiles) writeAtomically(f.path, f.contents);
  return result.outputFiles.map((f) => f.path);
}

module.exports = { build, ENTRIES, OUT, INPUTS_FILE };

if (require.main === module) {
  const start = Date.now();
  const files = build();
  console.log(`built ${files.map((f) => path.relative(ROOT, f)).join(", ")} in ${Date.now() - start} ms`);
}
