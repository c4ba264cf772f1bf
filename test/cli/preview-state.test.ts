import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { mspInProcess } from "../helpers/cli";
import type { StackExport } from "../../engine/export";

describe("msp preview --state", function () {
  this.timeout(60_000);
  let dir: string;
  let state: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "msp-state-"));
    state = path.join(dir, "state.json");
    assert.equal((await mspInProcess(["preview", "pings-dev", "--json", state])).status, 0);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("against the state its own first deploy leaves: no changes, every resource unchanged", async () => {
    const r = await mspInProcess(["preview", "pings-dev", "--state", state]);
    assert.equal(r.status, 0, r.stderr);
    const total = (JSON.parse(fs.readFileSync(state, "utf8")) as StackExport).deployment.resources.length;
    assert.match(
      r.stdout,
      /against the state in .*state\.json:\n\n {4}no changes: the plan matches the state\n/,
    );
    assert.match(r.stdout, new RegExp(`\\nResources:\\n {4}${total} unchanged\\n`));
    assert.match(r.stdout, /Policies: msp pack \(test\)/, "the policy pack still runs");
  });

  it("against an edited state: updates with their inputs, replacements, creates and deletes, counted as Pulumi does", async () => {
    const doc = JSON.parse(fs.readFileSync(state, "utf8")) as StackExport;
    const all = doc.deployment.resources;
    const find = (type: string) => all.find((r) => r.type === type)!;
    const dashboard = find("gcp:monitoring/dashboard:Dashboard");
    dashboard.outputs!.dashboardJson = JSON.stringify({ displayName: "old" });
    const account = find("gcp:serviceaccount/account:Account");
    account.outputs!.accountId = "old-sa";
    const topic = find("gcp:projects/service:Service");
    all.push({ ...topic, urn: `${topic.urn}-gone` });
    all.splice(all.indexOf(find("gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig")), 1);
    const edited = path.join(dir, "edited.json");
    fs.writeFileSync(edited, JSON.stringify(doc));
    const r = await mspInProcess(["preview", "pings-dev", "--state", edited, "--diff"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      /^ ~ .*gcp:monitoring:Dashboard +monitoring-dashboard +update +\[diff: ~dashboardJson\]$/m,
    );
    assert.match(r.stdout, /^ \+- .*gcp:serviceaccount:Account +\S+ +replace +\[diff: ~accountId\]$/m);
    assert.match(r.stdout, /^ - .*gcp:projects:Service +\S+-gone +delete/m);
    assert.match(r.stdout, /^ \+ .*gcp:monitoring:UptimeCheckConfig +\S+ +create$/m);
    assert.match(r.stdout, /^ {6}accountId: "old-sa" => "pings-sa"$/m);
    // The account's new email is known only after its replacement: the stack output secret holding it
    // (iam_cloud_run_service_account) gets a new version, as pulumi preview shows.
    assert.match(
      r.stdout,
      /^ \+- .*gcp:secretmanager:SecretVersion +stack-outputs-iam_cloud_run_service_account-version +replace +\[diff: ~secretData\]$/m,
    );
    assert.match(
      r.stdout,
      /^ {4}\+ 1 to create\n {4}~ \d+ to update\n {4}\+-2 to replace\n {4}- 1 to delete\n {4}\d+ changes\. \d+ unchanged$/m,
    );
  });

  it("refuses what is not this stack's state after apply, as a usage error", async () => {
    const preview = path.join(dir, "preview.json");
    assert.equal((await mspInProcess(["preview", "pings-dev", "--preview-json", preview])).status, 0);
    const cases: [string[], RegExp][] = [
      [
        ["preview", "pings-dev", "--state", path.join(dir, "missing.json")],
        /--state: cannot read stack export .*file not found/,
      ],
      [["preview", "pings-dev", "--state", preview], /it is a preview \(--preview-json/],
      [["preview", "pings-prod", "--state", state], /it is the state of stack pings-dev, not pings-prod/],
      [["preview", "--all", "--state", state], /--state are about one stack/],
    ];
    for (const [args, message] of cases) {
      const r = await mspInProcess(args);
      assert.equal(r.status, 2, args.join(" "));
      assert.match(r.stderr, message);
    }
  });
});
