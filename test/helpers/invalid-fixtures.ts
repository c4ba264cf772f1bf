/** The invalid fixtures of test/fixtures/invalid (one mistake per folder), read as the spec rules read them. */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { specSchema } from "../../servicespec/schema";
import { crossFieldIssues } from "../../servicespec/rules";
import { policySettingsNear, securityIssues } from "../../servicespec/security-rules";

export const INVALID_FIXTURES = path.join(__dirname, "..", "fixtures", "invalid");

/**
 * The named rules a fixture breaks: the cross-field ones, and with `security` the security ones too (with the
 * settings of the Pulumi.yaml nearest the fixture, as msp validate finds them). The schema must accept the
 * fixture: the rules run after it.
 */
export function rulesBrokenBy(folder: string, options: { security?: boolean } = {}): string[] {
  const dir = path.join(INVALID_FIXTURES, folder, fs.readdirSync(path.join(INVALID_FIXTURES, folder))[0]!);
  const parsed = specSchema.safeParse(parse(fs.readFileSync(path.join(dir, "service.yaml"), "utf8")));
  assert.ok(parsed.success, `${folder}: the schema rejects it: ${parsed.error?.message}`);
  const issues = [
    ...crossFieldIssues(parsed.data),
    ...(options.security ? securityIssues(parsed.data, policySettingsNear(dir)) : []),
  ];
  return [...new Set(issues.map((i) => i.rule ?? "(unnamed)"))].sort();
}
