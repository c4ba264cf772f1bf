// Bundles the TypeScript sources of the `msp` command into build/ with esbuild (transpile only, no
// type-check: `npm run check` does that). Rebuilds only when a source file is newer than the bundle, so the
// command starts fast and never runs stale code.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
const OUT = path.join(ROOT, "build");
const ENTRIES = { "msp.js": "cli/main.ts", "fleet-worker.js": "engine/fleet-worker-main.ts" };
const SOURCE_DIRS = ["cli", "components", "engine", "policy", "program", "spec", "handbook", "delivery"];

function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name === "node_modules") continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts") || e.name.endsWith(".json"))
        newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  for (const d of SOURCE_DIRS) walk(path.join(ROOT, d));
  return newest;
}

function bundleTime() {
  try {
    return Math.min(...Object.keys(ENTRIES).map((f) => fs.statSync(path.join(OUT, f)).mtimeMs));
  } catch {
    return -1;
  }
}

/** Returns the path of the bundled entry `name`, rebuilding first if any source changed. */
function ensureBuilt(name) {
  if (bundleTime() < newestSource()) {
    require("esbuild").buildSync({
      entryPoints: Object.fromEntries(
        Object.entries(ENTRIES).map(([out, src]) => [out.replace(/\.js$/, ""), path.join(ROOT, src)]),
      ),
      outdir: OUT,
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      packages: "external",
      logLevel: "error",
    });
  }
  return path.join(OUT, name);
}

module.exports = { ensureBuilt };
if (require.main === module) ensureBuilt("msp.js");
