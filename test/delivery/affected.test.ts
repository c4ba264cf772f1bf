import * as assert from "node:assert/strict";
import { affectedStacks, deployOrder, type StackRef } from "../../delivery/affected";
import { exampleServices } from "../helpers/stacks";
import { listStacks } from "../../program/stack";
import { msp } from "../helpers/cli";

const STACKS: StackRef[] = listStacks(exampleServices()).map((t) => ({
  stack: t.name,
  service: t.service.spec.service.id,
  env: t.env.id,
  category: t.env.category,
}));
const names = (changed: string[]) =>
  affectedStacks(changed, STACKS)
    .map((s) => s.stack)
    .sort();
const ALL = STACKS.map((s) => s.stack).sort();

describe("msp affected", () => {
  it("a change to only services/releaseregistry/service.yaml previews only releaseregistry-* stacks", () => {
    assert.deepEqual(names(["services/releaseregistry/service.yaml"]), [
      "releaseregistry-dev",
      "releaseregistry-prod",
    ]);
  });

  it("a change to components/ previews every stack", () => {
    assert.deepEqual(names(["components/postgres.ts"]), ALL);
  });

  for (const f of [
    "policy/rules/gcp-sql-backups-enabled.ts",
    "program/stack.ts",
    "package-lock.json",
    "Pulumi.yaml",
    "spec/schema.ts",
    "index.ts",
  ])
    it(`shared code (${f}) affects every stack`, () => assert.deepEqual(names([f]), ALL));

  it("a BigQuery schema file affects its service; a stack file affects its stack", () => {
    assert.deepEqual(names(["services/usage-exporter/usage_events.bigquerytable.json"]), [
      "usage-exporter-prod",
    ]);
    assert.deepEqual(names(["stacks/Pulumi.pings-prod.yaml"]), ["pings-prod"]);
  });

  it("docs, tests and the CLI affect nothing; unknown files affect everything", () => {
    assert.deepEqual(names(["docs/services/pings.md", "test/x.test.ts", "README.md", "cli/main.ts"]), []);
    assert.deepEqual(names(["scripts/new-thing.sh"]), ALL);
  });

  it("orders deploys test, then internal, then external", () => {
    const cats = deployOrder(STACKS).map((s) => s.category);
    assert.deepEqual(
      cats,
      [...cats].sort(
        (a, b) => ["test", "internal", "external"].indexOf(a) - ["test", "internal", "external"].indexOf(b),
      ),
    );
  });

  it("prints a JSON matrix and rejects bad arguments", () => {
    const r = msp(["affected", "--all", "--json"]);
    assert.equal(r.status, 0);
    assert.equal((JSON.parse(r.stdout) as { include: StackRef[] }).include.length, STACKS.length);
    assert.equal(msp(["affected"]).status, 2);
    assert.equal(msp(["affected", "--base", "no-such-ref"]).status, 2);
  });
});
