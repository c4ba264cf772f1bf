/**
 * The one reader and writer of the `msp:*` Pulumi config, the platform settings (resolve/platform.ts):
 *
 * - under `pulumi up`, from the config the Pulumi CLI passes the program (`readPlatformSettings`);
 * - offline, from the files the CLI would read: Pulumi.yaml, then stacks/Pulumi.<stack>.yaml
 *   (`platformSettingsFor`), each problem reported with its file and line;
 * - back into config as the CLI passes it, for the offline engine (`platformConfig`).
 *
 * The CLI passes strings as they are and objects and lists as JSON; project-level values may be written
 * `{ value, description }`. Nothing else reads or writes `msp:*`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LineCounter } from "yaml";
import { parseBoundedDocument, TOO_MANY_TOKENS } from "../spec/yaml-document";
import { PLATFORM_CONFIG_KEYS, parsePlatformSettings, type PlatformSettings } from "../resolve/platform";
import { SpecError } from "../spec/loader";
import { FileReadError, readRegularFile } from "../spec/read-file";

const NAMESPACE = "msp";

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
    if (v !== undefined) config[`${NAMESPACE}:${k}`] = encodeConfigValue(v);
  return config;
}

/** Pulumi project and stack files are a few KB. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** Reads a Pulumi YAML file; every problem names the file (`stacks/Pulumi.x.yaml:3:5: ...`) as a `SpecError`. */
function readConfigFile(file: string): unknown {
  const fail = (message: string, line = 1, col = 1): never => {
    throw new SpecError([{ file, line, col, field: "", message }]);
  };
  let text = "";
  try {
    text = readRegularFile(file, { maxBytes: MAX_CONFIG_BYTES }).toString("utf8");
  } catch (e) {
    if (!(e instanceof FileReadError)) throw e;
    throw new SpecError([{ file, line: 1, col: 1, field: "", message: e.message, unreadable: true }]);
  }
  const lines = new LineCounter();
  const bounded = parseBoundedDocument(text, { lineCounter: lines });
  if (bounded.tooManyTokens) {
    const pos = lines.linePos(bounded.tooManyTokens.offset);
    fail(TOO_MANY_TOKENS, pos.line, pos.col);
  }
  const doc = bounded.doc!;
  const err = doc.errors[0];
  if (err) {
    const pos = lines.linePos(err.pos[0]);
    fail(`YAML syntax error: ${err.message.split("\n")[0]}`, pos.line, pos.col);
  }
  try {
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (e) {
    return fail(`cannot expand YAML aliases: ${(e as Error).message}`);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === "object" && !Array.isArray(v);

interface ProjectFile {
  stackConfigDir?: string;
  config?: Record<string, unknown>;
}

/** The parts of a project or stack file we read, ignoring what has another shape (Pulumi reports that). */
function asProjectFile(v: unknown): ProjectFile {
  if (!isRecord(v)) return {};
  return {
    stackConfigDir: typeof v.stackConfigDir === "string" ? v.stackConfigDir : undefined,
    config: isRecord(v.config) ? v.config : undefined,
  };
}

/** The `msp:*` values of a file's config, keys without the namespace. */
function mspValues(
  config: Record<string, unknown> | undefined,
  fromProject: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(config ?? {})) {
    if (!key.startsWith(`${NAMESPACE}:`)) continue;
    // Project-level config may be { value, description }; stack config is the value itself.
    const value = fromProject && isRecord(v) && "value" in v ? v.value : v;
    if (value !== undefined) out[key.slice(NAMESPACE.length + 1)] = value;
  }
  return out;
}

/** The settings of the Pulumi project in `root`, overridden by the stack's file (none for `""`). */
export function platformSettingsFor(stack: string, root: string): PlatformSettings {
  return settingsOf(asProjectFile(readConfigFile(path.join(root, "Pulumi.yaml"))), root, stack);
}

/**
 * `platformSettingsFor` for many stacks of a project whose files do not change meanwhile (a fleet worker):
 * the project file is read once.
 */
export function platformSettingsForStacks(root: string): (stack: string) => PlatformSettings {
  let project: ProjectFile | undefined;
  return (stack) =>
    settingsOf((project ??= asProjectFile(readConfigFile(path.join(root, "Pulumi.yaml")))), root, stack);
}

function settingsOf(project: ProjectFile, root: string, stack: string): PlatformSettings {
  const stackFile = path.join(root, project.stackConfigDir ?? ".", `Pulumi.${stack}.yaml`);
  const stackConfig = fs.existsSync(stackFile) ? (asProjectFile(readConfigFile(stackFile)).config ?? {}) : {};
  return parsePlatformSettings({ ...mspValues(project.config, true), ...mspValues(stackConfig, false) });
}
