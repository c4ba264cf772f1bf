/**
 * The deploy's announcement (issue 24.6): the Slack message for each action and outcome, in the environment's
 * alerts channel, escaped for Slack; `msp deploy-notice` prints it and refuses bad options all at once.
 */
import * as assert from "node:assert/strict";
import { deployNotice } from "../../delivery/deploy-notice";
import { mspInProcess } from "../helpers/cli";

const base = {
  service: "pings",
  env: "prod",
  commit: "0123456789abcdef0123456789abcdef01234567",
  runUrl: "https://github.com/acme/msp/actions/runs/42",
} as const;

describe("deploy notice", () => {
  it("says the result in the environment's alerts channel, with the run", () => {
    const ok = deployNotice({ ...base, action: "up", outcome: "success" });
    assert.equal(ok.channel, "#alerts-pings-prod");
    assert.equal(
      ok.text,
      ":white_check_mark: pings-prod deployed: `pulumi up` of 0123456789ab succeeded. <https://github.com/acme/msp/actions/runs/42|Workflow run and logs>",
    );
    assert.match(
      deployNotice({ ...base, action: "up", outcome: "failure" }).text,
      /^:x: pings-prod deploy failed/,
    );
    assert.match(
      deployNotice({ ...base, action: "up", outcome: "cancelled" }).text,
      /^:warning: pings-prod deploy cancelled/,
    );
    assert.match(
      deployNotice({ ...base, action: "destroy", outcome: "success" }).text,
      /pings-prod destroyed/,
    );
    assert.match(
      deployNotice({ ...base, action: "destroy", outcome: "failure" }).text,
      /destroy failed .* the stack is still there/,
    );
  });

  it("escapes Slack's control characters in the link", () => {
    const n = deployNotice({ ...base, action: "up", outcome: "success", runUrl: "https://x/?a=1&b=<2>" });
    assert.ok(n.text.endsWith("<https://x/?a=1&amp;b=&lt;2&gt;|Workflow run and logs>"), n.text);
  });

  it("msp deploy-notice prints the chat.postMessage body; bad options are refused together", async () => {
    const r = await mspInProcess([
      "deploy-notice",
      "pings",
      "prod",
      "--action",
      "up",
      "--outcome",
      "failure",
      "--commit",
      base.commit,
      "--run-url",
      base.runUrl,
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      ...deployNotice({ ...base, action: "up", outcome: "failure" }),
    });
    const bad = await mspInProcess([
      "deploy-notice",
      "pings",
      "prod",
      "--action",
      "apply",
      "--outcome",
      "success",
      "--commit",
      "main; rm -rf /",
      "--run-url",
      "javascript:alert(1)",
    ]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--action must be up, destroy, not "apply"/);
    assert.match(bad.stderr, /--commit must be a commit SHA/);
    assert.match(bad.stderr, /--run-url must be an https URL/);
  });
});
