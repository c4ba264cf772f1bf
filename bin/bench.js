#!/usr/bin/env node
// Benchmark of the offline preview (`npm run bench`). Measures, in one run on this machine:
//   1. the floor: the time to merely load @pulumi/pulumi, @pulumi/gcp and @pulumi/cloudflare in Node;
//   2. a cold single-stack preview of releaseregistry-prod (a new process each time, as a user runs it);
//   3. a fleet of at least 150 stacks generated from the examples, previewed with --all;
// and prints the two ratios the performance bar is about. Each timing is the median of several runs.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const YAML = require("yaml");

const { build } = require("./build");

const ROOT = path.join(__dirname, "..");
const MSP = path.join(ROOT, "bin", "msp.js");
const RUNS = Number(process.env.BENCH_RUNS || 5);
const FLEET_MIN = 150;

function timed(args, opts = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", ...opts });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(" ")} failed (${r.status}):\n${r.stderr}`);
  return { ms, stdout: r.stdout };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function floor() {
  const code = 'require("@pulumi/pulumi"); require("@pulumi/gcp"); require("@pulumi/cloudflare");';
  return median(Array.from({ length: RUNS }, () => timed(["-e", code]).ms));
}

function single() {
  timed([MSP, "preview", "releaseregistry-prod"]); // warms the file cache; not counted
  return median(Array.from({ length: RUNS }, () => timed([MSP, "preview", "releaseregistry-prod"]).ms));
}

/** Copies the example services under new IDs until there are at least FLEET_MIN stacks. */
function generateFleet(dir) {
  const examples = fs.readdirSync(path.join(ROOT, "services")).sort();
  let stacks = 0;
  for (let k = 0; stacks < FLEET_MIN; k++) {
    for (const id of examples) {
      const src = path.join(ROOT, "services", id);
      const spec = YAML.parse(fs.readFileSync(path.join(src, "service.yaml"), "utf8"));
      const newId = `f${k}-${id.slice(0, 10)}`.replace(/-+$/, "");
      spec.service.id = newId;
      delete spec.service.name;
      for (const env of spec.environments) {
        env.projectID = `${newId}-${env.id}-${String(k).padStart(4, "0")}`;
        if (env.domain && env.domain.cloudflare) env.domain.cloudflare.subdomain = newId;
      }
      const out = path.join(dir, newId);
      fs.mkdirSync(out, { recursive: true });
      fs.writeFileSync(path.join(out, "service.yaml"), YAML.stringify(spec));
      for (const f of fs.readdirSync(src))
        if (f.endsWith(".bigquerytable.json")) fs.copyFileSync(path.join(src, f), path.join(out, f));
      stacks += spec.environments.length;
    }
  }
  return stacks;
}

function fleet() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "msp-fleet-"));
  try {
    const stacks = generateFleet(dir);
    const { ms, stdout } = timed([MSP, "preview", "--all", "--services", dir]);
    const m = /peak memory (\d+) MiB\); (\d+) failed/.exec(stdout);
    if (!m) throw new Error(`unexpected fleet output:\n${stdout.slice(-500)}`);
    if (m[2] !== "0") throw new Error(`${m[2]} fleet stacks failed`);
    return { stacks, ms, perStack: ms / stacks, peakMiB: Number(m[1]) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

build(); // measure the sources as they are now, bundled as `npm ci` bundles them
const f = floor();
const s = single();
const fl = fleet();
const r1 = s / f;
const r2 = fl.perStack / s;
console.log(
  `machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; median of ${RUNS} runs`,
);
console.log(`SDK loading floor (pulumi + gcp + cloudflare):  ${f.toFixed(0)} ms`);
console.log(`cold single-stack preview (releaseregistry-prod): ${s.toFixed(0)} ms`);
console.log(
  `fleet: ${fl.stacks} stacks in ${(fl.ms / 1000).toFixed(1)} s = ${fl.perStack.toFixed(0)} ms per stack, peak memory ${fl.peakMiB} MiB`,
);
console.log(`ratio single / floor:         ${r1.toFixed(2)} (bar: <= 2.00) ${r1 <= 2 ? "PASS" : "FAIL"}`);
console.log(`ratio fleet per stack / cold: ${r2.toFixed(3)} (bar: <= 0.100) ${r2 <= 0.1 ? "PASS" : "FAIL"}`);
console.log(
  `fleet peak memory:            ${fl.peakMiB} MiB (bar: <= 2048) ${fl.peakMiB <= 2048 ? "PASS" : "FAIL"}`,
);
process.exitCode = r1 <= 2 && r2 <= 0.1 && fl.peakMiB <= 2048 ? 0 : 1;
