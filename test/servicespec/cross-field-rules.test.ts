/**
 * Every cross-field rule of servicespec/rules.ts, by name, with the invalid fixture that breaks it: the fixture
 * must make that rule fire, and no other cross-field rule, so that a rule that stops firing (or fires for the
 * wrong reason) fails here. test/servicespec/invalid-fixtures.test.ts checks the same fixtures' line and words.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { specSchema } from "../../servicespec/schema";
import { CROSS_FIELD_RULES, crossFieldIssues, type CrossFieldRule } from "../../servicespec/rules";
import { INVALID_FIXTURES as ROOT, rulesBrokenBy } from "../helpers/invalid-fixtures";

/** The fixture folder (test/fixtures/invalid/<folder>) that breaks each rule. */
const FIXTURES: Record<CrossFieldRule, string> = {
  "environment-defined-twice": "environment-defined-twice",
  "display-name-too-long": "display-name-too-long",
  "notion-page-missing": "notion-page-missing",
  "project-id-wrong-prefix": "project-id-wrong-prefix",
  "project-id-missing-environment": "project-id-missing-env",
  "service-field-on-job": "service-field-on-job",
  "job-field-on-service": "job-field-on-service",
  "scaling-on-job": "scaling-on-job",
  "rollout-on-job": "rollout-on-job",
  "rollout-environment-not-staged": "rollout-env-not-listed",
  "probes-superseded": "probes-superseded",
  "mount-path-reused": "mount-path-reused",
  "reserved-variable": "env-reserved-platform-name",
  "env-also-secret": "env-also-secret",
  "env-template-invalid": "env-template-invalid",
  "domain-reused": "duplicate-domain",
  "stage-unknown-environment": "rollout-stage-unknown-env",
  "stage-not-rollout": "stage-not-rollout",
  "stage-repeated": "stage-repeated",
  "response-code-ratio-id-repeated": "response-code-ratio-id-repeated",
  "custom-alert-id-repeated": "custom-alert-id-repeated",
  "custom-alert-mql": "custom-alert-mql-every",
  "response-code-ratios-on-job": "response-code-ratios-on-job",
  "log-export-dataset-taken": "logging-dataset-taken",
};

describe("cross-field spec rules", () => {
  it("names 24 rules, each with an invalid fixture", () => {
    assert.equal(CROSS_FIELD_RULES.length, 24);
    assert.deepEqual(Object.keys(FIXTURES).sort(), [...CROSS_FIELD_RULES].sort());
    for (const folder of Object.values(FIXTURES))
      assert.ok(fs.existsSync(path.join(ROOT, folder)), `test/fixtures/invalid/${folder} is missing`);
  });

  for (const rule of CROSS_FIELD_RULES)
    it(`${rule}: ${FIXTURES[rule]} breaks it, and only it`, () => {
      assert.deepEqual(rulesBrokenBy(FIXTURES[rule]), [rule]);
    });

  it("the example specs break none", () => {
    const services = path.join(__dirname, "..", "..", "services");
    for (const id of fs.readdirSync(services)) {
      const parsed = specSchema.parse(
        parse(fs.readFileSync(path.join(services, id, "service.yaml"), "utf8")),
      );
      assert.deepEqual(crossFieldIssues(parsed), [], id);
    }
  });
});

/** A valid one-environment spec with `service` and `env` lines changed by the caller. */
function ruleOf(service: string, env: string): string[] {
  const text = `service:
  id: demo
${service}
  owners: [core-services]
  description: A demo service.
build:
  image: us.gcr.io/sourcegraph-dev/demo
  source: { repo: github.com/sourcegraph/demo, dir: "." }
environments:
  - category: test
    deploy: { type: manual }
    instances: { resources: { cpu: 1, memory: 1Gi } }
${env}
`;
  return crossFieldIssues(specSchema.parse(parse(text))).map((i) => i.rule!);
}

describe("cross-field spec rules: the edges", () => {
  it("a project display name of 30 characters fits, 31 does not", () => {
    // "<name> - prod": 23 + 7 = 30 characters.
    assert.deepEqual(ruleOf(`  name: ${"n".repeat(23)}`, "    id: prod\n    projectID: demo-prod-a1b2"), []);
    assert.deepEqual(ruleOf(`  name: ${"n".repeat(24)}`, "    id: prod\n    projectID: demo-prod-a1b2"), [
      "display-name-too-long",
    ]);
  });

  it("the project ID holds the environment ID between dashes, not as part of a word", () => {
    assert.deepEqual(ruleOf("  name: Demo", "    id: prod\n    projectID: demo-product-a1b2"), [
      "project-id-missing-environment",
    ]);
    assert.deepEqual(ruleOf("  name: Demo", "    id: prod\n    projectID: demos-prod-a1b2"), [
      "project-id-wrong-prefix",
    ]);
  });
});
