/**
 * The one reader of Pulumi's YAML files (the project file Pulumi.yaml and the stack files
 * `<stackConfigDir>/Pulumi.<stack>.yaml`) and of the `msp:*` values in their config. program/config.ts makes
 * the platform settings of them (refusing a malformed value: a deployment needs them right), spec/security-rules.ts
 * the few settings the spec checks read. Each turns a `PulumiFileError` into the error its command reports.
 */
import { LineCounter } from "yaml";
import { parseBoundedDocument, TOO_MANY_TOKENS } from "./yaml-document";
import { FileReadError, readRegularFile } from "./read-file";

/** The config namespace of the platform settings (`msp:allowedZones`, ...). */
export const MSP_NAMESPACE = "msp";

/** Pulumi project and stack files are a few KB. */
const MAX_PULUMI_FILE_BYTES = 1024 * 1024;

/** A Pulumi file that cannot be read (`unreadable`) or parsed; `line` and `col` where the YAML is wrong. */
export class PulumiFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line = 1,
    readonly col = 1,
    readonly unreadable = false,
  ) {
    super(`${file}:${line}:${col}: ${reason}`);
  }
}

/**
 * Reads a Pulumi YAML file as any input is read (a regular file under a size cap: a FIFO or a device cannot hang
 * or flood the command, and YAML aliases are bounded); every problem is a `PulumiFileError`, never a quote of the
 * file's contents.
 */
export function readPulumiFile(file: string): unknown {
  let text: string;
  try {
    text = readRegularFile(file, { maxBytes: MAX_PULUMI_FILE_BYTES }).toString("utf8");
  } catch (e) {
    if (e instanceof FileReadError) throw new PulumiFileError(file, e.message, 1, 1, true);
    throw e;
  }
  const lines = new LineCounter();
  const bounded = parseBoundedDocument(text, { lineCounter: lines });
  if (bounded.tooManyTokens) {
    const { line, col } = lines.linePos(bounded.tooManyTokens.offset);
    throw new PulumiFileError(file, TOO_MANY_TOKENS, line, col);
  }
  const doc = bounded.doc;
  const error = doc.errors[0];
  if (error) {
    const { line, col } = lines.linePos(error.pos[0]);
    throw new PulumiFileError(file, `YAML syntax error: ${error.message.split("\n")[0]!}`, line, col);
  }
  try {
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (e) {
    throw new PulumiFileError(file, `cannot expand YAML aliases: ${(e as Error).message.split("\n")[0]!}`);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === "object" && !Array.isArray(v);

/** The parts of a project or stack file msp reads. */
export interface ProjectFile {
  stackConfigDir?: string;
  config?: Record<string, unknown>;
}

/** The parts of a project or stack file msp reads, ignoring what has another shape (Pulumi reports that). */
export function asProjectFile(v: unknown): ProjectFile {
  if (!isRecord(v)) return {};
  return {
    stackConfigDir: typeof v.stackConfigDir === "string" ? v.stackConfigDir : undefined,
    config: isRecord(v.config) ? v.config : undefined,
  };
}

/** The `msp:*` values of a file's config, keys without the namespace. */
export function mspValues(
  config: Record<string, unknown> | undefined,
  fromProject: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(config ?? {})) {
    if (!key.startsWith(`${MSP_NAMESPACE}:`)) continue;
    // Project-level config may be { value, description }; stack config is the value itself.
    const value = fromProject && isRecord(v) && "value" in v ? v.value : v;
    if (value !== undefined) out[key.slice(MSP_NAMESPACE.length + 1)] = value;
  }
  return out;
}
