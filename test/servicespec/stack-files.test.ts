/** Every environment of a spec in a Pulumi project needs its stack file (servicespec/stack-files.ts). */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadServices, SpecError, type SpecIssue } from "../../servicespec/loader";
import { missingStackFiles } from "../../servicespec/stack-files";

const SPEC = `service:
  id: demo
  owners: [core-services]
  description: Demo.
  notionPageID: 0123456789abcdef0123456789abcdef
build:
  image: us.gcr.io/sourcegraph-dev/demo
  source: { repo: github.com/sourcegraph/demo, dir: "." }
environments:
  - id: dev
    projectID: demo-dev-a1b2
    category: test
    deploy: { type: manual }
    instances:
      resources: { cpu: 1, memory: 1Gi }
  - id: prod
    projectID: demo-prod-a1b2
    category: internal
    deploy: { type: manual }
    instances:
      resources: { cpu: 1, memory: 1Gi }
`;

const roots: string[] = [];
after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

/** services/demo and stacks/ (stackConfigDir of the repository's Pulumi.yaml) with the given stack files. */
function project(stackFiles: string[]): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "msp-stackfiles-"));
  roots.push(root);
  fs.mkdirSync(path.join(root, "services", "demo"), { recursive: true });
  fs.writeFileSync(path.join(root, "services", "demo", "service.yaml"), SPEC);
  fs.mkdirSync(path.join(root, "stacks"));
  for (const f of stackFiles) fs.writeFileSync(path.join(root, "stacks", f), "config: {}\n");
  return path.join(root, "services");
}

function issuesOf(services: string): SpecIssue[] {
  try {
    loadServices(services);
  } catch (e) {
    if (e instanceof SpecError) return e.issues;
    throw e;
  }
  return [];
}

describe("stack files", () => {
  it("reports an environment without its stack file at the environment's id, with the fix", () => {
    const issues = issuesOf(project(["Pulumi.demo-prod.yaml"]));
    assert.equal(issues.length, 1, issues.map((i) => i.message).join("\n"));
    const [i] = issues;
    assert.equal(i!.field, "environments[0].id");
    assert.equal(i!.line, 10);
    assert.match(i!.message, /has no stack file .*stacks\/Pulumi\.demo-dev\.yaml/);
    assert.match(i!.message, /run npx msp init-env demo dev to write it/);
    assert.match(i!.message, /gcp:project: demo-dev-a1b2/);
  });

  it("is checked even when the spec has shape errors", () => {
    const services = project(["Pulumi.demo-prod.yaml"]);
    const file = path.join(services, "demo", "service.yaml");
    fs.writeFileSync(file, SPEC.replace("category: internal", "category: intern"));
    assert.deepEqual(
      issuesOf(services).map((i) => i.field),
      ["environments[0].id", "environments[1].category"],
    );
  });

  it("requires nothing where the project keeps no stack files (a scratch copy, a fixture)", () => {
    assert.deepEqual(issuesOf(project([])), []);
    assert.deepEqual(missingStackFiles({ service: { id: "demo" } }, "/nonexistent/services"), []);
  });
});
