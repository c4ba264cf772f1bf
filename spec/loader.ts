/**
 * Reads `services/<id>/service.yaml`, validates it and reports every problem of the file at once as
 * `path/service.yaml:LINE:COL: field.path: message`, pointing at the offending YAML node. The loader never
 * throws anything but `SpecError`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { z } from "zod";
import { closest, distance } from "fastest-levenshtein";
import { specSchema, type ServiceSpec } from "./schema";
import { crossFieldIssues } from "./rules";
import { securityIssues, policySettingsNear } from "./security-rules";
import { bigQueryTableSchema } from "./bigquery";

export const SPEC_FILE = "service.yaml";
/** More aliases than any hand-written spec needs; stops "billion laughs" documents. */
const MAX_ALIAS_COUNT = 100;
const MAX_FILE_BYTES = 1024 * 1024;

export interface SpecIssue {
  file: string;
  line: number;
  col: number;
  /** Dotted field path, e.g. environments[0].instances.resources.cpu; empty for file-level problems. */
  field: string;
  message: string;
}

export function formatIssue(i: SpecIssue): string {
  return `${i.file}:${i.line}:${i.col}: ${i.field ? `${i.field}: ` : ""}${i.message}`;
}

export class SpecError extends Error {
  constructor(readonly issues: SpecIssue[]) {
    super(issues.map(formatIssue).join("\n"));
    this.name = "SpecError";
  }
}

export interface LoadedService {
  spec: ServiceSpec;
  /** The spec file as given (relative paths stay relative, for messages and links). */
  file: string;
  dir: string;
  /** BigQuery table schemas by table name, re-serialised with two-space indentation. */
  tableSchemas: Record<string, string>;
}

type PathSegment = string | number;

export function formatPath(p: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of p) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

/** Loads and validates one spec file. Throws `SpecError` listing every problem found. */
export function loadServiceFile(file: string): LoadedService {
  const issues: SpecIssue[] = [];
  const fileIssue = (message: string, line = 1, col = 1) =>
    issues.push({ file, line, col, field: "", message });

  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    fileIssue(code === "ENOENT" ? "file not found" : `cannot read file (${code ?? String(e)})`);
    throw new SpecError(issues);
  }
  return parseServiceSpec(file, bytes);
}

/** Validates the bytes of a spec file; `file` names it in messages and locates its BigQuery schemas. */
export function parseServiceSpec(file: string, bytes: Uint8Array): LoadedService {
  const issues: SpecIssue[] = [];
  const fileIssue = (message: string, line = 1, col = 1) =>
    issues.push({ file, line, col, field: "", message });
  if (bytes.length > MAX_FILE_BYTES) fileIssue(`file is ${bytes.length} bytes; a spec must be under 1 MiB`);
  else if (bytes.length === 0)
    fileIssue("file is empty: a spec is a mapping with service, build and environments (see `msp init`)");
  else if (bytes.includes(0)) fileIssue("file is binary, not YAML text");
  let text = "";
  if (!issues.length) {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      fileIssue("file is not valid UTF-8 text");
    }
  }
  if (issues.length) throw new SpecError(issues);

  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number) => lines.linePos(offset);
  for (const err of doc.errors) {
    const pos = at(err.pos[0]);
    fileIssue(`YAML syntax error: ${err.message.split("\n")[0]}`, pos.line, pos.col);
  }
  if (issues.length) throw new SpecError(issues);
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    fileIssue("file is empty: a spec is a mapping with service, build and environments (see `msp init`)");
    throw new SpecError(issues);
  }
  if (!isMap(doc.contents)) {
    const pos = at(doc.contents.range?.[0] ?? 0);
    fileIssue("must be a mapping with service, build and environments", pos.line, pos.col);
    throw new SpecError(issues);
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    fileIssue(`cannot expand YAML aliases: ${(e as Error).message}`);
    throw new SpecError(issues);
  }

  const locate = (p: readonly PathSegment[], key = false) => {
    const node = nodePosition(doc, p, key);
    return at(node);
  };
  const push = (p: readonly PathSegment[], message: string, key = false) => {
    const pos = locate(p, key);
    issues.push({ file, line: pos.line, col: pos.col, field: formatPath(p), message });
  };

  const parsed = specSchema.safeParse(data, { reportInput: true, error: friendlyMessage });
  if (!parsed.success) {
    // A misspelt key also makes the intended key "missing": report only the misspelling.
    const suggested = new Set<string>();
    for (const issue of parsed.error.issues) {
      if (issue.code !== "unrecognized_keys") continue;
      const p = issue.path.filter((s): s is PathSegment => typeof s !== "symbol");
      const known = knownKeys(p);
      for (const k of issue.keys) {
        const s = suggestionFor(k, known);
        if (s) suggested.add(formatPath([...p, s]));
        push(
          [...p, k],
          s ? `unknown field "${k}" (did you mean "${s}"?)` : unknownKeyMessage(k, known),
          true,
        );
      }
    }
    for (const issue of parsed.error.issues) {
      const p = issue.path.filter((s): s is PathSegment => typeof s !== "symbol");
      if (issue.code === "unrecognized_keys" || (issue.input === undefined && suggested.has(formatPath(p)))) {
        continue;
      } else {
        const missing =
          issue.input === undefined && (issue.code === "invalid_type" || issue.code === "invalid_value");
        push(p, missing ? "is required" : issue.message, missing);
      }
    }
    throw new SpecError(sortIssues(issues));
  }

  const spec = parsed.data;
  for (const issue of [
    ...crossFieldIssues(spec),
    ...securityIssues(spec, policySettingsNear(path.dirname(file))),
  ])
    push(issue.path, issue.message);

  const dir = path.dirname(file);
  const folder = path.basename(path.resolve(dir));
  if (folder !== spec.service.id)
    push(["service", "id"], `must equal the folder name "${folder}" (rename the folder or the ID)`);

  const tableSchemas: Record<string, string> = {};
  spec.environments.forEach((env, i) => {
    env.resources?.bigQueryDataset?.tables.forEach((table, j) => {
      const where = ["environments", i, "resources", "bigQueryDataset", "tables", j];
      const schemaFile = path.join(dir, `${table}.bigquerytable.json`);
      const problem = readTableSchema(schemaFile, tableSchemas, table);
      if (problem) push(where, `${problem} (${path.basename(schemaFile)} must sit beside service.yaml)`);
    });
  });

  if (issues.length) throw new SpecError(sortIssues(issues));
  return { spec, file, dir, tableSchemas };
}

function readTableSchema(file: string, into: Record<string, string>, table: string): string | undefined {
  if (into[table] !== undefined) return undefined;
  let raw: string;
  try {
    raw = fs.readFileSync(file, "utf8");
  } catch {
    return `table schema file ${path.basename(file)} is missing`;
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    return `table schema is not valid JSON: ${(e as Error).message}`;
  }
  const result = bigQueryTableSchema.safeParse(json);
  if (!result.success) {
    const first = result.error.issues[0]!;
    return `table schema is not a BigQuery schema array: ${formatPath(first.path) || "(top)"}: ${first.message}`;
  }
  into[table] = JSON.stringify(json, null, 2);
  return undefined;
}

function sortIssues(issues: SpecIssue[]): SpecIssue[] {
  return issues.sort((a, b) => a.line - b.line || a.col - b.col);
}

/** Offset of the YAML node at `p`; for a missing node, the deepest existing ancestor's key. */
function nodePosition(doc: Document, p: readonly PathSegment[], preferKey: boolean): number {
  let node: unknown = doc.contents;
  let keyNode: Node | undefined;
  for (const seg of p) {
    if (isMap(node)) {
      const pair = node.items.find(
        (it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(seg),
      );
      if (!pair) return (keyNode ?? (node as Node)).range?.[0] ?? 0;
      keyNode = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number" && node.items[seg]) {
      keyNode = undefined;
      node = node.items[seg];
    } else break;
  }
  // A mapping or list is reported at its key ("scaling:"), a scalar at its value.
  const collection = isMap(node) || isSeq(node);
  const target = (preferKey || collection) && keyNode ? keyNode : ((node as Node | null) ?? keyNode);
  return target?.range?.[0] ?? keyNode?.range?.[0] ?? 0;
}

/** Keys the schema allows at `p`, for "did you mean" suggestions. */
function knownKeys(p: readonly PathSegment[]): string[] {
  let schema: z.core.$ZodType | undefined = specSchema;
  const unwrap = (s: z.core.$ZodType): z.core.$ZodType => {
    const def = s._zod.def as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType };
    if (def.innerType) return unwrap(def.innerType);
    if (def.type === "pipe" && def.in) return unwrap(def.in);
    return s;
  };
  for (const seg of p) {
    if (!schema) return [];
    const def = unwrap(schema)._zod.def as {
      type: string;
      shape?: Record<string, z.core.$ZodType>;
      element?: z.core.$ZodType;
      valueType?: z.core.$ZodType;
    };
    if (def.type === "object") schema = def.shape?.[String(seg)];
    else if (def.type === "array") schema = def.element;
    else if (def.type === "record") schema = def.valueType;
    else return [];
  }
  if (!schema) return [];
  const def = unwrap(schema)._zod.def as { type: string; shape?: Record<string, unknown> };
  return def.type === "object" ? Object.keys(def.shape ?? {}) : [];
}

/** The allowed key a misspelt key was most likely meant to be, if any is close enough. */
function suggestionFor(key: string, known: string[]): string | undefined {
  if (!known.length) return undefined;
  const suggestion = closest(key, known);
  return distance(key.toLowerCase(), suggestion.toLowerCase()) <= Math.max(2, Math.floor(key.length / 3))
    ? suggestion
    : undefined;
}

function unknownKeyMessage(key: string, known: string[]): string {
  return `unknown field "${key}"${known.length ? ` (allowed: ${known.join(", ")})` : ""}`;
}

function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v)}`;
  return `${typeof v} ${String(v)}`;
}

/** Messages for schema issues that carry no message of their own. */
function friendlyMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is required";
      return `must be ${issue.expected === "int" ? "a whole number" : `a ${issue.expected === "object" ? "mapping" : issue.expected === "array" ? "list" : issue.expected}`}, not ${describeValue(issue.input)}`;
    case "too_small":
      if (issue.origin === "array") return `needs at least ${issue.minimum} item(s)`;
      if (issue.origin === "string") return `must be at least ${issue.minimum} character(s)`;
      return `must be at least ${issue.minimum}`;
    case "too_big":
      if (issue.origin === "array") return `must have at most ${issue.maximum} item(s)`;
      if (issue.origin === "string") return `must be at most ${issue.maximum} characters`;
      return `must be at most ${issue.maximum}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, not ${describeValue(issue.input)}`;
    case "invalid_format":
      return `has an invalid format (${issue.format})`;
    default:
      return undefined;
  }
}

/** IDs of the folders of `dir` that hold a service.yaml, sorted. */
function serviceIds(dir: string): string[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir).sort();
  } catch {
    throw new SpecError([
      { file: dir, line: 1, col: 1, field: "", message: "services folder not found (use --services DIR)" },
    ]);
  }
  return entries.filter((id) => fs.existsSync(path.join(dir, id, SPEC_FILE)));
}

/** Loads the given services of `dir`, throwing one `SpecError` with the problems of every file. */
function loadAll(dir: string, ids: readonly string[]): LoadedService[] {
  const loaded: LoadedService[] = [];
  const issues: SpecIssue[] = [];
  for (const id of ids) {
    try {
      loaded.push(loadService(dir, id));
    } catch (e) {
      if (e instanceof SpecError) issues.push(...e.issues);
      else throw e;
    }
  }
  if (issues.length) throw new SpecError(issues);
  return loaded;
}

/** Loads every `<dir>/<id>/service.yaml`. Throws one `SpecError` with the problems of every file. */
export function loadServices(dir: string): LoadedService[] {
  return loadAll(dir, serviceIds(dir));
}

/** Loads one service by ID from a services folder. */
export function loadService(dir: string, id: string): LoadedService {
  return loadServiceFile(path.join(dir, id, SPEC_FILE));
}

/** Loads only the services whose ID could start the stack name `<service>-<env>` (cheaper than all). */
export function loadServicesForStack(dir: string, stack: string): LoadedService[] {
  return loadAll(
    dir,
    serviceIds(dir).filter((id) => stack.startsWith(`${id}-`)),
  );
}
