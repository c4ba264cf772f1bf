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
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { probe } from "../helpers/load-probe";

const ROOT = path.resolve(process.argv[2] ?? path.join(__dirname, "..", ".."));
const RUNS = Number(process.argv[3] ?? 7);

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
