/**
 * Reads the Pulumi project and stack config files the real CLI would read (Pulumi.yaml, then
 * stacks/Pulumi.<stack>.yaml) to get the `msp:*` platform settings offline.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { parsePlatformSettings, type PlatformSettings } from "../components/platform";
import { SpecError } from "../spec/loader";
import { FileReadError, readRegularFile } from "../spec/read-file";

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
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
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

/** The parts of a project or stack file we read, ignoring what has another shape (Pulumi reports that). */
function asProjectFile(v: unknown): ProjectFile {
  if (!isRecord(v)) return {};
  return {
    stackConfigDir: typeof v.stackConfigDir === "string" ? v.stackConfigDir : undefined,
    config: isRecord(v.config) ? v.config : undefined,
  };
}

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
  const project = asProjectFile(readConfigFile(path.join(root, "Pulumi.yaml")));
  const stackFile = path.join(root, project.stackConfigDir ?? ".", `Pulumi.${stack}.yaml`);
  const stackConfig = fs.existsSync(stackFile) ? (asProjectFile(readConfigFile(stackFile)).config ?? {}) : {};
  return parsePlatformSettings({ ...mspValues(project.config, true), ...mspValues(stackConfig, false) });
}
