/**
 * The platform settings (platform/settings.ts) from the `msp:*` Pulumi config, and back:
 *
 * - under `pulumi up`, from the config the Pulumi CLI passes the program (`readPlatformSettings`);
 * - offline, from the files the CLI would read: Pulumi.yaml (`platformSettingsFor`), each problem reported with
 *   its file and line. Platform settings are project-level: a stack file (where it lives: `stackConfigFile`)
 *   may set stack-level keys only (servicespec/pulumi-files.ts `STACK_LEVEL_CONFIG_KEYS`), and anything else in it is
 *   an error at the key (`checkStackFile`), offline and under `pulumi up` alike;
 * - back into config as the CLI passes it, for the offline engine (`platformConfig`).
 *
 * The CLI passes strings as they are and objects and lists as JSON; project-level values may be written
 * `{ value, description }`. The files are read by servicespec/pulumi-files.ts, the one reader of Pulumi files and of
 * `msp:*` values in them (the spec checks read their few settings through it too).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PLATFORM_CONFIG_KEYS, parsePlatformSettings, type PlatformSettings } from "../platform/settings";
import { SpecError } from "../servicespec/loader";
import {
  asProjectFile,
  mspValues,
  MSP_NAMESPACE,
  PulumiFileError,
  readPulumiFile,
  stackFileProblems,
  type ProjectFile,
} from "../servicespec/pulumi-files";

export type { ProjectFile };

/** A config value as the CLI passes it to the program: strings as they are, anything else as JSON. */
export const encodeConfigValue = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));

/** The value of a config string: JSON for objects and lists, the string itself otherwise. */
export const decodeConfigValue = (raw: string): unknown => (/^\s*[[{]/.test(raw) ? JSON.parse(raw) : raw);

/** The settings from the program's Pulumi config (`new pulumi.Config("msp")` under `pulumi up`). */
export function readPlatformSettings(config: { get(key: string): string | undefined }): PlatformSettings {
  const values: Record<string, unknown> = {};
  for (const key of PLATFORM_CONFIG_KEYS) {
    const raw = config.get(key);
    if (raw !== undefined) values[key] = decodeConfigValue(raw);
  }
  return parsePlatformSettings(values);
}

/** The `msp:*` config the Pulumi CLI would pass the program for these settings. */
export function platformConfig(settings: PlatformSettings): Record<string, string> {
  const config: Record<string, string> = {};
  for (const [k, v] of Object.entries(settings))
    if (v !== undefined) config[`${MSP_NAMESPACE}:${k}`] = encodeConfigValue(v);
  return config;
}

/** Runs a reader of a Pulumi file; every problem names the file (`stacks/Pulumi.x.yaml:3:5: ...`) as a `SpecError`. */
function readingConfigFile<T>(file: string, read: (file: string) => T): T {
  try {
    return read(file);
  } catch (e) {
    if (!(e instanceof PulumiFileError)) throw e;
    throw new SpecError([
      { file, line: e.line, col: e.col, field: "", message: e.reason, unreadable: e.unreadable || undefined },
    ]);
  }
}

const readConfigFile = (file: string): unknown => readingConfigFile(file, readPulumiFile);

/** The parts of the Pulumi project file in `root` (Pulumi.yaml) that msp reads. */
export function projectFileIn(root: string): ProjectFile {
  return asProjectFile(readConfigFile(path.join(root, "Pulumi.yaml")));
}

/**
 * Where Pulumi reads the config of `stack` in a project at `root`: `<root>/<stackConfigDir>/Pulumi.<stack>.yaml`
 * (the project file's stackConfigDir, else `root` itself). `msp init` writes stack files by this rule too.
 */
export function stackConfigFile(
  root: string,
  stack: string,
  project: ProjectFile = projectFileIn(root),
): string {
  return path.join(root, project.stackConfigDir ?? ".", `Pulumi.${stack}.yaml`);
}

/** The settings of the Pulumi project in `root`; the stack's file (none for `""`) is checked to set none of them. */
export function platformSettingsFor(stack: string, root: string): PlatformSettings {
  return settingsOf(projectFileIn(root), root, stack);
}

/**
 * `platformSettingsFor` for many stacks of a project whose files do not change meanwhile (a fleet worker):
 * the project file is read once.
 */
export function platformSettingsForStacks(root: string): (stack: string) => PlatformSettings {
  let project: ProjectFile | undefined;
  return (stack) => settingsOf((project ??= projectFileIn(root)), root, stack);
}

function settingsOf(project: ProjectFile, root: string, stack: string): PlatformSettings {
  if (stack) checkStackFile(stackConfigFile(root, stack, project));
  return parsePlatformSettings(mspValues(project.config, true));
}

/**
 * Refuses a stack file that sets anything but stack-level keys (a platform setting, an ESC environment), with
 * every such key at its file:line:col, as a `SpecError`. A missing file is fine (Pulumi creates it).
 */
export function checkStackFile(file: string): void {
  if (!fs.existsSync(file)) return;
  const problems = readingConfigFile(file, stackFileProblems);
  if (problems.length) throw new SpecError(problems.map((p) => ({ file, ...p })));
}
