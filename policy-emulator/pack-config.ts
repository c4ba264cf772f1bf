/**
 * The policy pack's config file, as `pulumi preview --policy-pack-config` is given it: read by `msp preview`, `msp
 * policy check` and the fleet's workers alike (no commander, no pack: a worker loads only this).
 */
import * as path from "node:path";
import type { Category } from "../platform/categories";
import type { PolicyPackConfigFile } from "./evaluate";
import { jsonErrorPlace } from "../servicespec/loader";
import { FileReadError, readRegularFile } from "../servicespec/read-file";

/** A pack config that cannot be used: the CLI reports it as a usage error (exit 2), a fleet worker as the stack's. */
export class PackConfigError extends Error {
  override name = "PackConfigError";
}

/** Far beyond any pack config (a few KB). */
const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * A policy pack config file (`--policy-pack-config`), default policy/config/<category>.json. Read as any input
 * is: a regular file under a size cap; a JSON error gives its line and column, never a quote of the file.
 */
export function readPackConfig(
  category: Category,
  file: string | undefined,
  root: string,
): PolicyPackConfigFile {
  const p = file ?? path.join(root, "policy", "config", `${category}.json`);
  let text: string;
  try {
    text = readRegularFile(p, { maxBytes: MAX_CONFIG_BYTES }).toString("utf8");
  } catch (e) {
    if (e instanceof FileReadError) throw new PackConfigError(`cannot read policy config ${p}: ${e.message}`);
    throw e;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new PackConfigError(`policy config ${p} is not valid JSON (${jsonErrorPlace(text)})`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new PackConfigError(`policy config ${p} must be a JSON object: policy name -> level or settings`);
  return raw as PolicyPackConfigFile;
}
