/**
 * The policy pack's config file, as `pulumi preview --policy-pack-config` is given it: read by `msp preview`, `msp
 * policy check` and the fleet's workers alike (no commander, no pack: a worker loads only this).
 */
import * as path from "node:path";
import type { Category } from "../servicespec/schema";
import type { PolicyPackConfigFile } from "../policy/evaluate";
import { jsonErrorPlace } from "../servicespec/loader";
import { FileReadError, readRegularFile } from "../servicespec/read-file";
import { UsageError } from "./errors";
import { repoRoot } from "./options";

/** Far beyond any pack config (a few KB). */
const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * A policy pack config file (`--policy-pack-config`), default policy/config/<category>.json. Read as any input
 * is: a regular file under a size cap; a JSON error gives its line and column, never a quote of the file.
 */
export function readPackConfig(category: Category, file?: string, root = repoRoot()): PolicyPackConfigFile {
  const p = file ?? path.join(root, "policy", "config", `${category}.json`);
  let text: string;
  try {
    text = readRegularFile(p, { maxBytes: MAX_CONFIG_BYTES }).toString("utf8");
  } catch (e) {
    if (e instanceof FileReadError) throw new UsageError(`cannot read policy config ${p}: ${e.message}`);
    throw e;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new UsageError(`policy config ${p} is not valid JSON (${jsonErrorPlace(text)})`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new UsageError(`policy config ${p} must be a JSON object: policy name -> level or settings`);
  return raw as PolicyPackConfigFile;
}
