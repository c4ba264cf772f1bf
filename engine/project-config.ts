/**
 * Reads the Pulumi project and stack config files the real CLI would read (Pulumi.yaml, then
 * stacks/Pulumi.<stack>.yaml) to get the `msp:*` platform settings offline.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { parsePlatformSettings, type PlatformSettings } from "../components/platform";

interface ProjectFile {
  stackConfigDir?: string;
  config?: Record<string, unknown>;
}

function mspValues(
  config: Record<string, unknown> | undefined,
  fromProject: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(config ?? {})) {
    if (!key.startsWith("msp:")) continue;
    // Project-level config may be { value, description }; stack config is the value itself.
    const value =
      fromProject && v && typeof v === "object" && !Array.isArray(v) && "value" in v
        ? (v as { value: unknown }).value
        : v;
    if (value !== undefined) out[key.slice(4)] = value;
  }
  return out;
}

export function platformSettingsFor(stack: string, root: string): PlatformSettings {
  const project = parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as ProjectFile;
  const stackFile = path.join(root, project.stackConfigDir ?? ".", `Pulumi.${stack}.yaml`);
  const stackConfig = fs.existsSync(stackFile)
    ? ((parse(fs.readFileSync(stackFile, "utf8")) as ProjectFile | null)?.config ?? {})
    : {};
  return parsePlatformSettings({ ...mspValues(project.config, true), ...mspValues(stackConfig, false) });
}
