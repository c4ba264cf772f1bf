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

export function msp(args: string[], cwd = REPO): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
