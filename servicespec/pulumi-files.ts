/**
 * The one reader of Pulumi's YAML files (the project file Pulumi.yaml and the stack files
 * `<stackConfigDir>/Pulumi.<stack>.yaml`) and of the `msp:*` values in their config. program/config.ts makes
 * the platform settings of them (refusing a malformed value: a deployment needs them right), servicespec/security-rules.ts
 * the few settings the spec checks read. Each turns a `PulumiFileError` into the error its command reports.
 */
import { isMap, isScalar, LineCounter, type Document } from "yaml";
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
  const { doc } = readPulumiDocument(file);
  try {
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (e) {
    throw new PulumiFileError(file, `cannot expand YAML aliases: ${(e as Error).message.split("\n")[0]!}`);
  }
}

/** A Pulumi file's parsed document, with its line counter (for readers that report positions). */
function readPulumiDocument(file: string): { doc: Document.Parsed; lines: LineCounter } {
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
  return { doc, lines };
}

/**
 * The config keys a stack file may set: only what is stack-level by nature. The program reads every `msp:*`
 * key as a platform setting (program/config.ts), and those are the platform team's, reviewed in Pulumi.yaml:
 * in a stack file they would move a production project to another folder or redirect where the deploy reads
 * the platform's credentials without any change to the plan's resources (issue 23, finding 3). `gcp:project` is
 * the default provider's project, which `msp init` writes (the program's own provider names the project).
 */
export const STACK_LEVEL_CONFIG_KEYS: readonly string[] = ["gcp:project"];

/**
 * The top-level keys of a stack file that Pulumi reads and msp allows: `config`, and the secrets provider's
 * own settings. Not `environment`: Pulumi ESC environments can set any config key (`pulumiConfig`), platform
 * settings included (https://www.pulumi.com/docs/iac/concepts/projects/stack-settings-file/).
 */
const STACK_FILE_KEYS: readonly string[] = ["config", "secretsprovider", "encryptedkey", "encryptionsalt"];

/** A key of a stack file that may not be there, with where it is. */
export interface StackFileProblem {
  readonly line: number;
  readonly col: number;
  /** `config.msp:folders`, `environment`. */
  readonly field: string;
  readonly message: string;
}

/**
 * Every key of a stack file that is not stack-level (see `STACK_LEVEL_CONFIG_KEYS`), at the key's line and
 * column. A key without a namespace is the project's (`folders` in project msp is `msp:folders`), so every
 * config key is compared in full. Throws `PulumiFileError` when the file cannot be read or parsed.
 */
export function stackFileProblems(file: string): StackFileProblem[] {
  const { doc, lines } = readPulumiDocument(file);
  const problems: StackFileProblem[] = [];
  const at = (node: unknown, field: string, message: string) => {
    const offset = (node as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
    problems.push({ ...lines.linePos(offset), field, message });
  };
  if (!isMap(doc.contents)) return problems;
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    if (!STACK_FILE_KEYS.includes(key)) {
      at(
        pair.key,
        key,
        key === "environment"
          ? "Pulumi ESC environments can set any config, platform settings included: not allowed in a stack file (a stack file may set only " +
              `${STACK_LEVEL_CONFIG_KEYS.join(", ")} under config)`
          : `is not a stack setting msp allows (allowed: ${STACK_FILE_KEYS.join(", ")})`,
      );
      continue;
    }
    if (key !== "config" || !isMap(pair.value)) continue;
    for (const entry of pair.value.items) {
      const name = isScalar(entry.key) ? String(entry.key.value) : "";
      if (STACK_LEVEL_CONFIG_KEYS.includes(name)) continue;
      const platform = name.startsWith(`${MSP_NAMESPACE}:`) || !name.includes(":");
      at(
        entry.key,
        `config.${name}`,
        platform
          ? `is a platform setting (msp:${name.replace(/^msp:/, "")}): set it in Pulumi.yaml, where the platform team reviews it; a stack file may set only ${STACK_LEVEL_CONFIG_KEYS.join(", ")}`
          : `is not a stack-level key; a stack file may set only ${STACK_LEVEL_CONFIG_KEYS.join(", ")} (provider settings are the program's)`,
      );
    }
  }
  return problems;
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
