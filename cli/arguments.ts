/**
 * Validators for command arguments that name something: services, environments, stacks, output files. Every
 * command checks its arguments with these before using them, so that a value such as `../../other/svc` never
 * becomes a path and `-` means standard output rather than a file named "-". Each returns the value or throws a
 * one-line `UsageError` (exit code 2). The patterns are the spec's own. (Git refs: delivery/git.ts resolves them
 * with `rev-parse --verify --end-of-options`.)
 */
import * as fs from "node:fs";
import { UsageError } from "./errors";
import { ENVIRONMENT_ID } from "../platform/naming";
import { quote } from "../servicespec/values";

/** `service.id` in the spec: lowercase letters, digits and '-', at most 20 characters. */
export const SERVICE_ID = /^[a-z0-9-]{1,20}$/;
/** Environment IDs have no length limit in the spec, but a project ID (at most 30 characters) contains one. */
const MAX_ENVIRONMENT_ID = 30;

export function serviceIdArgument(value: string): string {
  if (!SERVICE_ID.test(value))
    throw new UsageError(`service ID ${quote(value)} must be 1-20 characters of [a-z0-9-]`);
  return value;
}

export function environmentIdArgument(value: string): string {
  if (!ENVIRONMENT_ID.test(value) || value.length > MAX_ENVIRONMENT_ID)
    throw new UsageError(
      `environment ID ${quote(value)} must be lowercase letters, digits and '-' (not at either end), e.g. dev or prod-eu`,
    );
  return value;
}

/** A stack name `<service>-<env>`; returns it unchanged (which service it is, the spec decides). */
export function stackNameArgument(value: string): string {
  // Both IDs may hold '-' (`orders-api-prod-eu`): the name is valid when some '-' splits it into the two.
  const splits = [...value.matchAll(/-/g)].map((m) => m.index);
  if (
    value.length > 20 + 1 + MAX_ENVIRONMENT_ID ||
    !splits.some(
      (dash) => SERVICE_ID.test(value.slice(0, dash)) && ENVIRONMENT_ID.test(value.slice(dash + 1)),
    )
  )
    throw new UsageError(`stack name ${quote(value)} must be <service>-<env>, e.g. releaseregistry-prod`);
  return value;
}

/** Where an output option writes: a file, or standard output for `-` (the usual convention). */
export type OutputTarget = { stdout: true } | { file: string };

/**
 * An output file option: `-` means standard output; otherwise a file path that is not empty and not an existing
 * folder (writing "into" a folder would surprise).
 */
export function outputArgument(value: string, option: string): OutputTarget {
  if (value === "-") return { stdout: true };
  if (!value) throw new UsageError(`${option} needs a file name (or - for standard output)`);
  let isFolder = false;
  try {
    isFolder = fs.statSync(value).isDirectory();
  } catch {
    // Does not exist yet: it will be created.
  }
  if (isFolder) throw new UsageError(`${option} ${quote(value)} is a folder: give a file name`);
  return { file: value };
}

/** Writes `text` to an output target; returns a description for a confirmation line, or undefined for stdout. */
export function writeOutput(target: OutputTarget, text: string): string | undefined {
  if ("stdout" in target) {
    process.stdout.write(text);
    return undefined;
  }
  try {
    fs.writeFileSync(target.file, text);
  } catch (e) {
    throw new UsageError(
      `cannot write ${target.file} (${(e as NodeJS.ErrnoException).code ?? "unknown error"})`,
    );
  }
  return target.file;
}
