import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { mspInProcess } from "../helpers/cli";
import { planOf } from "../helpers/stacks";
import { findingsFor, renderFirstDeploy } from "../../cli/commands/first-deploy";
import { PLAIN } from "../../cli/terminal";

describe("msp preview: the First deploy section and --deploy-ready", function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "msp-first-deploy-"));
  const deployed = path.join(dir, "deployed.json");
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("on the example repository: exits 0 and says plainly what a real deploy still needs", async () => {
    const r = await mspInProcess(["preview", "releaseregistry-prod", "--json", deployed]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      /^First deploy: the first real `pulumi up` of releaseregistry-prod would stop here \(3\):$/m,
    );
    assert.match(r.stdout, /billing account 000000-000000-000000 cannot exist/);
    assert.match(
      r.stdout,
      /^ {6}\$ gcloud secrets versions add RELEASEREGISTRY_GITHUB_TOKEN --project=releaseregistry-prod-5421 --data-file=-$/m,
    );
    assert.match(
      r.stdout,
      /A real deploy still needs these; `msp preview releaseregistry-prod --deploy-ready` exits 1/,
    );
  });

  it("--deploy-ready exits 1 on the findings; a deployed state that had them meets them", async () => {
    const blocked = await mspInProcess(["preview", "releaseregistry-prod", "--deploy-ready"]);
    assert.equal(blocked.status, 1, blocked.stderr);
    assert.match(blocked.stdout, /Not ready to deploy: 3 finding\(s\) above \(--deploy-ready\)\./);
    const ready = await mspInProcess([
      "preview",
      "releaseregistry-prod",
      "--deploy-ready",
      "--deployed",
      deployed,
    ]);
    assert.equal(ready.status, 0, ready.stdout + ready.stderr);
    assert.match(
      ready.stdout,
      /First deploy: nothing found that stops the first real `pulumi up` of releaseregistry-prod\./,
    );
  });

  it("refuses the single-stack options with --all, and an unreadable deployed export, as usage errors", async () => {
    const all = await mspInProcess(["preview", "--all", "--deploy-ready"]);
    assert.equal(all.status, 2);
    assert.match(all.stderr, /use them without --all/);
    const missing = await mspInProcess([
      "preview",
      "releaseregistry-prod",
      "--deployed",
      path.join(dir, "none.json"),
    ]);
    assert.equal(missing.status, 2, missing.stdout);
    assert.match(missing.stderr, /cannot read stack export .*none\.json: file not found/);
  });

  it("--check-secrets-in-cloud: a version the cloud has meets the finding; one it lacks does not", async () => {
    const plan = await planOf("releaseregistry-prod");
    const asked: string[] = [];
    const lookup = (has: boolean) => (project: string, name: string, version: string) => {
      asked.push(`${project}/${name}@${version}`);
      return has;
    };
    const present = findingsFor(plan.resources, { checkSecretsInCloud: true }, lookup(true));
    assert.deepEqual(asked, ["releaseregistry-prod-5421/RELEASEREGISTRY_GITHUB_TOKEN@latest"]);
    assert.ok(!present.some((f) => f.secret));
    const absent = findingsFor(plan.resources, { checkSecretsInCloud: true }, lookup(false));
    assert.equal(absent.filter((f) => f.secret).length, 1);
    assert.equal(
      findingsFor(plan.resources, {}, lookup(true)).filter((f) => f.secret).length,
      1,
      "offline unless asked",
    );
    assert.deepEqual(renderFirstDeploy("x", [], {}, PLAIN), [
      "First deploy: nothing found that stops the first real `pulumi up` of x.",
    ]);
  });
});
