/**
 * Reads `services/<id>/service.yaml`, validates it and reports every problem of the file at once as
 * `path/service.yaml:LINE:COL: field.path: message`, pointing at the offending YAML node. The loader throws
 * `SpecError` for problems of the files, and `UnreadableInputError` when the services folder itself cannot be
 * used. It reads only regular files of bounded size inside the services folder, and stays linear in the size of
 * the file whatever its shape.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  Parser,
  type Document,
  type Node,
  type Pair,
  type YAMLError,
  type YAMLMap,
} from "yaml";
import { z } from "zod";
import { parse as parseJsonc, printParseErrorCode, type ParseError } from "jsonc-parser";
import { specSchema, type ServiceSpec } from "./schema";
import { crossFieldIssues, type RuleIssue } from "./rules";
import { partialSpec, placeFinding } from "./partial";
import { missingStackFiles } from "./stack-files";
import { securityIssues, policySettingsNear } from "./security-rules";
import { unsupportedFieldIssues } from "./platform-support";
import { readServiceReadme } from "./readme";
import { readAdoptedPins, type AdoptedPins } from "./adopted";
import { formatPath, readIssue, type SpecIssue } from "./spec-issue";
import { serviceName } from "../platform/naming";
import { bigQueryTableSchema } from "./bigquery";
import { FileReadError, readRegularFile, UnreadableInputError } from "./read-file";
import { parseBoundedDocument, TOO_MANY_TOKENS } from "./yaml-document";
import { clipText, QUOTE_LIMIT, quote } from "./values";
import { closestName } from "./suggest";
import { claimsOf, claimsOfSpecText, collisions, type ClaimIssue, type FleetClaim } from "./fleet-claims";

export { UnreadableInputError } from "./read-file";
export { formatPath, type SpecIssue } from "./spec-issue";

export const SPEC_FILE = "service.yaml";
/** More aliases than any hand-written spec needs; stops "billion laughs" documents. */
const MAX_ALIAS_COUNT = 100;
/** The largest spec read: a larger one is refused unread, so no other reader of specs needs to read more. */
export const MAX_SPEC_BYTES = 1024 * 1024;
/** BigQuery table schemas are a few KB; a megabyte is far beyond any real table. */
const MAX_TABLE_SCHEMA_BYTES = 1024 * 1024;
/** Messages and field paths are cut to these lengths: values from a file can be huge, output must not be. */
const MAX_MESSAGE = 300;
const MAX_FIELD = 200;
/** Deeper than any spec (about 8 levels): bounds the recursion of everything that walks the document. */
const MAX_NESTING = 64;
/** Values after alias expansion: a 1 MiB file has at most about 500,000 of its own. */
const MAX_EXPANDED_NODES = 2_000_000;
/**
 * Specs up to this size also get the rules run on their valid parts when the schema refuses some (a few
 * validations more: bounded for hostile files, a hundred times the largest example).
 */
const MAX_REPAIRED_BYTES = 256 * 1024;
/** Problems listed per file; the rest are counted. */
const MAX_ISSUES_PER_FILE = 200;
/**
 * Why an unknown key is refused, though MSP's YAML decoding (yaml.v3, not strict) ignores it: a misspelt
 * `alowDestroys: true` would load and change nothing.
 */
const UNKNOWN_KEY_REASON = "a misspelt key would drop its setting without a word";

export function formatIssue(i: SpecIssue): string {
  return `${i.file}:${i.line}:${i.col}: ${i.field ? `${i.field}: ` : ""}${i.message}`;
}

export class SpecError extends Error {
  override name = "SpecError";
  readonly issues: SpecIssue[];
  constructor(issues: SpecIssue[]) {
    // One choke point for the length of every message, whichever rule produced it.
    const capped = issues.map((i) => ({
      ...i,
      field: clipText(i.field, MAX_FIELD),
      message: clipText(i.message, MAX_MESSAGE),
    }));
    super(capped.map(formatIssue).join("\n"));
    this.issues = capped;
  }

  /** Some file could not be read at all: the command could not look at everything (the CLI exits 2). */
  get unreadable(): boolean {
    return this.issues.some((i) => i.unreadable);
  }
}

export interface LoadedService {
  spec: ServiceSpec;
  /** The spec file as given (relative paths stay relative, for messages and links). */
  file: string;
  dir: string;
  /** BigQuery table schemas by table name, re-serialised with two-space indentation. */
  tableSchemas: Record<string, string>;
  /** Body of the README.md beside the spec (its title line removed), embedded in the handbook page. */
  readme?: string;
  /** The global names its environments claim (servicespec/fleet-claims.ts), checked against the rest of the fleet. */
  claims: readonly FleetClaim[];
  /** Names and sizes kept from MSP's Terraform (`adopted.yaml` beside the spec, servicespec/adopted.ts). */
  adopted?: AdoptedPins;
}

type PathSegment = string | number;

/**
 * Loads and validates one spec file. `root` is the services folder: the spec and its table schemas must be
 * inside it once symlinks are resolved (default: the folder above the spec's folder). Throws `SpecError`.
 */
export function loadServiceFile(file: string, root = path.dirname(path.dirname(file))): LoadedService {
  let bytes: Buffer;
  try {
    bytes = readRegularFile(file, { maxBytes: MAX_SPEC_BYTES, within: root });
  } catch (e) {
    if (e instanceof FileReadError) throw new SpecError([readIssue(file, e)]);
    throw e;
  }
  return parseServiceSpec(file, bytes, root, { stackFiles: true });
}

export interface ParseOptions {
  /**
   * Also require each environment's Pulumi stack file (servicespec/stack-files.ts): for a spec in its services folder
   * (`loadServiceFile`), not for a text about to be written (`msp init` writes the stack file after it).
   */
  stackFiles?: boolean;
}

/** Every rule beyond the schema: cross-field, security (with the Pulumi project's settings), platform support. */
function ruleIssues(spec: ServiceSpec, file: string): RuleIssue[] {
  return [
    ...crossFieldIssues(spec),
    ...securityIssues(spec, policySettingsNear(path.dirname(file))),
    ...unsupportedFieldIssues(spec),
  ];
}

/**
 * Validates the bytes of a spec file; `file` names it in messages and locates its BigQuery schemas, which must
 * lie inside `root` (default: the folder above the spec's folder).
 */
export function parseServiceSpec(
  file: string,
  bytes: Uint8Array,
  root = path.dirname(path.dirname(file)),
  options: ParseOptions = {},
): LoadedService {
  const issues: SpecIssue[] = [];
  const fileIssue = (message: string, line = 1, col = 1) =>
    issues.push({ file, line, col, field: "", message });
  if (bytes.length > MAX_SPEC_BYTES) fileIssue(`file is ${bytes.length} bytes; a spec must be under 1 MiB`);
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
  // The library's duplicate-key check compares each key with every earlier one (quadratic): ours is linear.
  // A document nested thousands of levels deep overflows the library's recursive composer, which reports that
  // as an error: capturing the stack of that overflow is its whole cost, so no stack is captured.
  const bounded = withoutStackTraces(() =>
    parseBoundedDocument(text, { lineCounter: lines, uniqueKeys: false }),
  );
  const at = (offset: number) => lines.linePos(offset);
  if (bounded.tooManyTokens) {
    const pos = at(bounded.tooManyTokens.offset);
    fileIssue(TOO_MANY_TOKENS, pos.line, pos.col);
    throw new SpecError(issues);
  }
  const doc = bounded.doc;
  for (const err of doc.errors) {
    const pos = at(syntaxErrorOffset(text, err));
    const message = /call stack/i.test(err.message)
      ? `nested more than ${MAX_NESTING} levels deep (a spec needs fewer than 10)`
      : err.message.split("\n")[0];
    fileIssue(`YAML syntax error: ${message}`, pos.line, pos.col);
  }
  // Everything after this point recurses through the document (the library's toJS, zod): bound its depth.
  const shape = issues.length ? undefined : checkShape(doc);
  if (shape?.tooDeep) {
    const pos = at(shape.tooDeep.range?.[0] ?? 0);
    fileIssue(`nested more than ${MAX_NESTING} levels deep (a spec needs fewer than 10)`, pos.line, pos.col);
  } else if (shape?.tooManyAliases) {
    const pos = at(shape.tooManyAliases.range?.[0] ?? 0);
    fileIssue(`more than ${MAX_ALIAS_COUNT} YAML aliases (*name): write the values out`, pos.line, pos.col);
  } else if (shape)
    for (const dup of shape.duplicates) {
      const pos = at(dup.offset);
      const first = at(dup.firstOffset);
      fileIssue(
        `YAML syntax error: map keys must be unique: ${quote(dup.key)} is already on line ${first.line}`,
        pos.line,
        pos.col,
      );
    }
  if (issues.length) throw new SpecError(sortIssues(issues));
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
  // Aliases can nest one anchored node in another, or in itself (`&a [*a]`): check the expanded value too.
  const expanded = valueNestingProblem(data);
  if (expanded) {
    fileIssue(`YAML aliases ${expanded}`);
    throw new SpecError(issues);
  }

  const locate = (p: readonly PathSegment[], key = false) => at(nodePosition(doc, p, key));
  const push = (p: readonly PathSegment[], message: string, key = false) => {
    const pos = locate(p, key);
    issues.push({ file, line: pos.line, col: pos.col, field: formatPath(p), message });
  };
  const folderIssue = (spec: ServiceSpec) => {
    const folder = path.basename(path.resolve(path.dirname(file)));
    if (folder !== spec.service.id)
      push(["service", "id"], `must equal the folder name "${folder}" (rename the folder or the ID)`);
  };
  const stackFileIssues = (value: unknown) => {
    for (const m of missingStackFiles(value, root)) push(["environments", m.index, "id"], m.message);
  };

  const parsed = specSchema.safeParse(data, { reportInput: true, error: friendlyMessage });
  if (!parsed.success) {
    // A misspelt key also makes the intended key "missing": report only the misspelling.
    const suggested = new Set<string>();
    for (const issue of parsed.error.issues) {
      if (issue.code !== "unrecognized_keys") continue;
      const p = issue.path.filter((s): s is PathSegment => typeof s !== "symbol");
      const known = knownKeys(p);
      const allowed = known.length ? ` (allowed: ${known.join(", ")})` : "";
      for (const k of issue.keys) {
        const s = suggestionFor(k, known);
        if (s) suggested.add(formatPath([...p, s]));
        const quoted = quote(k);
        push(
          [...p, k],
          s
            ? `unknown field ${quoted} (did you mean "${s}"?): ${UNKNOWN_KEY_REASON}`
            : `unknown field ${quoted}: ${UNKNOWN_KEY_REASON}${allowed}`,
          true,
        );
      }
    }
    for (const issue of parsed.error.issues) {
      const p = issue.path.filter((s): s is PathSegment => typeof s !== "symbol");
      if (issue.code === "unrecognized_keys" || (issue.input === undefined && suggested.has(formatPath(p)))) {
        continue;
      } else {
        if (issue.code === "invalid_key") {
          // A key the record refuses: reported at the key, with the key's own rule and a corrected name.
          push(p, invalidKeyMessage(issue), true);
          continue;
        }
        const missing =
          issue.input === undefined && (issue.code === "invalid_type" || issue.code === "invalid_value");
        push(p, missing ? "is required" : issue.message, missing);
      }
    }
    // The rules run on the parts that parse, so that every mistake shows at once.
    const partial = bytes.length <= MAX_REPAIRED_BYTES ? partialSpec(data, parsed.error.issues) : undefined;
    if (partial) {
      for (const issue of ruleIssues(partial.spec, file)) {
        const p = placeFinding(partial, issue.path, issue.message);
        if (p) push(p, issue.message, issue.key === true);
      }
      if (!partial.repaired.has("service.id")) folderIssue(partial.spec);
    }
    if (options.stackFiles) stackFileIssues(data);
    throw new SpecError(sortIssues(issues));
  }

  const spec = parsed.data;
  for (const issue of ruleIssues(spec, file)) push(issue.path, issue.message, issue.key === true);
  folderIssue(spec);
  if (options.stackFiles) stackFileIssues(data);
  const dir = path.dirname(file);

  const tableSchemas: Record<string, string> = {};
  const failedTables = new Set<string>();
  spec.environments.forEach((env, i) => {
    env.resources?.bigQueryDataset?.tables.forEach((table, j) => {
      if (tableSchemas[table] !== undefined || failedTables.has(table)) return;
      const where = ["environments", i, "resources", "bigQueryDataset", "tables", j];
      const schemaFile = path.join(dir, `${table}.bigquerytable.json`);
      const problem = readTableSchema(schemaFile, root, tableSchemas, table);
      if (!problem) return;
      failedTables.add(table);
      const pos = locate(where);
      issues.push({
        file,
        line: pos.line,
        col: pos.col,
        field: formatPath(where),
        message: `${problem.message} (${path.basename(schemaFile)} must sit beside service.yaml)`,
        unreadable: problem.unreadable,
      });
    });
  });

  const readme = readServiceReadme(dir, root, serviceName(spec));
  if ("problem" in readme) {
    const pos = locate(["service", "id"]);
    issues.push({
      file,
      line: pos.line,
      col: pos.col,
      field: "service.id",
      message: readme.problem,
      unreadable: readme.unreadable,
    });
  }

  // The pins file's problems follow the spec's: they are at its own lines.
  const adopted = readAdoptedPins(dir, root, spec);
  const pinIssues = "issues" in adopted ? adopted.issues : [];
  if (issues.length || pinIssues.length) throw new SpecError([...sortIssues(issues), ...pinIssues]);
  return {
    spec,
    file,
    dir,
    tableSchemas,
    readme: "body" in readme ? readme.body : undefined,
    adopted: "pins" in adopted ? adopted.pins : undefined,
    claims: claimsOf(spec, file, (p) => locate(p)),
  };
}

/**
 * Reads and checks one BigQuery table schema. Problems never quote the file: it may be anything (a symlink to
 * /etc/passwd is refused, but an ordinary file with secrets in it must not be echoed either), so a JSON syntax
 * error is reported by line and column only.
 */
function readTableSchema(
  file: string,
  root: string,
  into: Record<string, string>,
  table: string,
): { message: string; unreadable: boolean } | undefined {
  const name = path.basename(file);
  let raw: string;
  try {
    raw = readRegularFile(file, { maxBytes: MAX_TABLE_SCHEMA_BYTES, within: root }).toString("utf8");
  } catch (e) {
    if (!(e instanceof FileReadError)) throw e;
    if (e.problem === "not-found")
      return { message: `table schema file ${name} is missing`, unreadable: false };
    return { message: `table schema file ${name} ${e.message}`, unreadable: e.problem !== "too-large" };
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { message: `table schema ${name} is not valid JSON (${jsonErrorPlace(raw)})`, unreadable: false };
  }
  // The schema validator recurses through RECORD fields: bound the depth first (BigQuery allows 15 levels).
  if (valueNestingProblem(json))
    return {
      message: `table schema ${name} is nested more than ${MAX_NESTING} levels deep (BigQuery allows 15)`,
      unreadable: false,
    };
  const result = bigQueryTableSchema.safeParse(json);
  if (!result.success) {
    const first = result.error.issues[0]!;
    return {
      message: `table schema is not a BigQuery schema array: ${formatPath(first.path) || "(top)"}: ${first.message}`,
      unreadable: false,
    };
  }
  into[table] = JSON.stringify(json, null, 2);
  return undefined;
}

/**
 * Where and why a JSON text is invalid, as "line L, column C: what", from jsonc-parser's error offsets (V8's
 * messages quote an excerpt of the file, and give no position for an unexpected token).
 */
export function jsonErrorPlace(text: string): string {
  const errors: ParseError[] = [];
  try {
    withoutStackTraces(() => {
      parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false });
    });
  } catch {
    // Nested deeper than the parser's recursion allows: no position, but still no content.
  }
  const first = errors[0];
  if (!first) return "unexpected content";
  const before = text.slice(0, first.offset);
  const what = printParseErrorCode(first.error)
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase();
  return `line ${before.split("\n").length}, column ${first.offset - before.lastIndexOf("\n")}: ${what}`;
}

/**
 * The issues of one file in line order, at most `MAX_ISSUES_PER_FILE` of them plus one line counting the rest:
 * a generated file with 50,000 mistakes must not print 50,000 lines.
 */
function sortIssues(issues: SpecIssue[]): SpecIssue[] {
  issues.sort((a, b) => a.line - b.line || a.col - b.col);
  if (issues.length <= MAX_ISSUES_PER_FILE) return issues;
  const next = issues[MAX_ISSUES_PER_FILE]!;
  return [
    ...issues.slice(0, MAX_ISSUES_PER_FILE),
    {
      ...next,
      field: "",
      message: `... and ${issues.length - MAX_ISSUES_PER_FILE} more problem(s) from here on (only the first ${MAX_ISSUES_PER_FILE} of a file are listed)`,
    },
  ];
}

/**
 * Where to report a YAML syntax error. The library reports some errors where it noticed them rather than where
 * the mistake is: an unclosed quoted string at the end of the file (we point at its opening quote), an
 * over-indented key at the whitespace or comment before it (we skip to the key).
 */
function syntaxErrorOffset(text: string, err: YAMLError): number {
  const offset = err.pos[0];
  if (err.code === "MISSING_CHAR" && /quote/i.test(err.message)) {
    const start = unclosedQuoteStart(text, offset);
    if (start !== undefined) return start;
  }
  return skipBlankAndComments(text, offset);
}

/** The offset of the quoted scalar that runs up to `end` (the unclosed one), from the parser's tokens. */
function unclosedQuoteStart(text: string, end: number): number | undefined {
  let best: number | undefined;
  const walk = (token: unknown, depth: number): void => {
    if (!token || typeof token !== "object" || depth > 1000) return;
    if (Array.isArray(token)) {
      for (const t of token) walk(t, depth + 1);
      return;
    }
    const t = token as { type?: string; offset?: number; source?: string };
    if (
      (t.type === "double-quoted-scalar" || t.type === "single-quoted-scalar") &&
      typeof t.offset === "number" &&
      typeof t.source === "string" &&
      t.offset <= end &&
      t.offset + t.source.length >= end
    )
      best = Math.max(best ?? -1, t.offset);
    for (const [k, v] of Object.entries(t))
      if (k !== "source" && v && typeof v === "object") walk(v, depth + 1);
  };
  for (const token of new Parser().parse(text)) walk(token, 0);
  return best;
}

/** From `offset`, skips whitespace and whole comment lines to the next meaningful character. */
function skipBlankAndComments(text: string, offset: number): number {
  let i = offset;
  if (i >= text.length || !/\s/.test(text[i]!)) return offset;
  while (i < text.length) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") i++;
    else if (c === "#" && (i === 0 || /\s/.test(text[i - 1]!))) {
      const nl = text.indexOf("\n", i);
      i = nl < 0 ? text.length : nl + 1;
    } else return i;
  }
  return offset;
}

/** Runs `f` without capturing stack traces (restored after): for code whose errors we turn into messages. */
function withoutStackTraces<T>(f: () => T): T {
  const previous = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return f();
  } finally {
    Error.stackTraceLimit = previous;
  }
}

interface DuplicateKey {
  key: string;
  offset: number;
  firstOffset: number;
}

/**
 * One pass over the document, without recursion: the first node nested deeper than `MAX_NESTING` collections
 * (the walk stops there), and the keys defined twice in one mapping (scalar keys compared by value, as the
 * library would).
 */
function checkShape(doc: Document): { tooDeep?: Node; tooManyAliases?: Node; duplicates: DuplicateKey[] } {
  const duplicates: DuplicateKey[] = [];
  const stack: [unknown, number][] = [[doc.contents, 1]];
  let aliases = 0;
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    // The library resolves each alias by scanning the document's anchors: bound their number before toJS.
    if (isAlias(node) && ++aliases > MAX_ALIAS_COUNT) return { tooManyAliases: node, duplicates };
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > MAX_NESTING) return { tooDeep: node, duplicates };
    const seen = isMap(node) ? new Map<string, number>() : undefined;
    // Children are pushed last first, so that they are looked at in document order.
    for (let k = node.items.length - 1; k >= 0; k--) {
      const item = node.items[k];
      if (isPair(item)) stack.push([item.value, depth + 1], [item.key, depth + 1]);
      else stack.push([item, depth + 1]);
    }
    for (const item of node.items) {
      if (!seen || !isPair(item) || !isScalar(item.key)) continue;
      const v = item.key.value;
      const id = `${typeof v}:${String(v)}`;
      const offset = item.key.range?.[0] ?? 0;
      const first = seen.get(id);
      if (first === undefined) seen.set(id, offset);
      else duplicates.push({ key: String(v), offset, firstOffset: first });
    }
  }
  return { duplicates };
}

/**
 * Why the value of a document (aliases expanded) cannot be validated: nested deeper than `MAX_NESTING`, or
 * containing itself. Iterative; each object is looked at once per place it appears, up to a bound.
 */
function valueNestingProblem(data: unknown): string | undefined {
  const onPath = new Set<object>();
  const stack: { value: unknown; depth: number; leave?: object }[] = [{ value: data, depth: 1 }];
  let visits = 0;
  while (stack.length) {
    const top = stack.pop()!;
    if (top.leave) {
      onPath.delete(top.leave);
      continue;
    }
    const v = top.value;
    if (!v || typeof v !== "object" || v instanceof Uint8Array || v instanceof Date) continue;
    if (onPath.has(v)) return "make a value contain itself";
    if (top.depth > MAX_NESTING) return `nest values more than ${MAX_NESTING} levels deep`;
    if (++visits > MAX_EXPANDED_NODES) return `expand to more than ${MAX_EXPANDED_NODES} values`;
    onPath.add(v);
    stack.push({ value: undefined, depth: top.depth, leave: v });
    const children =
      v instanceof Map ? [...v.keys(), ...v.values()] : v instanceof Set ? [...v] : Object.values(v);
    for (const child of children) stack.push({ value: child, depth: top.depth + 1 });
  }
  return undefined;
}

/** Each mapping's pairs by key, built once per mapping on first use: lookups stay linear in the file. */
const pairIndexes = new WeakMap<YAMLMap, Map<string, Pair>>();

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  let index = pairIndexes.get(map);
  if (!index) {
    index = new Map();
    for (const it of map.items)
      if (isPair(it) && isScalar(it.key)) {
        const k = String(it.key.value);
        if (!index.has(k)) index.set(k, it);
      }
    pairIndexes.set(map, index);
  }
  return index.get(key);
}

/**
 * Locates fields of a spec's text as the loader does for its own errors: `(path) => { line, col }`, at the
 * node, or at the deepest ancestor present when the field is absent (a default applies). For reports that
 * point policy findings at the spec line a service owner would change.
 */
export function specLocator(
  text: string,
): (p: readonly PathSegment[], key?: boolean) => { line: number; col: number } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  return (p, key = false) => lines.linePos(nodePosition(doc, p, key));
}

/** Offset of the YAML node at `p`; for a missing node, the deepest existing ancestor's key. */
function nodePosition(doc: Document, p: readonly PathSegment[], preferKey: boolean): number {
  let node: unknown = doc.contents;
  let keyNode: Node | undefined;
  for (const seg of p) {
    if (isMap(node)) {
      const pair = pairOf(node, String(seg));
      if (!pair) return (keyNode ?? node).range?.[0] ?? 0;
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

/** `"LOG-LEVEL" is not a valid ... (write LOG_LEVEL)`: the key, the rule its schema states, a corrected key. */
function invalidKeyMessage(issue: z.core.$ZodIssueInvalidKey): string {
  const key = String(issue.input);
  const rule = issue.issues[0]?.message ?? "is not allowed here";
  const fixed = key.replace(/[^A-Za-z0-9_]/g, "_").replace(/^(?=[0-9])/, "_");
  const hint =
    fixed && fixed !== key && /^[A-Za-z_]\w*$/.test(fixed) ? ` (write ${clipText(fixed, QUOTE_LIMIT)})` : "";
  return `${quote(key)} ${rule}${hint}`;
}

/** The allowed key a misspelt key was most likely meant to be, if any is close enough. */
const suggestionFor = (key: string, known: string[]): string | undefined => closestName(key, known);

function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  // Values of explicit YAML tags: say what the tag made of the value, not "a mapping".
  if (v instanceof Uint8Array) return "binary data (a !!binary value)";
  if (v instanceof Date) return "a timestamp (a !!timestamp value; quote it to make it a string)";
  if (v instanceof Set) return "a set (a !!set value)";
  if (v instanceof Map) return "an ordered map (a !!omap or !!pairs value)";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v)}`;
  // What is left has no YAML spelling but a number's or a boolean's (functions, symbols cannot be parsed).
  return typeof v === "number" || typeof v === "boolean" || typeof v === "bigint"
    ? `${typeof v} ${String(v)}`
    : typeof v;
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

/** A spec file named like MSP's but not read: `service.yml` is a common slip for `service.yaml`. */
const MISNAMED_SPEC_FILES = ["service.yml", "Service.yaml", "service.YAML"];

/** One entry of a services folder: a service to load, a problem to report, or something ignored. */
type FolderEntry =
  { name: string; service: true } | { name: string; issue: SpecIssue } | { name: string; warning: string };

export interface LoadOptions {
  /** Receives one line per entry of the services folder that is ignored (default: printed on stderr). */
  onWarning?: (message: string) => void;
}

const warnOnStderr = (message: string) => process.stderr.write(`warning: ${message}\n`);

/**
 * The entries of a services folder, sorted: `<id>/service.yaml` folders are services; a misnamed spec file is an
 * error; stray files and folders without a spec are ignored with a warning; dot files are ignored silently.
 * Throws `UnreadableInputError` when the folder is missing, not a folder, or cannot be listed.
 */
function scanServicesFolder(dir: string): FolderEntry[] {
  let names: string[];
  try {
    if (!fs.statSync(dir).isDirectory())
      throw new UnreadableInputError(`${dir} is not a folder (give the services folder with --services DIR)`);
    names = fs.readdirSync(dir).sort();
  } catch (e) {
    if (e instanceof UnreadableInputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UnreadableInputError(
      code === "ENOENT"
        ? `services folder ${dir} not found (use --services DIR)`
        : `cannot read the services folder ${dir} (${code ?? "unknown error"})`,
    );
  }
  const entries: FolderEntry[] = [];
  for (const name of names) {
    if (name.startsWith(".")) continue;
    const folder = path.join(dir, name);
    let isFolder = false;
    try {
      isFolder = fs.statSync(folder).isDirectory();
    } catch {
      // A dangling symlink or an entry that vanished: not a service folder.
    }
    if (!isFolder) {
      entries.push({
        name,
        warning: `${folder}: ignored: not a service folder (specs live in ${dir}/<id>/${SPEC_FILE})`,
      });
      continue;
    }
    if (exists(path.join(folder, SPEC_FILE))) {
      entries.push({ name, service: true });
      continue;
    }
    const misnamed = MISNAMED_SPEC_FILES.find((f) => exists(path.join(folder, f)));
    if (misnamed)
      entries.push({
        name,
        issue: {
          file: path.join(folder, misnamed),
          line: 1,
          col: 1,
          field: "",
          message: `the spec must be named ${SPEC_FILE}: rename ${misnamed} (it is not read)`,
        },
      });
    else entries.push({ name, warning: `${folder}: ignored: no ${SPEC_FILE} in this folder` });
  }
  return entries;
}

/** Whether a directory entry exists, whatever it is (a FIFO or a dangling symlink is reported when read). */
function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Loads the services among `entries`, with the problems of every file. */
function loadEntries(
  dir: string,
  entries: readonly FolderEntry[],
): { loaded: LoadedService[]; issues: SpecIssue[] } {
  const loaded: LoadedService[] = [];
  const issues: SpecIssue[] = [];
  for (const entry of entries) {
    if ("issue" in entry) issues.push(entry.issue);
    if (!("service" in entry)) continue;
    try {
      loaded.push(loadService(dir, entry.name));
    } catch (e) {
      if (e instanceof SpecError) issues.push(...e.issues);
      else throw e;
    }
  }
  return { loaded, issues };
}

/** A fleet-wide collision as a problem of the spec that makes the claim. */
const claimIssue = ({ claim, message }: ClaimIssue): SpecIssue => ({
  file: claim.file,
  line: claim.line,
  col: claim.col,
  field: formatPath(claim.path),
  message,
});

/**
 * Loads every `<dir>/<id>/service.yaml` and checks the fleet-wide invariants (servicespec/fleet-claims.ts: a hostname,
 * project, dataset or stack name belongs to one environment). Throws one `SpecError` with the problems of every
 * file, or `UnreadableInputError` when the folder is missing or holds no service at all.
 */
export function loadServices(dir: string, options: LoadOptions = {}): LoadedService[] {
  const entries = scanServicesFolder(dir);
  const warn = options.onWarning ?? warnOnStderr;
  for (const e of entries) if ("warning" in e) warn(e.warning);
  if (!entries.some((e) => !("warning" in e)))
    throw new UnreadableInputError(
      `no services in ${dir}: a service is a folder ${dir}/<id> holding a ${SPEC_FILE} (create one with \`msp init <id>\`)`,
    );
  const { loaded, issues } = loadEntries(dir, entries);
  issues.push(...collisions(loaded.flatMap((s) => s.claims)).map(claimIssue));
  if (issues.length) throw new SpecError(issues);
  return loaded;
}

/**
 * Loads one service by ID from a services folder. The spec and its table schemas must lie inside `dir` once
 * symlinks are resolved, so an ID such as `../other` or a symlinked folder cannot lead elsewhere.
 */
export function loadService(dir: string, id: string): LoadedService {
  return loadServiceFile(path.join(dir, id, SPEC_FILE), dir);
}

/**
 * The IDs of the services in a services folder (folders holding a spec), sorted, without reading a spec: for
 * messages about a service that is not there. Throws `UnreadableInputError` when the folder cannot be listed.
 */
export function serviceIds(dir: string): string[] {
  return scanServicesFolder(dir)
    .filter((e) => "service" in e)
    .map((e) => e.name);
}

/**
 * Loads only the services whose ID could start the stack name `<service>-<env>` (cheaper than all), and checks
 * their global names against the other specs' (read as YAML only, not validated: a broken spec elsewhere does
 * not stop this stack, but a name it claims does). `fleet: false` skips that check (for readers that only
 * locate lines in the spec).
 */
export function loadServicesForStack(
  dir: string,
  stack: string,
  options: { fleet?: boolean } = {},
): LoadedService[] {
  const entries = scanServicesFolder(dir);
  const { loaded, issues } = loadEntries(
    dir,
    entries.filter((e) => stack.startsWith(`${e.name}-`)),
  );
  if (!issues.length && options.fleet !== false) {
    const own = new Set(loaded.map((s) => s.spec.service.id));
    const others = entries
      .filter((e) => "service" in e && !own.has(e.name))
      .flatMap((e) => otherClaims(dir, e.name));
    issues.push(
      ...collisions(
        loaded.flatMap((s) => s.claims),
        others,
      ).map(claimIssue),
    );
  }
  if (issues.length) throw new SpecError(issues);
  return loaded;
}

/**
 * What a spec not yet written (`msp init`, `msp init-env`) would collide with among the other services of `dir`:
 * a hostname, project ID, dataset or stack name another service's environment claims.
 */
export function fleetIssuesOfNewSpec(dir: string, file: string, text: string): SpecIssue[] {
  const own = claimsOfSpecText(file, text);
  const ids = new Set(own.map((c) => c.serviceId));
  const others = scanServicesFolder(dir)
    .filter((e) => "service" in e && !ids.has(e.name))
    .flatMap((e) => otherClaims(dir, e.name));
  return collisions(own, others).map(claimIssue);
}

/** The claims of another service's spec, read as the loader reads files; unreadable ones claim nothing. */
function otherClaims(dir: string, id: string): FleetClaim[] {
  const file = path.join(dir, id, SPEC_FILE);
  try {
    return claimsOfSpecText(
      file,
      readRegularFile(file, { maxBytes: MAX_SPEC_BYTES, within: dir }).toString("utf8"),
    );
  } catch (e) {
    if (e instanceof FileReadError) return [];
    throw e;
  }
}
