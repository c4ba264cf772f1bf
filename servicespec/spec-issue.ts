/**
 * A problem of a file the spec loader reads (the spec, adopted.yaml beside it), at its line and column, and
 * the field path it names: one shape and one way of writing paths for every such file.
 */
import type { FileReadError } from "./read-file";

export interface SpecIssue {
  file: string;
  line: number;
  col: number;
  /** Dotted field path, e.g. environments[0].instances.resources.cpu; empty for file-level problems. */
  field: string;
  message: string;
  /** The file could not be read at all (not a regular file, outside the services folder, no permission). */
  unreadable?: boolean;
}

/** A field path as messages write it: `environments[0].instances.resources.cpu`. */
export function formatPath(p: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of p) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

/** A file-level issue for a file that could not be read. */
export function readIssue(file: string, e: FileReadError): SpecIssue {
  return { file, line: 1, col: 1, field: "", message: e.message, unreadable: e.problem !== "too-large" };
}
