/**
 * Benchmark, not a test: how long validation takes on large specs of many shapes. The loader must stay linear:
 * a 1 MiB spec of any shape validates in under 2 s. Figures go in the report, never in a timed test.
 *
 *   npx tsx test/robustness/bench-loader.ts [N ...]            in-process, each shape at each size N
 *   npx tsx test/robustness/bench-loader.ts --cli [N ...]      also `msp validate` end to end (a cold process)
 *   SHAPE=unknown ROOT=/tmp/old-checkout npx tsx test/robustness/bench-loader.ts 10000
 *                                                              one shape, with another checkout's loader
 *
 * The default sizes are the issue's 10k / 20k / 40k, the largest N that stays under 1 MiB, and the largest N
 * within the loader's token cap padded with comments to 1 MiB (the costliest spec of that shape it parses whole).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { LineCounter } from "yaml";
import { parseBoundedDocument } from "../../servicespec/yaml-document";

const REPO = path.join(__dirname, "..", "..");
const ROOT = process.env.ROOT ? path.resolve(process.env.ROOT) : REPO;
const read = (svc: string) => fs.readFileSync(path.join(REPO, "services", svc, "service.yaml"), "utf8");
const PINGS = read("pings");
const RELEASEREGISTRY = read("releaseregistry");
const lines = (n: number, line: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => line(i)).join("");

/** Spec shapes, each a function of a size N that returns the YAML text of a `pings` or `releaseregistry` spec. */
export const SHAPES: Record<string, (n: number) => string> = {
  "unknown keys under service": (n) =>
    PINGS.replace("service:\n", `service:\n${lines(n, (i) => `  unknown${i}: 1\n`)}`),
  "unknown keys at top level": (n) => PINGS + lines(n, (i) => `zz${i}: 1\n`),
  "env with template typos": (n) =>
    RELEASEREGISTRY.replace(
      "    env:\n",
      `    env:\n${lines(n, (i) => `      VAR_${i}: "{{ .ProjectId }}"\n`)}`,
    ),
  "invalid list items": (n) => PINGS.replace("  owners:\n", `  owners:\n${lines(n, () => `    - ""\n`)}`),
  "many environments": (n) =>
    PINGS.replace(
      "environments:\n",
      `environments:\n${lines(
        n,
        (i) =>
          `  - { id: e${i}, projectID: pings-e${i}-ab12, category: test, deploy: { type: rollout }, instances: { resources: { cpu: 1, memory: 1Gi } } }\n`,
      )}`,
    ),
  "secret volumes on one path": (n) =>
    RELEASEREGISTRY.replace(
      "    env:\n",
      `    secretVolumes:\n${lines(n, (i) => `      v${i}: { secret: S, mountPath: /etc/x/f }\n`)}    env:\n`,
    ),
  "deep flow nesting": (n) => `service:\n  x: ${"[".repeat(n)}${"]".repeat(n)}\n`,
  "deep block nesting": (n) =>
    `service:\n${lines(Math.min(n, 500), (i) => `${" ".repeat(2 * i + 2)}k${i}:\n`)}`,
  "long name": (n) => PINGS.replace(/ {2}name: .*\n/, `  name: ${"x".repeat(n * 20)}\n`),
  "long unknown key": (n) => PINGS.replace("service:\n", `service:\n  ${"k".repeat(n * 20)}: 1\n`),
  "comments and blank lines": (n) =>
    PINGS.replace("service:\n", `service:\n${lines(n, (i) => `  # comment ${i}\n\n`)}`),
  "anchors and aliases": (n) =>
    `${lines(Math.min(n, 90), (i) => `a${i}: &x${i} [1]\n`)}${lines(n, (i) => `b${i}: *x${i % 90}\n`)}`,
  "one long flow mapping": (n) => `service: { ${lines(n, (i) => `k${i}: ${i}, `)}}\n`,
};

/** The largest N for which a shape stays under 1 MiB (binary search on the generated size). */
function largestUnderOneMiB(make: (n: number) => string): number {
  let lo = 1;
  let hi = 200_000;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (Buffer.byteLength(make(mid)) < 1024 * 1024) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The largest N for which a shape stays within the loader's token cap (servicespec/yaml-document.ts): past it the
 * lexer stops the document early, so the costliest documents the loader parses whole are these, padded with
 * comment lines to just under 1 MiB (comments are not counted, only parsed).
 */
function largestUnderTokenCap(make: (n: number) => string): number {
  const fits = (n: number) =>
    !parseBoundedDocument(make(n), { lineCounter: new LineCounter() }).tooManyTokens &&
    Buffer.byteLength(make(n)) < 1024 * 1024;
  let lo = 1;
  let hi = 200_000;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** `text` followed by comment lines up to just under 1 MiB. */
function paddedToOneMiB(text: string): string {
  const room = 1024 * 1024 - 1 - Buffer.byteLength(text);
  const line = "# padding: comments are parsed but not counted against the token cap\n";
  return room > 0 ? text + line.repeat(Math.floor(room / line.length)) : text;
}

interface Loader {
  parseServiceSpec: (file: string, bytes: Uint8Array) => unknown;
  SpecError: new (...args: never[]) => Error & { issues: unknown[] };
}

/** Wall time and CPU time (user + system): on a shared machine the CPU time is the steadier figure. */
function timeInProcess(loader: Loader, text: string): { ms: number; cpuMs: number; issues: number } {
  const file = path.join(ROOT, "services", "pings", "service.yaml");
  const t = performance.now();
  const cpu = process.cpuUsage();
  let issues = 0;
  try {
    loader.parseServiceSpec(file, Buffer.from(text));
  } catch (e) {
    if (!(e instanceof loader.SpecError)) throw e;
    issues = e.issues.length;
  }
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000, issues };
}

/**
 * `msp validate` on a services folder holding only this spec, in a fresh process: what a user waits for (wall
 * time), and the CPU time of that process (from /proc: the children's times of this process grow by it).
 */
function timeCli(text: string): { ms: number; cpuMs: number; status: number | null; outputBytes: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "msp-bench-"));
  fs.mkdirSync(path.join(dir, "pings"));
  fs.writeFileSync(path.join(dir, "pings", "service.yaml"), text);
  const before = childrenCpuMs();
  const t = performance.now();
  const r = spawnSync(process.execPath, [path.join(ROOT, "bin", "msp.js"), "validate", "--services", dir], {
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  const ms = performance.now() - t;
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    ms,
    cpuMs: childrenCpuMs() - before,
    status: r.status,
    outputBytes: Buffer.byteLength(r.stdout) + Buffer.byteLength(r.stderr),
  };
}

/** CPU time of this process's waited-for children (cutime + cstime of /proc/self/stat), in ms. */
function childrenCpuMs(): number {
  const fields = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
  // After "pid (comm) ": state is field 3, so cutime (16) and cstime (17) are at 13 and 14 here.
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const cli = args.includes("--cli");
  const sizes = args.filter((a) => a !== "--cli").map(Number);
  const only = process.env.SHAPE;
  const loader = require(path.join(ROOT, "servicespec", "loader")) as Loader;
  console.log(`loader of ${ROOT}; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`);
  for (const [name, make] of Object.entries(SHAPES)) {
    if (only && !name.includes(only)) continue;
    const cases: [number, string][] = sizes.length
      ? sizes.map((n) => [n, make(n)])
      : [10_000, 20_000, 40_000, largestUnderOneMiB(make)].map((n) => [n, make(n)]);
    if (!sizes.length) {
      const n = largestUnderTokenCap(make);
      cases.push([n, paddedToOneMiB(make(n))]);
    }
    for (const [n, text] of cases) {
      const kib = Math.round(Buffer.byteLength(text) / 1024);
      const r = timeInProcess(loader, text);
      const s = (ms: number) => (ms / 1000).toFixed(2).padStart(5);
      let line = `${name.padEnd(28)} n=${String(n).padStart(6)} ${String(kib).padStart(5)} KiB  in-process ${s(r.ms)} s (CPU ${s(r.cpuMs)} s, ${r.issues} issues)`;
      if (cli) {
        const c = timeCli(text);
        line += `  msp validate ${s(c.ms)} s (CPU ${s(c.cpuMs)} s), exit ${c.status}, ${c.outputBytes} bytes of output`;
      }
      console.log(line);
    }
  }
}
