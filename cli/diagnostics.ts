/**
 * Spec problems as compilers print them: the `file:line:col: field: message` line, then the offending line of
 * the spec with a caret under the column, in colour on a terminal and as plain text otherwise:
 *
 *   services/pings/service.yaml:14:15: environments[0].category: must be one of "test", ... not "tst"
 *      14 |     category: tst
 *         |               ^
 *
 * Only spec files (`service.yaml`) are quoted, read again through the bounded reader inside their services
 * folder: never a file that could not be read, never another file a problem mentions (a table schema, a stack
 * file, a misnamed `service.yml`), so no command echoes the contents of a file that is not a spec.
 */
import * as path from "node:path";
import { formatIssue, MAX_SPEC_BYTES, SPEC_FILE, type SpecIssue } from "../servicespec/loader";
import { readRegularFile } from "../servicespec/read-file";
import { PLAIN, type Style } from "./terminal";

/** Characters of a quoted line; a longer line is cut around the column, with "…" where it was cut. */
export const QUOTE_WIDTH = 100;
/**
 * Characters that would act on the terminal or reorder the text instead of showing (C0 and C1 controls but the
 * tab, DEL, bidirectional overrides): shown as U+FFFD, one character each, so the caret stays in place.
 */
const UNPRINTABLE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Reads a file to quote; undefined when it must not or cannot be quoted. */
export type SourceReader = (file: string) => string | undefined;

/** The text of a spec file, or undefined for anything that is not a readable UTF-8 `service.yaml`. */
export function readSpecSource(file: string): string | undefined {
  if (path.basename(file) !== SPEC_FILE) return undefined;
  try {
    const bytes = readRegularFile(file, {
      maxBytes: MAX_SPEC_BYTES,
      within: path.dirname(path.dirname(file)),
    });
    if (bytes.includes(0)) return undefined;
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined; // changed or removed since it was validated: the problem line alone says enough
  }
}

/** The part of `text` to show and where the caret goes in it, for a 1-based column. */
export function excerpt(text: string, col: number): { shown: string; caret: number } {
  const at = Math.min(Math.max(col - 1, 0), text.length);
  if (text.length <= QUOTE_WIDTH) return { shown: text.replace(UNPRINTABLE, "\uFFFD"), caret: at };
  const start = Math.max(0, Math.min(at - Math.floor(QUOTE_WIDTH / 2), text.length - QUOTE_WIDTH));
  const end = start + QUOTE_WIDTH;
  const head = start > 0 ? "…" : "";
  const tail = end < text.length ? "…" : "";
  return {
    shown: head + text.slice(start, end).replace(UNPRINTABLE, "\uFFFD") + tail,
    caret: at - start + head.length,
  };
}

/** The two lines under a problem: the source line with its number, and the caret under the column. */
export function quoteLine(lineNumber: number, text: string, col: number, style: Style = PLAIN): string[] {
  const { shown, caret } = excerpt(text, col);
  const number = String(lineNumber);
  // Tabs stay tabs under the caret too, so both lines expand them to the same columns.
  const pad = shown.slice(0, caret).replace(/[^\t]/g, " ");
  return [
    `${style.muted(`   ${number} |`)} ${shown}`.trimEnd(),
    `${style.muted(`   ${" ".repeat(number.length)} |`)} ${pad}${style.danger("^")}`,
  ];
}

function headline(i: SpecIssue, style: Style): string {
  if (!style.styled) return formatIssue(i);
  return `${style.strong(`${i.file}:${i.line}:${i.col}:`)} ${i.field ? `${style.field(i.field)}: ` : ""}${i.message}`;
}

/** Every problem, each followed by its quoted line when the spec can be quoted. */
export function formatSpecIssues(
  issues: readonly SpecIssue[],
  style: Style = PLAIN,
  read: SourceReader = readSpecSource,
): string {
  const sources = new Map<string, string[] | undefined>();
  const lines: string[] = [];
  for (const i of issues) {
    lines.push(headline(i, style));
    if (i.unreadable) continue;
    if (!sources.has(i.file)) sources.set(i.file, read(i.file)?.split("\n"));
    const text = sources.get(i.file)?.[i.line - 1];
    if (text !== undefined) lines.push(...quoteLine(i.line, text.replace(/\r$/, ""), i.col, style));
  }
  return lines.join("\n");
}
