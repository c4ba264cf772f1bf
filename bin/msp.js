#!/usr/bin/env node
// Entry point of the `msp` command: loads the CLI bundled ahead of time by bin/build.js (`npm ci` runs it
// through the `prepare` script; `npm run build` after editing a source). Nothing is compiled here, so the
// command starts as fast as plain JavaScript and needs neither esbuild nor tsx.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
const BUNDLE = path.join(ROOT, "build", "msp.js");

// Compiled code of the SDKs and the bundle is cached between runs, and the parts of the Pulumi SDK an offline
// preview never uses load only if something uses them (pulumi-sdk/fast-start.js).
require("../pulumi-sdk/fast-start").fastStart(ROOT);

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
