import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  affectedStacks,
  codeChanges,
  deployOrder,
  removedStacks,
  type StackRef,
} from "../../delivery/affected";
import { stacksAt, stacksOf } from "../../delivery/base-specs";
import { DEPLOYED_PREFIX, planDeploy } from "../../delivery/deployed";
import { Git } from "../../delivery/git";
import { loadServices, SpecError } from "../../servicespec/loader";
import { fleetServices } from "../helpers/stacks";
import { listStacks } from "../../program/stack";
import { FLEET_SERVICES, mspInProcess } from "../helpers/cli";
import { createSandbox, type Sandbox } from "../helpers/workflow-sandbox";

// The tests' fleet, which the sandbox repository holds too (test/helpers/workflow-sandbox.ts).
const STACKS: StackRef[] = listStacks(fleetServices()).map((t) => ({
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
    "servicespec/schema.ts",
    "index.ts",
  ])
    it(`shared code (${f}) affects every stack`, () => assert.deepEqual(names([f]), ALL));

  it("a BigQuery schema file affects its service; a stack file affects its stack", () => {
    assert.deepEqual(names(["services/usage-exporter/usage_events.bigquerytable.json"]), [
      "usage-exporter-prod",
    ]);
    assert.deepEqual(names(["stacks/Pulumi.pings-prod.yaml"]), ["pings-prod"]);
  });

  it("tells code changes (the base then needs its own code) from specs, stack files and settings", () => {
    const data = [
      "services/pings/service.yaml",
      "stacks/Pulumi.pings-prod.yaml",
      "Pulumi.yaml",
      "docs/x.md",
      "cli/main.ts",
    ];
    assert.deepEqual(codeChanges(data), []);
    const code = ["components/postgres.ts", "program/stack.ts", "package-lock.json", "scripts/new-thing.sh"];
    assert.deepEqual(codeChanges([...data, ...code]), code);
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

  // The command runs in-process (mspInProcess): its output is the subject; test/cli/in-process.e2e.test.ts checks
  // msp affected gives the same bytes through the bundle.
  it("prints a JSON matrix and rejects bad arguments", async () => {
    const r = await mspInProcess(["affected", "--all", "--json", "--services", FLEET_SERVICES]);
    assert.equal(r.status, 0);
    assert.equal((JSON.parse(r.stdout) as { include: StackRef[] }).include.length, STACKS.length);
    assert.equal((await mspInProcess(["affected"])).status, 2);
    assert.equal((await mspInProcess(["affected", "--all", "--format", "yaml"])).status, 2);
  });

  describe("against git history (a sandbox repository)", () => {
    let sb: Sandbox;
    let main: string;
    const pingsSpec = "services/pings/service.yaml";
    before(() => {
      sb = createSandbox();
      main = sb.git(sb.origin, "rev-parse", "main");
    });
    after(() => sb.cleanup());
    const headStacks = (ws: string) => stacksOf(loadServices(path.join(ws, "services")));

    it("reports a renamed service as its old stacks removed and its new stacks added (not in the base)", async () => {
      const renamed = sb.read("main", pingsSpec).replaceAll("pings", "pongs");
      // A rename moves the stack files too (the loader requires one per environment).
      const stackFiles = Object.fromEntries(
        ["dev", "prod"].flatMap((env) => [
          [`stacks/Pulumi.pings-${env}.yaml`, null],
          [`stacks/Pulumi.pongs-${env}.yaml`, sb.read("main", `stacks/Pulumi.pings-${env}.yaml`)],
        ]),
      );
      const head = sb.commit(
        "rename",
        { [pingsSpec]: null, "services/pongs/service.yaml": renamed, ...stackFiles },
        "Rename pings",
      );
      const ws = sb.workspace("rename", head);
      const git = new Git(ws);
      const base = stacksAt(git, main, "services").stacks;
      assert.deepEqual(
        removedStacks(base, headStacks(ws)).map((s) => [s.stack, s.allowDestroys]),
        [
          ["pings-dev", false],
          ["pings-prod", false],
        ],
      );
      const r = await mspInProcess(["affected", "--base", main, "--json"], ws);
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout) as {
        base: string;
        include: (StackRef & { inBase: boolean })[];
        removed: (StackRef & { allowDestroys: boolean })[];
      };
      assert.equal(out.base, main);
      assert.deepEqual(
        out.include.map((s) => [s.stack, s.inBase]),
        [
          ["pongs-dev", false],
          ["pongs-prod", false],
        ],
      );
      assert.deepEqual(
        out.removed.map((s) => [s.stack, s.category, s.allowDestroys]),
        [
          ["pings-dev", "test", false],
          ["pings-prod", "internal", false],
        ],
      );
      // The base's allowDestroys is what counts, read from the base's own spec.
      const allowed = sb.commit(
        "allow",
        {
          [pingsSpec]: sb
            .read("main", pingsSpec)
            .replace("    category: test\n", "    category: test\n    allowDestroys: true\n"),
        },
        "allow",
      );
      assert.deepEqual(
        stacksAt(new Git(sb.workspace("allow", allowed)), allowed, "services")
          .stacks.filter((s) => s.service === "pings")
          .map((s) => [s.stack, s.allowDestroys]),
        [
          ["pings-dev", true],
          ["pings-prod", false],
        ],
      );
    });

    it("reads a base spec that today's rules reject by its IDs and categories; fails on one without them", () => {
      const stricter = sb.commit(
        "stricter",
        {
          [pingsSpec]: sb
            .read("main", pingsSpec)
            .replace("  protocol: h2c\n", "  protocol: h2c\n  notAField: 1\n"),
        },
        "a field the loader rejects",
      );
      const git = new Git(sb.workspace("stricter", stricter));
      const read = stacksAt(git, stricter, "services");
      assert.deepEqual(
        read.stacks.filter((s) => s.service === "pings").map((s) => [s.stack, s.category]),
        [
          ["pings-dev", "test"],
          ["pings-prod", "internal"],
        ],
      );
      assert.match(
        read.notes.join("\n"),
        /[0-9a-f]{12}:services\/pings\/service\.yaml is not valid under the current rules/,
      );
      const broken = sb.commit("broken", { [pingsSpec]: "service: [\n" }, "broken YAML");
      assert.throws(
        () => stacksAt(new Git(sb.workspace("broken", broken)), broken, "services"),
        (e: Error) =>
          e instanceof SpecError && /[0-9a-f]{12}:services\/pings\/service\.yaml:\d+:\d+/.test(e.message),
      );
    });

    it("validates the base ref before using it: an option-like ref is refused (exit 2) and writes nothing", async () => {
      const ws = sb.workspace("refs", main);
      const target = path.join(sb.root, "pwned");
      for (const ref of [`--output=${target}`, "no-such-ref"]) {
        const r = await mspInProcess(["affected", `--base=${ref}`, "--format", "json"], ws);
        assert.equal(r.status, 2, r.stderr);
        assert.match(r.stderr, /is not a git ref|names no commit/);
        assert.equal(r.stdout, "");
      }
      assert.equal(fs.existsSync(target), false);
      assert.throws(
        () => new Git(ws).resolveCommit("HEAD:services"),
        /names no commit/,
        "a tree is not a commit",
      );
    });

    it("plans deploys from each stack's deploy record: changes since it, no record, or a record off the branch", () => {
      const c0 = main;
      const registry = "services/releaseregistry/service.yaml";
      const c1 = sb.commit(
        "deploys",
        { [registry]: sb.read("main", registry).replace("SRC_LOG_LEVEL: info", "SRC_LOG_LEVEL: warn") },
        "c1",
        "main",
      );
      const off = sb.commit("elsewhere", { "README.md": "x" }, "off the branch", "main");
      const ws = sb.workspace("deploys", c1);
      for (const s of STACKS.map((x) => x.stack))
        if (s !== "accounts-prod" && s !== "pings-prod")
          sb.git(ws, "update-ref", `${DEPLOYED_PREFIX}${s}`, c0);
      sb.git(ws, "update-ref", `${DEPLOYED_PREFIX}pings-prod`, off); // not an ancestor of HEAD: ignored
      sb.git(ws, "update-ref", `${DEPLOYED_PREFIX}gone-prod`, c0); // no spec defines it: ignored, noted
      const git = new Git(ws);
      const plan = planDeploy(git, headStacks(ws), (c) => stacksAt(git, c, "services").stacks);
      assert.deepEqual(
        plan.include.map((s) => [s.stack, s.since]),
        [
          ["releaseregistry-dev", c0],
          ["releaseregistry-prod", c0],
          ["pings-prod", null],
          ["accounts-prod", null],
        ],
      );
      assert.deepEqual(plan.removed, []);
      assert.equal(plan.ignored.length, 2);
      assert.match(
        plan.ignored.join("\n"),
        /pings-prod: [0-9a-f]{12} is not an ancestor of HEAD[\s\S]*gone-prod/,
      );
    });
  });
});
