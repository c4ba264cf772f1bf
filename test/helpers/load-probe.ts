/**
 * Runs `bin/msp.js` under a probe that reports, as the process exits, its CPU time and which packages it
 * evaluated: test/cli/startup.test.ts checks what each command loads, test/cli/bench-startup.ts measures it.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";

/** Prints, as the process exits, its CPU time and the packages (under node_modules) whose modules were evaluated. */
const LOAD_PROBE =
  "data:text/javascript," +
  encodeURIComponent(
    `import { createRequire } from "node:module";
const cache = createRequire(process.cwd() + "/").cache;
process.on("exit", () => {
  const packages = new Set();
  for (const k of Object.keys(cache)) { const m = /.*node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)/.exec(k); if (m) packages.add(m[1].replace(/\\\\/g, "/")); }
  const cpu = process.cpuUsage();
  process.stderr.write("\\nMSP_PROBE " + JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, packages: [...packages].sort() }) + "\\n");
});`,
  );

export interface ProbeResult {
  status: number | null;
  cpuMs: number;
  /** Every package evaluated, by name (`@pulumi/gcp`, `yaml`, ...), sorted. */
  packages: string[];
  /** The Pulumi SDKs among them (`@pulumi/*`, `@pulumiverse/*`). */
  sdks: string[];
  stderr: string;
}

/** Runs `<root>/bin/msp.js args` under the probe. */
export function probe(root: string, args: string[], cwd = root): ProbeResult {
  const r = spawnSync(process.execPath, ["--import", LOAD_PROBE, path.join(root, "bin", "msp.js"), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  const line = /MSP_PROBE (.*)/.exec(r.stderr)?.[1];
  if (!line) throw new Error(`no probe output from msp ${args.join(" ")}:\n${r.stderr}`);
  const { cpuMs, packages } = JSON.parse(line) as { cpuMs: number; packages: string[] };
  const sdks = packages.filter((p) => /^@pulumi(verse)?\//.test(p));
  return { status: r.status, cpuMs, packages, sdks, stderr: r.stderr };
}
