/** Runs the real `msp` command as a user would, and captures its output and exit code. */
import { spawnSync } from "node:child_process";
import * as path from "node:path";

export const REPO = path.join(__dirname, "..", "..");
const BIN = path.join(REPO, "bin", "msp.js");

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

let built = false;
/**
 * bin/msp.js runs the bundle in build/, which `npm ci` made from the sources of that moment: rebuild it once
 * per test process, before the first command runs, so tests always exercise the sources as they are now
 * (also when a single test file runs). bin/build.js writes each file atomically.
 */
export function buildOnce(): void {
  if (built) return;
  (require("../../bin/build.js") as { build: () => string[] }).build();
  built = true;
}

export function msp(args: string[], cwd = REPO, env: NodeJS.ProcessEnv = {}): CliResult {
  buildOnce();
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
