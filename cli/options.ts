import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";

/** The repository root (Pulumi.yaml, stacks/, policy/): the nearest folder above this code holding Pulumi.yaml. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "Pulumi.yaml"))) {
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

/** The global --services folder (default services/). */
export function servicesDir(program: Command): string {
  return program.opts<{ services: string }>().services;
}

/** ` --services DIR` when the folder is not the default: for the commands a message tells the user to run next. */
export function servicesArgument(program: Command): string {
  const dir = servicesDir(program);
  if (dir === "services") return "";
  return ` --services ${/^[\w./-]+$/.test(dir) ? dir : `'${dir.replace(/'/g, `'\\''`)}'`}`;
}
