/**
 * Runs a command msp printed (`--run`), in the foreground with the caller's terminal and credentials. A tool
 * that is not installed is a usage error (exit 2); a command that fails is a finding (exit 1).
 */
import { spawnSync } from "node:child_process";
import { shellLine } from "../resolve/shell";
import { UsageError } from "./errors";

export function runCommand(argv: readonly string[]): void {
  const r = spawnSync(argv[0]!, argv.slice(1), { stdio: "inherit" });
  if (r.error)
    throw new UsageError(`could not run ${argv[0]}: ${r.error.message} (is the Google Cloud CLI installed?)`);
  if (r.status !== 0) throw new Error(`${shellLine(argv.slice(0, 5))} exited with ${r.status ?? r.signal}`);
}
