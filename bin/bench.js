#!/usr/bin/env node
// Benchmark of the offline preview (`npm run bench`). Measures, in one run on this machine:
//   1. the floor: the time to merely load @pulumi/pulumi, @pulumi/gcp and @pulumi/cloudflare in Node (and the
//      same as bin/msp.js loads them, through its compile cache and with the SDK's unused parts deferred, for a
//      like-for-like view of msp's own cost);
//   2. a cold single-stack preview of releaseregistry-prod (a new process each time, as a user runs it);
//   3. a fleet of at least 180 stacks generated from the examples, previewed with --all;
// and prints the ratios and the memory the performance bars are about (issue 15): single <= 1.5 x floor, fleet
// per stack <= 0.05 x cold single, fleet peak memory < 1 GiB. Each figure is the median of several runs, and the
// four are measured in turn in every round, so that a change of load on this shared machine weighs on all of
// them alike; the load average is printed with them.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const { build } = require("./build");
const { generateFleet } = require("./fleet-generator");

const ROOT = path.join(__dirname, "..");
const MSP = path.join(ROOT, "bin", "msp.js");
const RUNS = Number(process.env.BENCH_RUNS || 5);
const FLEET_MIN = 180;
const BARS = { singleOverFloor: 1.5, fleetOverCold: 0.05, peakMiB: 1024 };

/** Prints the process's CPU time (all threads) on exit, so figures can be read independently of machine load. */
const CPU_PROBE = `data:text/javascript,process.on("exit",()=>process.stderr.write("\\nMSP_BENCH_CPU "+JSON.stringify(process.cpuUsage())+"\\n"))`;

/** Runs `node <args>`: wall time, CPU time of the whole process (ms) and stdout. */
function timed(args, opts = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["--import", CPU_PROBE, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    ...opts,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(" ")} failed (${r.status}):\n${r.stderr}`);
  const cpu = JSON.parse(/MSP_BENCH_CPU (.*)/.exec(r.stderr)?.[1] ?? '{"user":0,"system":0}');
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, stdout: r.stdout };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median wall time and median CPU time of `RUNS` runs. */
function medians(runs) {
  return { ms: median(runs.map((r) => r.ms)), cpuMs: median(runs.map((r) => r.cpuMs)) };
}

const SDKS = 'require("@pulumi/pulumi"); require("@pulumi/gcp"); require("@pulumi/cloudflare");';
/**
 * The floor as plain Node loads the SDKs, and as bin/msp.js loads them: through its compile cache (pulumi-sdk/compile-
 * cache.js) and with the parts of the SDK an offline preview never uses deferred (pulumi-sdk/defer-sdk-modules.js).
 */
const floorRun = () => timed(["-e", SDKS]);
const mspFloorRun = (dir) =>
  timed([
    "-e",
    `require(${JSON.stringify(path.join(__dirname, "..", "pulumi-sdk", "compile-cache.js"))}).enableCompileCache(${JSON.stringify(dir)}); ` +
      `require(${JSON.stringify(path.join(__dirname, "..", "pulumi-sdk", "defer-sdk-modules.js"))}).deferUnusedSdkModules(); ${SDKS}`,
  ]);
const singleRun = () => timed([MSP, "preview", "releaseregistry-prod"]);

/** One fleet preview of the stacks in `dir`: wall and CPU time, workers, peak memory. */
function fleetRun(dir) {
  const { ms, cpuMs, stdout } = timed([MSP, "preview", "--all", "--services", dir]);
  const m = /peak memory (\d+) MiB\); (\d+) failed/.exec(stdout);
  if (!m) throw new Error(`unexpected fleet output:\n${stdout.slice(-500)}`);
  if (m[2] !== "0") throw new Error(`${m[2]} fleet stacks failed`);
  const workers = Number(/ on (\d+) workers/.exec(stdout)?.[1] ?? 1);
  return { ms, cpuMs, workers, peakMiB: Number(m[1]) };
}

/**
 * RUNS rounds of: the floor, the floor as msp loads the SDKs, the single preview and the fleet, in turn. One run of each first
 * warms the file cache and the compile caches; it is not counted.
 */
function measure() {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "msp-bench-cache-"));
  const fleetDir = fs.mkdtempSync(path.join(os.tmpdir(), "msp-fleet-"));
  try {
    const stacks = generateFleet(fleetDir, FLEET_MIN);
    const rounds = () => ({
      floor: floorRun(),
      mspFloor: mspFloorRun(cacheDir),
      single: singleRun(),
      fleet: fleetRun(fleetDir),
    });
    rounds();
    const runs = Array.from({ length: RUNS }, rounds);
    const of = (k) => runs.map((r) => r[k]);
    const fleet = of("fleet");
    const { ms, cpuMs } = medians(fleet);
    return {
      f: medians(of("floor")),
      mf: medians(of("mspFloor")),
      s: medians(of("single")),
      fl: {
        stacks,
        ms,
        perStack: ms / stacks,
        // CPU per stack spread over the workers: what the wall time per stack would be on an idle machine.
        cpuPerStackPerWorker: cpuMs / stacks / fleet[0].workers,
        workers: fleet[0].workers,
        peakMiB: median(fleet.map((r) => r.peakMiB)),
      },
    };
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
    fs.rmSync(fleetDir, { recursive: true, force: true });
  }
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
build(); // measure the sources as they are now, bundled as `npm ci` bundles them
const loadBefore = load();
const { f, mf, s, fl } = measure();
const r1 = s.ms / f.ms;
const r2 = fl.perStack / s.ms;
console.log(
  `machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; median of ${RUNS} rounds; load average ${loadBefore} before, ${load()} after`,
);
console.log(
  `SDK loading floor (pulumi + gcp + cloudflare):  ${f.ms.toFixed(0)} ms (CPU ${f.cpuMs.toFixed(0)} ms)`,
);
console.log(
  `the SDKs as msp loads them (compile cache, unused parts deferred): ${mf.ms.toFixed(0)} ms (CPU ${mf.cpuMs.toFixed(0)} ms)`,
);
console.log(
  `cold single-stack preview (releaseregistry-prod): ${s.ms.toFixed(0)} ms (CPU ${s.cpuMs.toFixed(0)} ms)`,
);
console.log(
  `fleet: ${fl.stacks} stacks in ${(fl.ms / 1000).toFixed(1)} s = ${fl.perStack.toFixed(0)} ms per stack (CPU ${fl.cpuPerStackPerWorker.toFixed(0)} ms per stack per worker, ${fl.workers} workers), peak memory ${fl.peakMiB} MiB`,
);
console.log(
  `CPU-time ratios (independent of load): single / floor ${(s.cpuMs / f.cpuMs).toFixed(2)}, fleet per stack per worker / single ${(fl.cpuPerStackPerWorker / s.cpuMs).toFixed(3)}`,
);
const pass = (ok) => (ok ? "PASS" : "FAIL");
const ok1 = r1 <= BARS.singleOverFloor;
const ok2 = r2 <= BARS.fleetOverCold;
const ok3 = fl.peakMiB < BARS.peakMiB;
console.log(
  `ratio single / floor:         ${r1.toFixed(2)} (bar: <= ${BARS.singleOverFloor.toFixed(2)}) ${pass(ok1)}`,
);
console.log(
  `ratio single / msp's floor:   ${(s.ms / mf.ms).toFixed(2)} (msp's own cost on top of loading the SDKs as it does)`,
);
console.log(
  `ratio fleet per stack / cold: ${r2.toFixed(3)} (bar: <= ${BARS.fleetOverCold.toFixed(3)}) ${pass(ok2)}`,
);
console.log(`fleet peak memory:            ${fl.peakMiB} MiB (bar: < ${BARS.peakMiB}) ${pass(ok3)}`);
process.exitCode = ok1 && ok2 && ok3 ? 0 : 1;
