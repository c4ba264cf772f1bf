/**
 * What each command loads (bin/msp.js and cli/main.ts): commands that need no Pulumi SDK never load one, and a
 * preview loads the SDKs but not the parts of them an offline preview never uses (pulumi-sdk/defer-sdk-modules.js).
 */
import * as assert from "node:assert/strict";
import { probe } from "../helpers/load-probe";
import { buildOnce, REPO } from "../helpers/cli";

const { DEFERRED } = require("../../pulumi-sdk/defer-sdk-modules.js") as {
  DEFERRED: Map<string, Map<string, unknown>>;
};

/** The packages pulumi-sdk/defer-sdk-modules.js keeps from loading, and spdx-correct, which only one of them loads. */
const DEFERRED_PACKAGES = [...[...DEFERRED.values()].flatMap((m) => [...m.keys()]), "spdx-correct"];

describe("what each msp command loads", function () {
  this.timeout(60_000);
  before(buildOnce);

  for (const args of [["--version"], ["validate"], ["schema"], ["contract", "releaseregistry", "prod"]])
    it(`msp ${args.join(" ")} loads no Pulumi SDK`, () => {
      const r = probe(REPO, args);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(r.sdks, []);
    });

  it("msp preview loads the Pulumi, GCP and Cloudflare SDKs, but not the SDK's function serialisation", () => {
    const r = probe(REPO, ["preview", "releaseregistry-prod"]);
    assert.equal(r.status, 0, r.stderr);
    for (const sdk of ["@pulumi/pulumi", "@pulumi/gcp", "@pulumi/cloudflare", "@pulumi/policy"])
      assert.ok(r.sdks.includes(sdk), `${sdk} not loaded: ${r.sdks.join(", ")}`);
    assert.deepEqual(
      r.packages.filter((p) => DEFERRED_PACKAGES.includes(p)),
      [],
    );
  });
});
