/** The shared argument validators: an argument that names something never becomes a path elsewhere. */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  environmentIdArgument,
  outputArgument,
  serviceIdArgument,
  stackNameArgument,
  writeOutput,
} from "../../cli/arguments";
import { UsageError } from "../../cli/errors";

describe("command argument validators", () => {
  it("service IDs follow the spec's pattern: nothing that walks the file system", () => {
    for (const ok of ["pings", "cody-analytics", "a", "x".repeat(20)])
      assert.equal(serviceIdArgument(ok), ok);
    for (const bad of ["", "..", "../../x/svc", "pings/../pings", "/etc", "Pings", "x".repeat(21), "a b"])
      assert.throws(() => serviceIdArgument(bad), UsageError, bad);
  });

  it("environment IDs are lowercase letters, digits and '-' inside", () => {
    assert.equal(environmentIdArgument("prod"), "prod");
    assert.equal(environmentIdArgument("prod-eu"), "prod-eu");
    for (const bad of ["", "..", "-prod", "prod-", "pr_od", "PROD", "../prod", "x".repeat(31)])
      assert.throws(() => environmentIdArgument(bad), UsageError, bad);
  });

  it("stack names are <service>-<env>", () => {
    assert.equal(stackNameArgument("cody-analytics-prod"), "cody-analytics-prod");
    assert.equal(stackNameArgument("pings-prod-eu"), "pings-prod-eu");
    for (const bad of [
      "prod",
      "-prod",
      "pings-",
      "pings--",
      "../pings-prod",
      "pings-pr/od",
      "pings-prod_eu",
      "--json=-",
    ])
      assert.throws(() => stackNameArgument(bad), UsageError, bad);
  });

  it("messages cut long arguments", () => {
    assert.throws(
      () => serviceIdArgument("x".repeat(100_000)),
      (e: Error) => e.message.length < 200,
    );
  });

  it("an output option: - is standard output, a folder or an empty name is refused, a bad path is a usage error", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "msp-out-"));
    assert.deepEqual(outputArgument("-", "--json"), { stdout: true });
    assert.throws(() => outputArgument("", "--json"), /needs a file name/);
    assert.throws(() => outputArgument(dir, "--json"), /is a folder/);
    const file = path.join(dir, "x.json");
    assert.equal(writeOutput(outputArgument(file, "--json"), "{}"), file);
    assert.equal(fs.readFileSync(file, "utf8"), "{}");
    assert.throws(
      () => writeOutput({ file: path.join(dir, "no", "x.json") }, "{}"),
      /cannot write .* \(ENOENT\)/,
    );
  });
});
