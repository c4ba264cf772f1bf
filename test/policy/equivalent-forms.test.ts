/**
 * Equivalent forms get equal verdicts (issue 23, finding 9): the same risk has the same level whichever input
 * expresses it, and an export is judged on what it carries.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { POLICIES } from "../../policy/policies";
import { evaluatePolicies, type EvaluationResult } from "../../policy-emulator/evaluate";
import { categoryConfig } from "../../policy-emulator/generate";
import { checkExport, stackTags } from "../../policy-emulator/offline";
import { toStackExport } from "../../engine/export";
import { CATEGORIES } from "../../platform/categories";
import { res } from "../helpers/policy";
import { T } from "../../policy/types";
import { PROJECT, RUN, STACK } from "./cases/fixtures";
import { exampleServices, exampleStacks, planOf } from "../helpers/stacks";
import { findStack } from "../../program/stack";
import { mspInProcess } from "../helpers/cli";

const RANK = { disabled: 0, advisory: 1, mandatory: 2 } as const;
/** The loudest verdict on the stack, and the policies that gave it. */
function loudest(r: EvaluationResult): { level: keyof typeof RANK; policies: string[] } {
  const top = Math.max(0, ...r.violations.map((v) => RANK[v.level]));
  const level = (Object.keys(RANK) as (keyof typeof RANK)[]).find((k) => RANK[k] === top)!;
  return {
    level,
    policies: [...new Set(r.violations.filter((v) => RANK[v.level] === top).map((v) => v.policy))],
  };
}

describe("equivalent forms get equal verdicts", () => {
  const open = { ...RUN, ingress: "INGRESS_TRAFFIC_ALL" };
  const forms = {
    "an allUsers roles/run.invoker grant": [
      STACK,
      res(T.runService, open),
      res(T.runServiceIam, {
        project: PROJECT,
        location: "us-central1",
        name: RUN.name,
        role: "roles/run.invoker",
        member: "allUsers",
      }),
    ],
    "invokerIamDisabled: true on the service": [
      STACK,
      res(T.runService, { ...open, invokerIamDisabled: true }),
    ],
  };

  for (const category of CATEGORIES)
    it(`a directly reachable service anyone may invoke: the same level either way (${category})`, () => {
      const verdicts = Object.entries(forms).map(([form, resources]) => ({
        form,
        ...loudest(
          evaluatePolicies(
            POLICIES,
            resources,
            categoryConfig(category),
            stackTags("svc-prod", "svc", category),
          ),
        ),
      }));
      assert.equal(verdicts[0]!.level, "mandatory", "the grant");
      assert.equal(verdicts[1]!.level, verdicts[0]!.level, JSON.stringify(verdicts));
      assert.ok(verdicts[1]!.policies.includes("gcp-cloudrun-no-public-invoker"), "by the same policy");
    });

  it("the program's own provider settings are checked: an example stack's provider passes, redirected it fails", async () => {
    const stack = exampleStacks()[0]!;
    const t = findStack(exampleServices(), stack)!;
    const doc = structuredClone(toStackExport(await planOf(stack), "3"));
    const check = () =>
      checkExport(doc, t.service.spec.service.id, t.env.category).violations.filter(
        (v) => v.policy === "msp-provider-settings",
      );
    assert.deepEqual(check(), []);
    const provider = doc.deployment.resources.find((r) => r.type === "pulumi:providers:gcp")!;
    for (const props of [provider.inputs, provider.outputs])
      if (props) props.impersonateServiceAccount = "x@y.iam";
    const found = check();
    assert.equal(found.length, 1);
    assert.equal(found[0]!.level, "mandatory");
    assert.equal(found[0]!.urn, provider.urn);
  });

  describe("a resource exported with inputs and empty outputs is judged on its inputs", () => {
    const stack = exampleStacks()[0]!;
    const target = () => findStack(exampleServices(), stack)!;
    async function exportWith(outputs: Record<string, unknown> | undefined) {
      const doc = structuredClone(toStackExport(await planOf(stack), "3"));
      const root = doc.deployment.resources.find((r) => r.type === "pulumi:pulumi:Stack")!;
      const grant = {
        urn: root.urn.replace(
          /pulumi:pulumi:Stack::.*$/,
          "gcp:cloudrunv2/serviceIamMember:ServiceIamMember::sneaky",
        ),
        type: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
        custom: true,
        parent: root.urn,
        inputs: {
          project: "p",
          location: "us-central1",
          name: "svc",
          role: "roles/run.developer",
          member: "allUsers",
        },
        ...(outputs === undefined ? {} : { outputs }),
      };
      doc.deployment.resources.push(grant);
      return doc;
    }
    const publicGrant = (r: EvaluationResult) =>
      r.violations.filter((v) => v.policy === "gcp-cloudrun-no-public-invoker" && v.level === "mandatory");

    for (const [label, outputs] of [
      ["empty outputs", {}],
      ["no outputs", undefined],
    ] as const)
      it(`an allUsers grant of roles/run.developer with ${label}: mandatory, on the grant`, async () => {
        const t = target();
        const found = publicGrant(
          checkExport(await exportWith(outputs), t.service.spec.service.id, t.env.category),
        );
        assert.equal(found.length, 1, "one violation");
        assert.match(found[0]!.message, /allUsers is granted roles\/run.developer/);
        assert.match(found[0]!.urn!, /ServiceIamMember::sneaky$/);
      });

    it("msp policy check exits 1 on it", async () => {
      const t = target();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "msp-equivalent-"));
      try {
        const file = path.join(dir, "export.json");
        fs.writeFileSync(file, JSON.stringify(await exportWith({})));
        const r = await mspInProcess(["policy", "check", file, "--category", t.env.category]);
        assert.equal(r.status, 1, r.stdout + r.stderr);
        assert.match(r.stdout, /gcp-cloudrun-no-public-invoker/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it("outputs, when the export has them, still decide (a grant the provider normalised)", async () => {
      const t = target();
      const doc = await exportWith({ role: "roles/run.developer", member: "domain:example.com" });
      assert.deepEqual(publicGrant(checkExport(doc, t.service.spec.service.id, t.env.category)), []);
    });
  });
});
