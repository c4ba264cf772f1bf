/**
 * Writes several files as one change: each is written to a temporary file beside it, then all are renamed into
 * place. A failure while writing leaves nothing behind; a failure while renaming puts back what was renamed
 * already. `msp init` and `msp init-env` write a spec and a stack file this way, so a refused or interrupted
 * command never leaves a spec without its stack file, or half a file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";

export interface FileWrite {
  file: string;
  text: string;
}

/** Folders that did not exist, top first, created for `file`. */
function createFolders(file: string): string[] {
  const missing: string[] = [];
  for (let d = path.dirname(path.resolve(file)); !fs.existsSync(d); d = path.dirname(d)) missing.unshift(d);
  for (const d of missing) fs.mkdirSync(d);
  return missing;
}

/**
 * Writes every file or none. Throws the first error, after undoing: temporary files removed, renamed files
 * restored (a file that existed gets its former content back, a new one is removed), created folders removed.
 */
export function writeFilesAtomically(writes: readonly FileWrite[]): void {
  const created: string[] = [];
  const temps: { file: string; temp: string; previous?: Buffer }[] = [];
  const renamed: typeof temps = [];
  try {
    for (const w of writes) {
      created.push(...createFolders(w.file));
      const temp = path.join(
        path.dirname(w.file),
        `.${path.basename(w.file)}.${randomBytes(4).toString("hex")}.tmp`,
      );
      const previous = fs.existsSync(w.file) ? fs.readFileSync(w.file) : undefined;
      temps.push({ file: w.file, temp, previous });
      fs.writeFileSync(temp, w.text, { flag: "wx" });
    }
    for (const t of temps) {
      fs.renameSync(t.temp, t.file);
      renamed.push(t);
    }
  } catch (e) {
    // Each undo step is tried whatever the others do: the first error is the one reported.
    for (const t of renamed.reverse())
      attempt(() => (t.previous ? fs.writeFileSync(t.file, t.previous) : fs.rmSync(t.file, { force: true })));
    for (const t of temps) attempt(() => fs.rmSync(t.temp, { force: true }));
    for (const d of created.reverse()) attempt(() => fs.rmSync(d, { recursive: true, force: true }));
    throw e;
  }
}

function attempt(undo: () => void): void {
  try {
    undo();
  } catch {
    // Nothing to undo there (the temporary file was never created, say).
  }
}
