#!/usr/bin/env node
// Entry point of the `msp` command: loads the CLI bundled ahead of time by bin/build.js (`npm ci` runs it
// through the `prepare` script; `npm run build` after editing a source). Nothing is compiled here, so the
// command starts as fast as plain JavaScript and needs neither esbuild nor tsx.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
const BUNDLE = path.join(ROOT, "build", "msp.js");

// Compile cache: most of a cold start is V8 compiling the SDKs' thousand modules and the bundle, the same code
// every time. Their compiled code is kept in node_modules/.cache/msp-compile (a cache: any entry whose source
// changed is recompiled, and `npm ci` starts it afresh); DISABLE_V8_COMPILE_CACHE=1 turns it off. Node 22+
// has the same cache built in; Node 20 gets it from v8-compile-cache.
const COMPILE_CACHE = path.join(ROOT, "node_modules", ".cache", "msp-compile", process.versions.v8);
if (!process.env.DISABLE_V8_COMPILE_CACHE) {
  const nodeModule = require("node:module");
  if (typeof nodeModule.enableCompileCache === "function") nodeModule.enableCompileCache(COMPILE_CACHE);
  else {
    // The library reads its folder from the environment once, as it loads: set for that moment only, so that
    // no process msp starts inherits it.
    const previous = process.env.V8_COMPILE_CACHE_CACHE_DIR;
    process.env.V8_COMPILE_CACHE_CACHE_DIR = COMPILE_CACHE;
    require("v8-compile-cache");
    if (previous === undefined) delete process.env.V8_COMPILE_CACHE_CACHE_DIR;
    else process.env.V8_COMPILE_CACHE_CACHE_DIR = previous;
  }
}

let built;
try {
  built = fs.statSync(BUNDLE).mtimeMs;
} catch {
  console.error("error: msp is not built: run `npm ci` (or `npm run build`) in the repository first");
  process.exit(1);
}

// A source edited after the build would not be what runs: say so, once, on stderr (a few stat calls).
try {
  const inputs = JSON.parse(fs.readFileSync(path.join(ROOT, "build", "inputs.json"), "utf8"));
  const newer = inputs.find((f) => {
    try {
      return fs.statSync(path.join(ROOT, f)).mtimeMs > built;
    } catch {
      return false; // a deleted source: the next build drops it
    }
  });
  if (newer) console.error(`msp: note: ${newer} changed after the last build; run \`npm run build\``);
} catch {
  // No list (an older build): nothing to compare.
}

// The bundle loads the Pulumi, GCP and Cloudflare SDKs as it starts: seconds on a cold disk. Say so on a
// terminal (cli/progress.ts prints the steps after this one, in the same form).
if (process.stderr.isTTY && process.argv.includes("preview"))
  process.stderr.write(
    `msp: loading the Pulumi, GCP and Cloudflare SDKs (${(performance.now() / 1000).toFixed(1)} s)\n`,
  );

require(BUNDLE).main(process.argv.slice(2));
