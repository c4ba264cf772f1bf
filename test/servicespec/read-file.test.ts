/** The bounded reader every input file goes through: regular files only, size-capped, inside their folder. */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { FileReadError, readRegularFile } from "../../servicespec/read-file";

function problemOf(f: () => unknown): FileReadError {
  try {
    f();
  } catch (e) {
    if (e instanceof FileReadError) return e;
    throw e;
  }
  assert.fail("expected a FileReadError");
}

describe("readRegularFile", () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "msp-read-"));
    fs.writeFileSync(path.join(dir, "ten.txt"), "0123456789");
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads a regular file of at most the cap", () => {
    assert.equal(readRegularFile(path.join(dir, "ten.txt"), { maxBytes: 10 }).toString(), "0123456789");
  });

  it("refuses a file over the cap without returning its bytes", () => {
    const e = problemOf(() => readRegularFile(path.join(dir, "ten.txt"), { maxBytes: 9 }));
    assert.equal(e.problem, "too-large");
    assert.match(e.message, /file is 10 bytes; the limit is 9 bytes/);
  });

  it("refuses character devices before reading: /dev/zero never ends", () => {
    const e = problemOf(() => readRegularFile("/dev/zero", { maxBytes: 1024 }));
    assert.equal(e.problem, "not-regular");
    assert.match(e.message, /is a character device, not a regular file/);
  });

  it("refuses a FIFO without blocking on it", () => {
    const fifo = path.join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    const e = problemOf(() => readRegularFile(fifo, { maxBytes: 1024 }));
    assert.equal(e.problem, "not-regular");
    assert.match(e.message, /FIFO/);
  });

  it("refuses a directory and reports a missing file", () => {
    assert.match(problemOf(() => readRegularFile(dir, { maxBytes: 1024 })).message, /is a directory/);
    assert.equal(
      problemOf(() => readRegularFile(path.join(dir, "nope"), { maxBytes: 1 })).problem,
      "not-found",
    );
  });

  it("refuses a symlink whose target leaves the folder, and names no content of the target", () => {
    const inner = fs.mkdtempSync(path.join(dir, "tree-"));
    fs.symlinkSync("/etc/passwd", path.join(inner, "schema.json"));
    const e = problemOf(() =>
      readRegularFile(path.join(inner, "schema.json"), { maxBytes: 1 << 20, within: inner }),
    );
    assert.equal(e.problem, "outside");
    assert.match(e.message, /is a symlink to \/etc\/passwd, outside/);
    assert.doesNotMatch(e.message, /root:/);
  });

  it("follows a symlink that stays inside the folder, and reports a symlink loop", () => {
    const inner = fs.mkdtempSync(path.join(dir, "tree-"));
    fs.writeFileSync(path.join(inner, "real.json"), "[]");
    fs.symlinkSync("real.json", path.join(inner, "link.json"));
    assert.equal(
      readRegularFile(path.join(inner, "link.json"), { maxBytes: 10, within: inner }).toString(),
      "[]",
    );
    fs.symlinkSync("loop-b", path.join(inner, "loop-a"));
    fs.symlinkSync("loop-a", path.join(inner, "loop-b"));
    assert.match(
      problemOf(() => readRegularFile(path.join(inner, "loop-a"), { maxBytes: 10, within: inner })).message,
      /symlink loop/,
    );
  });
});
