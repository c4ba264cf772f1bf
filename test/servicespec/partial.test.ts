/**
 * The rules run on the parts of a spec that parse (servicespec/partial.ts): every mistake is reported at once, and a
 * stand-in for a refused value never produces a finding of its own.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { parseServiceSpec, SpecError, type SpecIssue } from "../../servicespec/loader";
import { REPO } from "../helpers/cli";

// Inside the repository: the rules read msp:allowedZones and msp:secretProjects from its Pulumi.yaml.
const FILE = path.join(REPO, "services", "demo", "service.yaml");

function issuesOf(text: string): SpecIssue[] {
  try {
    parseServiceSpec(FILE, new TextEncoder().encode(text));
  } catch (e) {
    if (e instanceof SpecError) return e.issues;
    throw e;
  }
  return [];
}
const fields = (issues: SpecIssue[]) => issues.map((i) => i.field);

const HEAD = `service:
  id: demo
  owners: [core-services]
  description: Demo.
  notionPageID: 0123456789abcdef0123456789abcdef
build:
  image: us.gcr.io/sourcegraph-dev/demo
  source: { repo: github.com/sourcegraph/demo, dir: "." }
environments:
`;

describe("rules on the parts that parse", () => {
  it("reports five mistakes at once: shape errors together with a disallowed zone and a secret project", () => {
    const issues = issuesOf(`${HEAD}  - id: prod
    projectID: demo-prod-a1b2
    category: tst
    deploy: { type: manual }
    domain:
      type: cloudflare
      cloudflare: { subdomain: demo, zone: example.com }
    instances:
      resources: { cpu: 16, memory: 1Gi }
    env:
      "LOG=LEVEL": info
    secretEnv:
      TOKEN: projects/other-project/secrets/X
`);
    assert.deepEqual(fields(issues), [
      "environments[0].category",
      "environments[0].domain.cloudflare.zone",
      "environments[0].instances.resources.cpu",
      "environments[0].env.LOG=LEVEL",
      "environments[0].secretEnv.TOKEN",
    ]);
    assert.match(issues[1]!.message, /"example\.com" is not an allowed zone/);
    assert.match(issues[4]!.message, /"other-project" is neither the environment's project/);
  });

  it("checks every environment while another has a shape error, with the file's indexes", () => {
    const issues = issuesOf(`${HEAD}  - id: dev
    projectID: demo-dev-a1b2
    category: nope
    deploy: { type: manual }
    instances:
      resources: { cpu: 1, memory: 1Gi }
  - id: prod
    projectID: other-prod-a1b2
    category: internal
    deploy: { type: manual }
    instances:
      resources: { cpu: 1, memory: 1Gi }
`);
    assert.deepEqual(fields(issues), ["environments[0].category", "environments[1].projectID"]);
    assert.match(issues[1]!.message, /must start with "demo-"/);
  });

  it("leaves out an environment without an ID, and the rollout findings that would refer to it", () => {
    const issues = issuesOf(`${HEAD}  - projectID: demo-dev-a1b2
    category: test
    deploy: { type: rollout }
    instances:
      resources: { cpu: 1, memory: 1Gi }
  - id: prod
    projectID: demo-prod-a1b2
    category: internal
    deploy: { type: rollout }
    domain:
      type: cloudflare
      cloudflare: { subdomain: "*", zone: sourcegraph.com }
    instances:
      resources: { cpu: 1, memory: 1Gi }
rollout:
  stages:
    - environment: dev
    - environment: prod
`);
    assert.deepEqual(fields(issues), ["environments[0].id", "environments[1].domain.cloudflare.subdomain"]);
    assert.match(issues[1]!.message, /wildcard/);
  });

  it("never reports a finding at a refused value's stand-in", () => {
    // A malformed project ID is replaced for the rules; the prefix rule must not fire on the replacement.
    const issues = issuesOf(`${HEAD}  - id: prod
    projectID: Demo_Prod
    category: internal
    deploy: { type: manual }
    instances:
      resources: { cpu: 1, memory: 1Gi }
`);
    assert.deepEqual(fields(issues), ["environments[0].projectID"]);
    assert.match(issues[0]!.message, /lowercase letters, digits and '-'/);
  });
});
