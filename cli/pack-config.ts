/**
 * The policy pack's config file as the CLI reads it (policy-emulator/pack-config.ts): this repository's by
 * default, and a file that cannot be used is a usage error (exit 2).
 */
import type { Category } from "../platform/categories";
import type { PolicyPackConfigFile } from "../policy-emulator/evaluate";
import { PackConfigError, readPackConfig as readPackConfigFile } from "../policy-emulator/pack-config";
import { UsageError } from "./errors";
import { repoRoot } from "./options";

export function readPackConfig(category: Category, file?: string, root = repoRoot()): PolicyPackConfigFile {
  try {
    return readPackConfigFile(category, file, root);
  } catch (e) {
    if (e instanceof PackConfigError) throw new UsageError(e.message);
    throw e;
  }
}
