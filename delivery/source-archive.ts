/**
 * Packs the skaffold source of a release into `source.tar.gz` (with node-tar): the same files always give
 * the same bytes (portable headers, fixed modification time, sorted names), so a release's archive can be
 * compared and its digest printed.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tar from "tar";

export const SOURCE_ARCHIVE = "source.tar.gz";
const EPOCH = new Date(0);

export interface WrittenArchive {
  /** Absolute path of source.tar.gz. */
  file: string;
  /** sha256 of the archive, hex. */
  sha256: string;
  /** The files in it, in order. */
  entries: string[];
}

/** Writes `files` under `dir/source/` and packs them into `dir/source.tar.gz`. */
export function writeSourceArchive(dir: string, files: Record<string, string>): WrittenArchive {
  const staging = path.join(dir, "source");
  fs.mkdirSync(staging, { recursive: true });
  const entries = Object.keys(files).sort();
  for (const name of entries) {
    const target = path.join(staging, name);
    fs.writeFileSync(target, files[name]!, { mode: 0o644 });
    fs.utimesSync(target, EPOCH, EPOCH);
  }
  const file = path.resolve(dir, SOURCE_ARCHIVE);
  tar.create(
    { gzip: true, cwd: staging, file, sync: true, portable: true, mtime: EPOCH, noDirRecurse: true },
    entries,
  );
  return { file, sha256: createHash("sha256").update(fs.readFileSync(file)).digest("hex"), entries };
}

/** The files of an archive with their text (for tests and `--print` checks). */
export function readSourceArchive(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  tar.list({
    file,
    sync: true,
    onReadEntry: (entry) => {
      const chunks: Buffer[] = [];
      entry.on("data", (c: Buffer) => chunks.push(c));
      entry.on("end", () => (out[entry.path] = Buffer.concat(chunks).toString("utf8")));
    },
  });
  return out;
}
