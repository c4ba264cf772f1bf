/**
 * The coverage table against Checkov's GCP checks and the CIS GCP Foundations benchmark: every check has a
 * status, covered ids are demonstrated by a failing fixture of the policy claiming them, and the generated
 * README shows it all.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { POLICIES } from "../../policy/policies";
import { mandatory } from "../../policy-emulator/evaluate";
import {
  CHECKOV_GCP,
  CIS_GCP,
  COVERAGE_ID,
  appliesToPlatform,
  unknownCreatedTypes,
} from "../../policy/coverage";
import { coveredIds, coverageIndex, policyReadme, statusOf } from "../../policy-emulator/generate";
import { messages, runViolation, type PolicyCase } from "../helpers/policy";
import { REPO } from "../helpers/cli";
import { NAMING_CASES } from "./cases/naming";
import { EDGE_CASES } from "./cases/edge";
import { DATA_CASES } from "./cases/data";
import { SECURITY_CASES } from "./cases/security";
import { COST_CASES } from "./cases/cost";

const CASES: Record<string, PolicyCase> = {
  ...NAMING_CASES,
  ...EDGE_CASES,
  ...DATA_CASES,
  ...SECURITY_CASES,
  ...COST_CASES,
};
const ALL = [...CHECKOV_GCP, ...CIS_GCP];

describe("coverage against Checkov and CIS", () => {
  it("every policy has fixtures in exactly one group", () => {
    const groups = [NAMING_CASES, EDGE_CASES, DATA_CASES, SECURITY_CASES, COST_CASES].flatMap(Object.keys);
    assert.equal(new Set(groups).size, groups.length, "a policy's cases appear in two groups");
    assert.deepEqual(groups.sort(), POLICIES.map((p) => p.name).sort());
  });

  it("lists each check once, with a well-formed id", () => {
    const ids = ALL.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, COVERAGE_ID);
    assert.ok(CHECKOV_GCP.length >= 160, `only ${CHECKOV_GCP.length} Checkov checks`);
    assert.ok(CIS_GCP.length >= 80, `only ${CIS_GCP.length} CIS recommendations`);
  });

  it("claims only ids that exist in the catalogue", () => {
    const known = new Set(ALL.map((c) => c.id));
    for (const p of POLICIES)
      for (const id of coveredIds(p)) assert.ok(known.has(id), `${p.name} claims unknown id ${id}`);
  });

  it("gives every check a status: covered, or not applicable with a reason (never both)", () => {
    const index = coverageIndex();
    for (const c of ALL) {
      const s = statusOf(c, index);
      assert.ok(s, `${c.id} (${c.title}) is neither covered nor marked not applicable`);
      if (s.kind === "covered")
        assert.equal(
          c.notApplicable,
          undefined,
          `${c.id} is covered by ${s.policies.join(", ")} and marked not applicable`,
        );
      else assert.ok(s.reason.length > 20, `${c.id}: the reason is too short`);
    }
  });

  it("covers, or explains in its own words, every check on a type the platform creates", () => {
    const index = coverageIndex();
    for (const c of ALL.filter((x) => !x.entities.length || appliesToPlatform(x))) {
      const s = statusOf(c, index)!;
      assert.ok(
        s.kind === "covered" || !s.generated,
        `${c.id} applies to the platform but has no own reason`,
      );
    }
  });

  it("maps created Terraform types to types the platform really creates", () => {
    assert.deepEqual(unknownCreatedTypes(), []);
  });

  for (const policy of POLICIES) {
    const ids = coveredIds(policy);
    if (!ids.length) continue;
    it(`${policy.name}: each id it covers is shown by a failing fixture (${ids.join(", ")})`, () => {
      const c = CASES[policy.name]!;
      const shown = new Set<string>();
      for (const v of c.violations) {
        for (const id of v.ids ?? []) {
          assert.ok(
            ids.includes(id),
            `fixture "${v.label}" declares ${id}, which ${policy.name} does not claim`,
          );
          shown.add(id);
        }
        if (!v.ids?.length) continue;
        const r = runViolation(policy, c, v);
        assert.ok(
          messages({ ...r, violations: mandatory(r) }, policy).some((m) => v.expect.test(m)),
          `fixture "${v.label}" does not fail ${policy.name}`,
        );
      }
      assert.deepEqual(
        ids.filter((id) => !shown.has(id)),
        [],
        "ids claimed without a fixture demonstrating them",
      );
    });
  }

  it("policy/README.md carries the generated coverage table (npx msp policy docs)", () => {
    const readme = fs.readFileSync(path.join(REPO, "policy", "README.md"), "utf8");
    assert.equal(readme, policyReadme());
    for (const c of ALL) assert.ok(readme.includes(`| ${c.id} |`), `${c.id} missing from the README`);
    assert.doesNotMatch(readme, /\*\*not covered\*\*/);
  });
});
