import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  jsonDepth,
  parentCycles,
  readStackExport,
  StackExportError,
  MAX_EXPORT_DEPTH,
} from "../../engine/read-export";

describe("readStackExport (guarded stack export reader)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "msp-read-export-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, doc: unknown) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, typeof doc === "string" || Buffer.isBuffer(doc) ? doc : JSON.stringify(doc));
    return f;
  };
  const problem = (file: string, options = {}) => {
    try {
      readStackExport(file, options);
    } catch (e) {
      assert.ok(e instanceof StackExportError, `a StackExportError, not ${String(e)}`);
      assert.equal(e.file, file);
      return e.problem;
    }
    assert.fail(`${file} was accepted`);
  };

  it("reads ours and the real CLI's shape; a missing resources list is an empty stack", () => {
    const ours = write("ours.json", {
      version: 3,
      deployment: {
        manifest: { time: "x", magic: "y", version: "v3" },
        resources: [
          { urn: "urn:a", type: "pulumi:pulumi:Stack", custom: false },
          { urn: "urn:b", type: "gcp:x/y:Z", custom: true, parent: "urn:a", protect: true, inputs: { a: 1 } },
        ],
      },
    });
    assert.equal(readStackExport(ours).deployment.resources.length, 2);
    assert.deepEqual(
      readStackExport(write("empty.json", { version: 3, deployment: {} })).deployment.resources,
      [],
    );
  });

  it("refuses what is not a regular file, before reading it", () => {
    assert.match(problem(path.join(dir, "nope.json")), /file not found/);
    assert.match(problem(dir), /not a regular file \(a directory\)/);
    assert.match(problem("/dev/zero"), /not a regular file \(a device\)/);
    const fifo = path.join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    // Opening a FIFO would block forever: it must be refused from its stat alone.
    assert.match(problem(fifo), /not a regular file \(a named pipe\)/);
    const link = path.join(dir, "link.json");
    fs.symlinkSync("/dev/zero", link);
    assert.match(problem(link), /a device/);
  });

  it("refuses files over the size cap from their size alone (a sparse 65 MiB file is never read)", () => {
    const sparse = path.join(dir, "huge.json");
    fs.writeFileSync(sparse, "");
    fs.truncateSync(sparse, 65 * 1024 * 1024);
    assert.match(problem(sparse), /68157440 bytes, over the 67108864-byte limit/);
    assert.match(problem(write("small.json", "[]"), { maxBytes: 1 }), /over the 1-byte limit/);
  });

  it("bounds the nesting depth before parsing: 200,000 nested arrays give an error, not a stack overflow", () => {
    const deep = write("deep.json", "[".repeat(200_000) + "]".repeat(200_000));
    assert.match(problem(deep), new RegExp(`deeper than ${MAX_EXPORT_DEPTH} levels`));
    assert.equal(
      jsonDepth('{"a": "[[[[", "b": [[1]], "c": "\\\\\\"["}'),
      3,
      "brackets in strings do not count",
    );
  });

  it("checks the shape: an object, deployment.resources an array of objects with string urn and type", () => {
    assert.match(problem(write("bad.json", "{")), /invalid JSON/);
    assert.match(problem(write("latin1.json", Buffer.from([0x7b, 0xff, 0x7d]))), /not UTF-8/);
    assert.match(problem(write("array.json", [])), /must be a JSON object/);
    assert.match(problem(write("nodep.json", { version: 3 })), /no deployment object/);
    assert.match(problem(write("res.json", { deployment: { resources: {} } })), /resources must be an array/);
    const p = problem(
      write("items.json", {
        deployment: {
          resources: [
            1,
            { urn: "", type: "t" },
            { urn: "u", type: 5 },
            { urn: "v", type: "t", inputs: [], protect: "yes", parent: 3, ignoreChanges: [1] },
            { urn: "w", type: "t" },
            { urn: "w", type: "t" },
          ],
        },
      }),
    );
    for (const m of [
      /resources\[0\] must be an object/,
      /resources\[1\]\.urn must be a non-empty string/,
      /resources\[2\]\.type must be a non-empty string/,
      /resources\[3\]\.inputs must be an object/,
      /resources\[3\]\.parent must be a string/,
      /resources\[3\]\.protect must be true or false/,
      /resources\[3\]\.ignoreChanges must be an array of strings/,
      /resources\[5\]: duplicate urn w/,
    ])
      assert.match(p, m);
  });

  it("detects parent cycles, including long chains, and reports each resource in a cycle", () => {
    const cycle = write("cycle.json", {
      deployment: {
        resources: [
          { urn: "root", type: "t" },
          { urn: "a", type: "t", parent: "c" },
          { urn: "b", type: "t", parent: "a" },
          { urn: "c", type: "t", parent: "b" },
          { urn: "d", type: "t", parent: "a" },
          { urn: "self", type: "t", parent: "self" },
        ],
      },
    });
    assert.match(
      problem(cycle),
      /resource a is its own ancestor[\s\S]*resource b[\s\S]*resource c[\s\S]*resource self/,
    );
    // A 100,000-long chain ending in a parent that is not in the export is fine (and fast: no recursion).
    const chain = Array.from({ length: 100_000 }, (_, i) => ({
      urn: `r${i}`,
      parent: i ? `r${i - 1}` : "outside",
    }));
    assert.deepEqual(parentCycles(chain), []);
    chain[0]!.parent = "r99999";
    assert.equal(parentCycles(chain).length, 100_000);
  });
});
