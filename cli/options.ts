import type { Command } from "commander";

/** The global --services folder (default services/). */
export function servicesDir(program: Command): string {
  return (program.opts() as { services: string }).services;
}
