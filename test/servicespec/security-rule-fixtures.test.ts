/**
 * Every security rule of servicespec/security-rules.ts, by name, with the invalid fixture that breaks it: the
 * fixture must make that rule fire, and no other rule (security or cross-field), so that a rule that stops firing
 * (or fires for the wrong reason) fails here. The settings are those of the repository's Pulumi.yaml, found the
 * way `msp validate` finds them. test/servicespec/invalid-fixtures.test.ts checks the same fixtures' line and words.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { specSchema } from "../../servicespec/schema";
import {
  SECURITY_RULES,
  policySettingsNear,
  securityIssues,
  type SecurityRule,
} from "../../servicespec/security-rules";
import { INVALID_FIXTURES as ROOT, rulesBrokenBy } from "../helpers/invalid-fixtures";

/** The fixture folder (test/fixtures/invalid/<folder>) that breaks each rule. */
const FIXTURES: Record<SecurityRule, string> = {
  "iam-role-dangerous": "iam-role-escalation",
  "iam-permission-dangerous": "iam-permission-key-creation",
  "image-in-shared-secrets-project": "image-shared-secrets-project",
  "image-registry-not-allowed": "image-registry-not-allowed",
  "dataset-in-shared-secrets-project": "dataset-shared-secrets-project",
  "dataset-project-not-allowed": "dataset-project-not-allowed",
  "moving-tag-in-external-environment": "image-latest-external",
  "secret-in-shared-secrets-project": "secret-env-shared-project",
  "secret-project-not-allowed": "secret-volume-other-project",
  "subdomain-not-plain": "subdomain-wildcard",
  "subdomain-contains-zone": "subdomain-fqdn",
  "zone-not-plain": "zone-wildcard",
  "zone-not-allowed": "zone-not-allowed",
};

/** Other fixtures that break one security rule alone: each kind of dangerous role, permission and label. */
const MORE_FIXTURES: readonly [string, SecurityRule][] = [
  ["iam-role-admin", "iam-role-dangerous"],
  ["iam-permission-set-iam-policy", "iam-permission-dangerous"],
  ["subdomain-homoglyph", "subdomain-not-plain"],
  ["subdomain-punycode", "subdomain-not-plain"],
];

describe("security spec rules", () => {
  it("names 13 rules, each with an invalid fixture", () => {
    assert.equal(SECURITY_RULES.length, 13);
    assert.deepEqual(Object.keys(FIXTURES).sort(), [...SECURITY_RULES].sort());
    for (const folder of [...Object.values(FIXTURES), ...MORE_FIXTURES.map(([f]) => f)])
      assert.ok(fs.existsSync(path.join(ROOT, folder)), `test/fixtures/invalid/${folder} is missing`);
  });

  for (const rule of SECURITY_RULES)
    it(`${rule}: ${FIXTURES[rule]} breaks it, and only it`, () => {
      assert.deepEqual(rulesBrokenBy(FIXTURES[rule], { security: true }), [rule]);
    });

  for (const [folder, rule] of MORE_FIXTURES)
    it(`${rule}: ${folder} breaks it too, and only it`, () => {
      assert.deepEqual(rulesBrokenBy(folder, { security: true }), [rule]);
    });

  it("the example specs break none", () => {
    const services = path.join(__dirname, "..", "..", "services");
    for (const id of fs.readdirSync(services)) {
      const dir = path.join(services, id);
      const parsed = specSchema.parse(parse(fs.readFileSync(path.join(dir, "service.yaml"), "utf8")));
      assert.deepEqual(securityIssues(parsed, policySettingsNear(dir)), [], id);
    }
  });
});
