import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { buildOnce, msp, REPO } from "../helpers/cli";
import { progress } from "../../cli/progress";

const STEPS = [
  /^msp: loading the Pulumi, GCP and Cloudflare SDKs \(\d+\.\d s\)$/,
  /^msp: running the stack program of releaseregistry-prod offline, as pulumi preview and as pulumi up \(\d+\.\d s\)$/,
  /^msp: checking the policy pack \(test\) \(\d+\.\d s\)$/,
];

describe("msp preview progress", function () {
  this.timeout(60_000);

  it("prints its steps on a terminal, in order, before the plan and before the verdict", () => {
    buildOnce();
    // `script` runs the command on a pseudo-terminal, as a person's shell does (util-linux, in Debian's base).
    const command = [process.execPath, path.join(REPO, "bin", "msp.js"), "preview", "releaseregistry-prod"]
      .map((a) => `'${a}'`)
      .join(" ");
    const r = spawnSync("script", ["-q", "-e", "-c", command, "/dev/null"], { cwd: REPO, encoding: "utf8" });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const lines = r.stdout.split(/\r?\n/);
    const at = STEPS.map((re) => lines.findIndex((l) => re.test(l)));
    assert.ok(
      at.every((i) => i >= 0),
      `missing steps in:\n${lines.slice(0, 5).join("\n")}`,
    );
    assert.deepEqual(
      [...at].sort((a, b) => a - b),
      at,
      "in order",
    );
    assert.ok(at[1]! < lines.findIndex((l) => /^\s*Type\s+Name/.test(l)), "before the plan");
    assert.ok(at[2]! < lines.findIndex((l) => l.startsWith("Policies: msp pack")), "before the verdict");
  });

  it("is silent when standard error is not a terminal (pipes, CI, tests)", () => {
    const r = msp(["preview", "releaseregistry-prod"]);
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr + r.stdout, /^msp: /m);
  });

  it("writes one timed line per step, only to a terminal", () => {
    const written: string[] = [];
    progress({ isTTY: true, write: (s: string) => written.push(s) })("doing it");
    progress({ isTTY: false, write: (s: string) => written.push(s) })("not shown");
    assert.equal(written.length, 1);
    assert.match(written[0]!, /^msp: doing it \(\d+\.\d s\)\n$/);
  });
});
