/**
 * Startup benchmark of the `msp` command (not a test): the CPU time of commands that need no Pulumi SDK, and
 * which SDKs each one loads. CPU time (user + system of the whole process), not wall time: the machine is
 * shared. Each figure is the median of several runs.
 *
 *   npx tsx test/cli/bench-startup.ts [repository root, default this one] [runs, default 7]
 *
 * The root argument lets the same script measure another checkout (for example `git archive HEAD` unpacked
 * elsewhere, with node_modules linked), to compare before and after a change.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(process.argv[2] ?? path.join(__dirname, "..", ".."));
const RUNS = Number(process.argv[3] ?? 7);

/** Prints, as the process exits, its CPU time and the @pulumi packages whose modules were evaluated. */
export const LOAD_PROBE =
  "data:text/javascript," +
  encodeURIComponent(
    `import { createRequire } from "node:module";
const cache = createRequire(process.cwd() + "/").cache;
process.on("exit", () => {
  const sdks = new Set();
  for (const k of Object.keys(cache)) { const m = /node_modules[\\\\/](@pulumi(?:verse)?[\\\\/][^\\\\/]+)/.exec(k); if (m) sdks.add(m[1]); }
  const cpu = process.cpuUsage();
  process.stderr.write("\\nMSP_PROBE " + JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, sdks: [...sdks].sort() }) + "\\n");
});`,
  );

export interface ProbeResult {
  status: number | null;
  cpuMs: number;
  sdks: string[];
}

/** Runs `bin/msp.js args` under the probe. */
export function probe(root: string, args: string[], cwd = root): ProbeResult {
  const r = spawnSync(process.execPath, ["--import", LOAD_PROBE, path.join(root, "bin", "msp.js"), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  const line = /MSP_PROBE (.*)/.exec(r.stderr)?.[1];
  if (!line) throw new Error(`no probe output from msp ${args.join(" ")}:\n${r.stderr}`);
  return { status: r.status, ...(JSON.parse(line) as { cpuMs: number; sdks: string[] }) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function main(): void {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "msp-bench-startup-"));
  try {
    const a = path.join(tmp, "a.json");
    const b = path.join(tmp, "b.json");
    probe(ROOT, ["preview", "releaseregistry-prod", "--json", a]);
    probe(ROOT, ["preview", "releaseregistry-dev", "--json", b]);
    const commands: [string, string[]][] = [
      ["msp --version", ["--version"]],
      ["msp validate", ["validate"]],
      ["msp diff a.json b.json", ["diff", a, b]],
      ["msp affected --all", ["affected", "--all"]],
      ["msp fleet", ["fleet"]],
      ["msp preview releaseregistry-prod", ["preview", "releaseregistry-prod"]],
    ];
    console.log(`${ROOT}, ${RUNS} runs each, load average ${os.loadavg()[0]!.toFixed(1)}`);
    for (const [name, args] of commands) {
      probe(ROOT, args); // warms the file cache
      const runs = Array.from({ length: RUNS }, () => probe(ROOT, args));
      const sdks = runs[0]!.sdks.length ? runs[0]!.sdks.join(" ") : "none";
      console.log(
        `${name.padEnd(36)} CPU ${String(Math.round(median(runs.map((r) => r.cpuMs)))).padStart(5)} ms (median)  exit ${runs[0]!.status}  SDKs loaded: ${sdks}`,
      );
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) main();
