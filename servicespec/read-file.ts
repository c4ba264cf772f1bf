/**
 * Bounded reading of input files. Every file msp reads from a services tree (specs, BigQuery table schemas)
 * or names on the command line goes through here, so that a hostile or broken input can neither hang the
 * command (a FIFO, a device, a file that keeps growing) nor exhaust memory (`/dev/zero`), nor lead it
 * outside the folder it was given (a symlink to another tree).
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** Why a file was not read; `message` names no content of the file, only its kind, size or location. */
export type ReadProblem = "not-found" | "not-regular" | "too-large" | "outside" | "unreadable";

export class FileReadError extends Error {
  override name = "FileReadError";
  constructor(
    readonly file: string,
    readonly problem: ReadProblem,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Input that cannot be read at all (a missing or empty services folder, a broken export file): the command
 * cannot do its job, which the CLI reports with exit code 2, like a usage mistake.
 */
export class UnreadableInputError extends Error {
  override name = "UnreadableInputError";
}

export interface ReadOptions {
  /** Refuse files larger than this (checked before reading, and again while reading). */
  maxBytes: number;
  /** Refuse files whose real path (symlinks resolved) is not inside this folder's real path. */
  within?: string;
}

/** What a non-regular file is, in words. */
export function fileKind(st: fs.Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}

/** True when `inner` is `outer` or lies below it (both absolute, normalised). */
export function isInside(outer: string, inner: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** The real path of `file` (symlinks resolved), checked to lie inside the real path of `root`. */
export function realPathWithin(file: string, root: string): string {
  let realRoot: string;
  let real: string;
  try {
    realRoot = fs.realpathSync(root);
    real = fs.realpathSync(file);
  } catch (e) {
    throw errnoProblem(file, e);
  }
  if (!isInside(realRoot, real))
    throw new FileReadError(
      file,
      "outside",
      `is a symlink to ${real}, outside ${root}: refused (files must stay inside the folder)`,
    );
  return real;
}

function errnoProblem(file: string, e: unknown): FileReadError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return new FileReadError(file, "not-found", "file not found");
  if (code === "ELOOP") return new FileReadError(file, "unreadable", "cannot read file (a symlink loop)");
  if (code === "ENOTDIR")
    return new FileReadError(file, "not-found", "file not found (a parent is not a folder)");
  return new FileReadError(file, "unreadable", `cannot read file (${code ?? "unknown error"})`);
}

/**
 * Reads a regular file of at most `maxBytes` bytes. Refuses, with a `FileReadError`, anything else: FIFOs,
 * devices, directories and sockets (checked before opening, and again on the open descriptor, which is opened
 * non-blocking so a FIFO swapped in meanwhile cannot block), files over the cap (checked with stat, then by
 * reading at most `maxBytes + 1` bytes, so a growing file cannot run away), and, with `within`, files whose
 * real path leaves that folder.
 */
export function readRegularFile(file: string, opts: ReadOptions): Buffer {
  const target = opts.within ? realPathWithin(file, opts.within) : file;
  let st: fs.Stats;
  try {
    st = fs.statSync(target);
  } catch (e) {
    throw errnoProblem(file, e);
  }
  if (!st.isFile()) throw new FileReadError(file, "not-regular", `is ${fileKind(st)}, not a regular file`);
  if (st.size > opts.maxBytes) throw tooLarge(file, st.size, opts.maxBytes);
  let fd: number;
  try {
    fd = fs.openSync(target, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    throw errnoProblem(file, e);
  }
  try {
    const again = fs.fstatSync(fd);
    if (!again.isFile())
      throw new FileReadError(file, "not-regular", `is ${fileKind(again)}, not a regular file`);
    // Sized for what stat said, grown if the file grew meanwhile, never past the cap plus one byte.
    let buf = Buffer.alloc(Math.min(again.size, opts.maxBytes) + 1);
    let length = 0;
    for (;;) {
      if (length === buf.length) {
        const bigger = Buffer.alloc(Math.min(buf.length * 2, opts.maxBytes + 1));
        buf.copy(bigger);
        buf = bigger;
      }
      const n = fs.readSync(fd, buf, length, buf.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > opts.maxBytes) throw tooLarge(file, undefined, opts.maxBytes);
    }
    return buf.subarray(0, length);
  } catch (e) {
    if (e instanceof FileReadError) throw e;
    throw errnoProblem(file, e);
  } finally {
    fs.closeSync(fd);
  }
}

function tooLarge(file: string, size: number | undefined, max: number): FileReadError {
  const limit = max >= 1024 * 1024 ? `${max / 1024 / 1024} MiB` : `${max} bytes`;
  return new FileReadError(
    file,
    "too-large",
    `file is ${size === undefined ? "larger than the limit" : `${size} bytes`}; the limit is ${limit}`,
  );
}
