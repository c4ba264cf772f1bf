/**
 * `msp contract` and the README's container contract section: both render platform/container-contract.ts's table.
 * Runner: in-process (mspInProcess), on the tests' own fleet.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { FLEET_SERVICES, mspInProcess, REPO } from "../helpers/cli";
import {
  platformContractMarkdown,
  README_CONTRACT_BEGIN,
  README_CONTRACT_END,
} from "../../handbook/contract";
import { environmentContract } from "../../resolve/contract";
import { fleetEnvironment } from "../helpers/stacks";

describe("msp contract", () => {
  it("prints one environment's contract with the owners' secrets and their commands", async () => {
    const r = await mspInProcess(["contract", "accounts", "prod", "--services", FLEET_SERVICES]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Port {4}9992 \(http1\); Cloud Run sets PORT$/m);
    assert.match(r.stdout, /^Probes {2}GET \/-\/healthz with Authorization: Bearer \$DIAGNOSTICS_SECRET;/m);
    assert.match(r.stdout, /^ {2}PGINSTANCE +platform +accounts-prod-csvc:us-west1:postgresql-[0-9a-f]{4}$/m);
    assert.match(
      r.stdout,
      /^ {2}ACCOUNTS_IDP_CLIENT_SECRET +sourcegraph-secrets +owner +env IDENTITY_PROVIDER_CLIENT_SECRET$/m,
    );
    assert.match(
      r.stdout,
      /^ {2}gcloud secrets versions add ACCOUNTS_SIGNING_KEY --project=accounts-prod-csvc --data-file=-$/m,
    );
  });

  it("--format json is the environment's contract; without an environment, every one", async () => {
    const one = await mspInProcess([
      "contract",
      "accounts",
      "prod",
      "--format",
      "json",
      "--services",
      FLEET_SERVICES,
    ]);
    assert.equal(one.status, 0, one.stderr);
    assert.deepEqual(
      JSON.parse(one.stdout),
      JSON.parse(JSON.stringify(environmentContract(fleetEnvironment("accounts-prod")))),
    );
    const all = await mspInProcess(["contract", "pings", "--format", "json", "--services", FLEET_SERVICES]);
    assert.deepEqual(
      (JSON.parse(all.stdout) as { stack: string }[]).map((c) => c.stack),
      ["pings-dev", "pings-prod"],
    );
  });

  it("refuses an unknown environment with the ones there are (exit 2)", async () => {
    const r = await mspInProcess(["contract", "accounts", "staging", "--services", FLEET_SERVICES]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /service "accounts" has no environment "staging"; environments: prod/);
  });

  it("the README's container contract section is the table", async () => {
    const readme = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
    const from = readme.indexOf(README_CONTRACT_BEGIN);
    const to = readme.indexOf(README_CONTRACT_END);
    assert.ok(from >= 0 && to > from, "README.md has the container contract markers");
    assert.equal(
      readme.slice(from + README_CONTRACT_BEGIN.length, to).trim(),
      platformContractMarkdown(),
      "README.md's container contract is stale: put the output of `npx msp contract --format markdown` between its markers",
    );
    const r = await mspInProcess(["contract", "--format", "markdown"]);
    assert.equal(r.stdout.trim(), platformContractMarkdown());
    for (const name of [
      "PGINSTANCE",
      "PGUSER",
      "REDIS_ENDPOINT",
      "DIAGNOSTICS_SECRET",
      "K_SERVICE",
      "CLOUD_RUN_TASK_COUNT",
    ])
      assert.match(platformContractMarkdown(), new RegExp(`\\| \`${name}\` `));
  });
});
