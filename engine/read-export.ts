/**
 * Reads a stack export (`msp preview --json` or `pulumi stack export`) defensively: exports come from CI
 * artifacts, other branches and other tools, so a bad file must give one clear error, never a crash, a hang or
 * a stack overflow. The checks run cheapest first: file kind and size before reading, nesting depth before
 * parsing, shape after parsing, then the parent graph.
 */
import * as fs from "node:fs";
import type { ExportedResource, StackExport } from "./export";

/** Far above any real export (152 example stacks export about 2 MB together), far below memory trouble. */
export const MAX_EXPORT_BYTES = 64 * 1024 * 1024;
/** Real exports nest about 12 levels (Cloud Armor rules); JSON nested deeper is not an export. */
export const MAX_EXPORT_DEPTH = 128;

/** Why an export cannot be used. The CLI maps it to exit code 2 (unreadable input), never 1. */
export class StackExportError extends Error {
  override name = "StackExportError";
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`cannot read stack export ${file}: ${problem}`);
  }
}

export interface ReadExportOptions {
  maxBytes?: number;
  maxDepth?: number;
}

/** Reads, checks and returns the export in `file`; throws `StackExportError` on any problem. */
export function readStackExport(file: string, options: ReadExportOptions = {}): StackExport {
  const maxBytes = options.maxBytes ?? MAX_EXPORT_BYTES;
  const fail = (problem: string): never => {
    throw new StackExportError(file, problem);
  };
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(code === "ENOENT" ? "file not found" : `cannot stat the file (${code ?? String(e)})`);
  }
  // A FIFO or a device would block or never end; a directory is a mistake.
  if (!stat.isFile()) fail(`not a regular file (${describeKind(stat)})`);
  if (stat.size > maxBytes) fail(`file is ${stat.size} bytes, over the ${maxBytes}-byte limit`);
  let text: string;
  try {
    text = readBounded(file, maxBytes);
  } catch (e) {
    if (e instanceof StackExportError) throw e;
    return fail(`cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return parseStackExport(text, file, options);
}

/** Reads at most `maxBytes` (the file may have grown since it was checked) and decodes UTF-8 strictly. */
function readBounded(file: string, maxBytes: number): string {
  const fd = fs.openSync(file, "r");
  try {
    if (!fs.fstatSync(fd).isFile()) throw new StackExportError(file, "not a regular file");
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.alloc(1024 * 1024);
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw new StackExportError(file, `file is over the ${maxBytes}-byte limit`);
      chunks.push(Buffer.from(chunk.subarray(0, n)));
    }
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
    } catch {
      throw new StackExportError(file, "file is not UTF-8 text");
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Checks and parses export text; `file` names it in errors. */
export function parseStackExport(text: string, file: string, options: ReadExportOptions = {}): StackExport {
  const maxDepth = options.maxDepth ?? MAX_EXPORT_DEPTH;
  const fail = (problem: string): never => {
    throw new StackExportError(file, problem);
  };
  const depth = jsonDepth(text);
  if (depth > maxDepth) fail(`JSON nests deeper than ${maxDepth} levels: not a stack export`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return fail(`invalid JSON: ${(e as Error).message}`);
  }
  if (!isObject(doc)) return fail("the document must be a JSON object with a deployment");
  const deployment = doc.deployment;
  if (!isObject(deployment)) return fail("no deployment object (is this a `pulumi stack export` document?)");
  const resources = deployment.resources ?? [];
  if (!Array.isArray(resources)) return fail("deployment.resources must be an array");
  const problems: string[] = [];
  const urns = new Set<string>();
  resources.forEach((r: unknown, i) => {
    const where = `deployment.resources[${i}]`;
    if (!isObject(r)) return void problems.push(`${where} must be an object`);
    if (typeof r.urn !== "string" || !r.urn) problems.push(`${where}.urn must be a non-empty string`);
    if (typeof r.type !== "string" || !r.type) problems.push(`${where}.type must be a non-empty string`);
    for (const key of ["inputs", "outputs"] as const)
      if (r[key] !== undefined && !isObject(r[key])) problems.push(`${where}.${key} must be an object`);
    for (const key of ["parent", "provider"] as const)
      if (r[key] !== undefined && typeof r[key] !== "string")
        problems.push(`${where}.${key} must be a string`);
    if (r.protect !== undefined && typeof r.protect !== "boolean")
      problems.push(`${where}.protect must be true or false`);
    if (r.ignoreChanges !== undefined && !isStringArray(r.ignoreChanges))
      problems.push(`${where}.ignoreChanges must be an array of strings`);
    if (r.aliases !== undefined && !isStringArray(r.aliases))
      problems.push(`${where}.aliases must be an array of strings`);
    if (typeof r.urn === "string") {
      if (urns.has(r.urn)) problems.push(`${where}: duplicate urn ${r.urn}`);
      urns.add(r.urn);
    }
  });
  if (problems.length) fail(problems.slice(0, 10).join("; ") + more(problems.length - 10));
  const cycles = parentCycles(resources as ExportedResource[]);
  if (cycles.length)
    fail(
      cycles
        .slice(0, 5)
        .map((urn) => `resource ${urn} is its own ancestor (parent cycle)`)
        .join("; ") + more(cycles.length - 5),
    );
  if (deployment.resources === undefined) deployment.resources = resources;
  return doc as unknown as StackExport;
}

const more = (n: number) => (n > 0 ? `; and ${n} more` : "");

/** Deepest nesting of arrays and objects in JSON text, by a linear scan that skips string contents. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) max = depth;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return max;
}

/**
 * URNs of the resources that are their own ancestor, following `parent` links (iteratively: a chain of any
 * length cannot overflow the stack). A parent missing from the export ends a chain, as Pulumi allows.
 */
export function parentCycles(resources: readonly Pick<ExportedResource, "urn" | "parent">[]): string[] {
  const parent = new Map(resources.map((r) => [r.urn, r.parent]));
  const state = new Map<string, "walking" | "done">();
  const inCycle = new Set<string>();
  for (const r of resources) {
    const path: string[] = [];
    let urn: string | undefined = r.urn;
    while (urn !== undefined && parent.has(urn) && state.get(urn) !== "done") {
      if (state.get(urn) === "walking") {
        // Everything on the path from the first visit of `urn` on is in the cycle.
        for (const u of path.slice(path.indexOf(urn))) inCycle.add(u);
        break;
      }
      state.set(urn, "walking");
      path.push(urn);
      urn = parent.get(urn);
    }
    for (const u of path) state.set(u, "done");
  }
  return resources.map((r) => r.urn).filter((u) => inCycle.has(u));
}

function describeKind(stat: fs.Stats): string {
  if (stat.isDirectory()) return "a directory";
  if (stat.isFIFO()) return "a named pipe";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
  if (stat.isSocket()) return "a socket";
  return "not a file";
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === "string");
