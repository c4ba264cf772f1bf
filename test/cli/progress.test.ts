/**
 * msp preview's progress lines. Runners: a spawned process on a pseudo-terminal for the lines a person sees (the
 * terminal is the subject, and bin/msp.js prints the first line); in-process (mspInProcess) for the piped run,
 * whose standard error is a pipe there too (test/cli/in-process.e2e.test.ts checks a piped preview gives the same
 * bytes both ways, bin/msp.js's part included).
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { buildOnce, mspInProcess, REPO } from "../helpers/cli";
import { stripVTControlCharacters } from "node:util";
import { progress } from "../../cli/progress";

/** Removed from the environment: the command decides from the stream alone. */
const NO_COLOUR_VARIABLES = { NO_COLOR: undefined, CI: undefined, FORCE_COLOR: undefined };

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
    // No colour variables, as in a person's shell (CI sets CI, the test helper NO_COLOR).
    const env = { ...process.env, ...NO_COLOUR_VARIABLES, TERM: "xterm" };
    const r = spawnSync("script", ["-q", "-e", "-c", command, "/dev/null"], {
      cwd: REPO,
      encoding: "utf8",
      env,
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const lines = stripVTControlCharacters(r.stdout).split(/\r?\n/);
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
    assert.ok(at[2]! < lines.findIndex((l) => l.startsWith("✔ Policies: msp pack")), "before the verdict");
    // The plan in colour: creates in green, protected resources in cyan, headings in bold.
    assert.ok(r.stdout.includes("\x1b[32m + \x1b[39m"), "green + markers");
    assert.ok(r.stdout.includes("\x1b[36m(protected)\x1b[39m"), "protected in cyan");
    assert.match(r.stdout, /\x1b\[1mResources:\x1b\[22m/);
    assert.match(r.stdout, /\x1b\[32m\+ \d+ to create\x1b\[39m \x1b\[36m\(\d+ protected from deletion\)/);
  });

  it("is silent, and plain, when its output is not a terminal (pipes, CI, tests)", async () => {
    const r = await mspInProcess(["preview", "releaseregistry-prod"], REPO, NO_COLOUR_VARIABLES);
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr + r.stdout, /^msp: /m);
    assert.ok(!(r.stderr + r.stdout).includes("\x1b["), "no escape codes in a pipe");
    assert.match(r.stdout, /^ \+  │  ├─ gcp:organizations:Project +project +create \(protected\)$/m);
    assert.match(r.stdout, /^Policies: msp pack \(test\): 0 mandatory, 0 advisory violation\(s\)$/m);
  });

  it("writes one timed line per step, only to a terminal", () => {
    const written: string[] = [];
    progress({ isTTY: true, write: (s: string) => written.push(s) })("doing it");
    progress({ isTTY: false, write: (s: string) => written.push(s) })("not shown");
    assert.equal(written.length, 1);
    assert.match(written[0]!, /^msp: doing it \(\d+\.\d s\)\n$/);
  });
});
