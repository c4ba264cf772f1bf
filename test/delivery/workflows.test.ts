import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { parse } from "yaml";
import { REPO } from "../helpers/cli";

const DIR = path.join(REPO, ".github", "workflows");
const read = (f: string) => fs.readFileSync(path.join(DIR, f), "utf8");

describe("GitHub workflows", () => {
  for (const f of ["preview.yml", "deploy.yml", "deploy-stack.yml", "drift.yml"])
    it(`${f} is a valid workflow (action-validator, GitHub's JSON schema)`, () => {
      assert.deepEqual(validateWorkflow(read(f)).errors, []);
    });

  it("rejects an invalid workflow (the validator can fail)", () => {
    assert.notDeepEqual(
      validateWorkflow("on: push\njobs:\n  x:\n    runs-on: 1\n    steps: nope\n").errors,
      [],
    );
  });

  it("previews with the policy pack and the category config, one updated comment per stack", () => {
    const steps = parse(read("preview.yml")).jobs.stack.steps as {
      uses?: string;
      with?: Record<string, unknown>;
      if?: string;
    }[];
    const pulumi = steps.find((s) => s.uses?.startsWith("pulumi/actions"))!;
    assert.equal(pulumi.with!.policyPacks, "policy");
    assert.match(
      String(pulumi.with!.policyPackConfigs),
      /policy\/config\/\$\{\{ matrix\.category \}\}\.json/,
    );
    assert.equal(pulumi.with!["comment-on-pr"], true);
    assert.equal(pulumi.with!["edit-pr-comment"], true);
    assert.match(String(pulumi.if), /HAS_CLOUD == 'true'/);
    assert.ok(
      steps.some((s) => s.uses?.startsWith("google-github-actions/auth")),
      "workload identity federation",
    );
    assert.doesNotMatch(read("preview.yml"), /credentials_json|GOOGLE_CREDENTIALS/, "no long-lived keys");
  });

  it("deploys test before internal before external, external behind a GitHub environment", () => {
    const jobs = parse(read("deploy.yml")).jobs as Record<
      string,
      { needs?: string[]; with?: Record<string, string> }
    >;
    assert.deepEqual(jobs.internal!.needs, ["plan", "test"]);
    assert.deepEqual(jobs.external!.needs, ["plan", "internal"]);
    assert.equal(jobs.external!.with!.environment, "external");
    assert.equal(parse(read("deploy-stack.yml")).jobs.up.environment, "${{ inputs.environment }}");
  });
});
