/**
 * msp validate: exit codes and messages. Runner: in-process (mspInProcess): the subject is the command's logic
 * and output; test/cli/in-process.e2e.test.ts runs validate through the bundle and checks both agree byte for byte.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { FLEET_SERVICES, mspInProcess, REPO } from "../helpers/cli";

describe("msp validate", () => {
  it("exits 0 on a valid fleet and counts its services and environments", async () => {
    const r = await mspInProcess(["validate", "--services", FLEET_SERVICES]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "5 services, 8 environments: all specs are valid\n");
  });

  it("exits 0 on the services in services/, whichever they are (one per folder)", async () => {
    const r = await mspInProcess(["validate"]);
    assert.equal(r.status, 0, r.stderr);
    const folders = fs
      .readdirSync(path.join(REPO, "services"), { withFileTypes: true })
      .filter((d) => d.isDirectory());
    assert.match(
      r.stdout,
      new RegExp(`^${folders.length} services, \\d+ environments: all specs are valid$`, "m"),
    );
  });

  it("exits 1 with file:line:col: field: message for an invalid spec", async () => {
    const r = await mspInProcess(["validate", "--services", "test/fixtures/invalid/cpu-too-high"]);
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /^test\/fixtures\/invalid\/cpu-too-high\/demo\/service\.yaml:25:14: environments\[0\]\.instances\.resources\.cpu: must be at most 8/m,
    );
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  });

  it("exits 2 with a one-line error for wrong arguments", async () => {
    const r = await mspInProcess(["validate", "--no-such-option"]);
    assert.equal(r.status, 2);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    const missing = await mspInProcess(["validate", "--services", "does/not/exist"]);
    assert.equal(missing.status, 2, "a missing services folder is unreadable input");
    assert.match(
      missing.stderr,
      /^error: services folder does\/not\/exist not found \(use --services DIR\)$/m,
    );
  });

  it("has --help", async () => {
    const r = await mspInProcess(["validate", "--help"]);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Usage: msp validate/);
  });
});
