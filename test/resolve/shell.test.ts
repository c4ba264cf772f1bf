/** resolve/shell.ts: printed commands and comments, checked by running them through a real shell (issue 23, finding 5). */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { shellComment, shellLine, shellQuote } from "../../resolve/shell";

/** What `sh` receives as arguments when it runs `line` (each printed NUL-separated). */
function argvOf(line: string): string[] {
  const r = spawnSync("bash", ["-c", `set -f; args() { printf '%s\\0' "$@"; }; args ${line}`], {
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split("\0").slice(0, -1);
}

const HOSTILE = [
  "us.gcr.io/p/img\ntouch /tmp/pwned",
  "a'b",
  "$(touch /tmp/pwned)",
  "`id`",
  "a b; rm -rf ~",
  "x # not a comment",
  "",
  "tab\there",
  "esc\u001b[31mred",
  "line\u2028sep",
  "back\\slash'quote\nnew",
  "*",
];

describe("shell quoting of printed commands (resolve/shell.ts)", () => {
  it("every hostile value reaches the command as exactly one argument, and the line stays one line", () => {
    for (const v of HOSTILE) {
      const line = shellLine(["gcloud", v, "--flag=x"]);
      assert.ok(!/[\n\r\u2028\u2029]/.test(line), JSON.stringify(line));
      assert.deepEqual(argvOf(line), ["gcloud", v, "--flag=x"], JSON.stringify(v));
    }
  });

  it("leaves plain values as they are (the control)", () => {
    assert.equal(
      shellLine(["gcloud", "deploy", "--project=p-1", "gs://b/x/source.tar.gz"]),
      "gcloud deploy --project=p-1 gs://b/x/source.tar.gz",
    );
    assert.equal(shellQuote("a b"), "'a b'");
  });

  it("a comment stays a comment: values quoted, no line break survives", () => {
    const c = shellComment`Release ${"r1"} of ${"img\n rm -rf ~ #"} (${3} stages)`;
    assert.equal(c, "# Release r1 of $'img\\n rm -rf ~ #' (3 stages)");
    const r = spawnSync("bash", ["-c", `${c}\necho ok`], { encoding: "utf8" });
    assert.equal(r.stdout, "ok\n");
  });
});
