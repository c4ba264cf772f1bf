/**
 * The differential test: the same exports through the path the Pulumi CLI uses (the pack started as the CLI
 * starts it, called over gRPC) and through `msp policy check`'s in-process evaluation must give identical
 * violations (policy, level, URN, message, severity) and not-applicable records, on every example stack and on
 * exports changed in ways the policies care about. It runs once per start path (test/helpers/analyzer.ts):
 * through the nodejs language host's RunPlugin, as Pulumi CLI 3.221 and later start packs, and through the
 * pulumi-analyzer-policy plugin script of earlier CLIs; the two must also agree with each other.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { specialResourceSig, specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { toStackExport, type ExportedResource, type StackExport } from "../../engine/export";
import { exportResources, stackTags } from "../../policy-emulator/offline";
import { POLICIES } from "../../policy/policies";
import {
  evaluatePolicies,
  PACK_DEFAULT_LEVEL,
  PACK_NAME,
  PACK_VERSION,
  type EvaluationResult,
  type PolicyPackConfigFile,
} from "../../policy-emulator/evaluate";
import { policyInfos } from "../../policy-emulator/analyzer-config";
import { categoryConfig } from "../../policy-emulator/generate";
import { findStack } from "../../program/stack";
import type { Category } from "../../platform/categories";
import { fleetServices, fleetStacks, FLEET_SERVICES, planOf } from "../helpers/stacks";
import {
  analyzeOverGrpc,
  PACK_DIR,
  servedPolicies,
  startAnalyzer,
  START_PATH_DESCRIPTION,
  START_PATHS,
  type Analyzer,
  type StartPath,
} from "../helpers/analyzer";
import { UNKNOWN } from "../helpers/policy";
import { msp } from "../helpers/cli";

interface Case {
  stack: string;
  service: string;
  category: Category;
  doc: StackExport;
}

async function exampleCase(stack: string): Promise<Case> {
  const t = findStack(fleetServices(), stack)!;
  return {
    stack,
    service: t.service.spec.service.id,
    category: t.env.category,
    doc: structuredClone(toStackExport(await planOf(stack, "applied", FLEET_SERVICES), "3")),
  };
}

const comparable = (r: EvaluationResult) => ({
  violations: r.violations.map((v) => [v.policy, v.level, v.urn, v.message, v.severity]),
  notApplicable: r.notApplicable.map((n) => [n.policy, n.urn, n.reason]),
});

async function compare(a: Analyzer, c: Case, config: PolicyPackConfigFile = categoryConfig(c.category)) {
  const resources = exportResources(c.doc);
  const tags = stackTags(c.stack, c.service, c.category);
  const ours = evaluatePolicies(POLICIES, resources, config, tags);
  const theirs = await analyzeOverGrpc(a, resources, config, tags);
  assert.deepEqual(comparable(ours), comparable(theirs));
  return ours;
}

const ofType = (doc: StackExport, type: string) => doc.deployment.resources.filter((r) => r.type === type);
const first = (doc: StackExport, type: string) => ofType(doc, type)[0];
/** Sets a nested input; false when the export has no such resource. */
function setInput(r: ExportedResource | undefined, dotted: string, value: unknown): boolean {
  if (!r) return false;
  const keys = dotted.split(".");
  let cur = (r.inputs ??= {});
  for (const k of keys.slice(0, -1)) cur = (cur[k] ??= {}) as Record<string, unknown>;
  if (value === undefined) delete cur[keys.at(-1)!];
  else cur[keys.at(-1)!] = value;
  if (r.outputs) {
    let out = r.outputs;
    for (const k of keys.slice(0, -1)) out = (out[k] ??= {}) as Record<string, unknown>;
    if (value === undefined) delete out[keys.at(-1)!];
    else out[keys.at(-1)!] = value;
  }
  return true;
}
const stackOf = (doc: StackExport) => first(doc, "pulumi:pulumi:Stack")!;
const SQL = "gcp:sql/databaseInstance:DatabaseInstance";
const RUN = "gcp:cloudrunv2/service:Service";
const IAM = "gcp:projects/iAMMember:IAMMember";

/**
 * Changes a policy may care about; each returns false when the stack has nothing to change. The last one only
 * changes how values travel (the engine drops "__" keys, sends a reference as the resource's ID).
 */
const MUTATIONS: [string, (doc: StackExport) => boolean][] = [
  ["SQL backups off", (d) => setInput(first(d, SQL), "settings.backupConfiguration.enabled", false)],
  // The address is connector-only by design; without the connector requirement it is open.
  [
    "SQL public address without the connector",
    (d) => setInput(first(d, SQL), "settings.connectorEnforcement", "NOT_REQUIRED"),
  ],
  ["SQL deletion protection off", (d) => setInput(first(d, SQL), "deletionProtection", false)],
  [
    "SQL protect removed",
    (d) => {
      const r = first(d, SQL);
      if (r) delete r.protect;
      return !!r;
    },
  ],
  ["SQL tier unknown at preview", (d) => setInput(first(d, SQL), "settings.tier", UNKNOWN)],
  [
    "DNS record not proxied",
    (d) => setInput(first(d, "cloudflare:index/dnsRecord:DnsRecord"), "proxied", false),
  ],
  ["Cloud Run open to all", (d) => setInput(first(d, RUN), "ingress", "INGRESS_TRAFFIC_ALL")],
  ["Cloud Run template unknown", (d) => setInput(first(d, RUN), "template", UNKNOWN)],
  [
    "a secret-looking plain variable and a secret value",
    (d) => {
      const r = first(d, RUN);
      const containers = (r?.inputs?.template as { containers?: { envs?: unknown[] }[] } | undefined)
        ?.containers;
      if (!containers?.[0]) return false;
      (containers[0].envs ??= []).push(
        { name: "STRIPE_API_KEY", value: "sk_live_123" },
        { name: "SESSION_KEY", value: { [specialSigKey]: specialSecretSig, value: "s3cr3t" } },
      );
      return true;
    },
  ],
  [
    "project labels gone",
    (d) => setInput(first(d, "gcp:organizations/project:Project"), "labels", undefined),
  ],
  ["roles/owner granted", (d) => setInput(first(d, IAM), "role", "roles/owner")],
  ["a user granted a role", (d) => setInput(first(d, IAM), "member", "user:someone@example.com")],
  ["weak TLS", (d) => setInput(first(d, "gcp:compute/sSLPolicy:SSLPolicy"), "minTlsVersion", "TLS_1_0")],
  ["Redis without AUTH", (d) => setInput(first(d, "gcp:redis/instance:Instance"), "authEnabled", false)],
  [
    "BigQuery table unprotected",
    (d) => setInput(first(d, "gcp:bigquery/table:Table"), "deletionProtection", false),
  ],
  [
    "engine-internal keys and a resource reference in inputs",
    (d) => {
      const r = first(d, SQL) ?? first(d, RUN);
      if (!r) return false;
      const project = first(d, "gcp:organizations/project:Project")!;
      // A reference to the project, whose ID is the value the input had: the engine sends the ID.
      const id = r.inputs?.project as string;
      r.inputs = {
        ...r.inputs,
        __defaults: ["name"],
        project: { [specialSigKey]: specialResourceSig, urn: project.urn, id },
      };
      return true;
    },
  ],
  [
    "the GCP provider impersonates another account",
    (d) =>
      setInput(
        first(d, "pulumi:providers:gcp"),
        "impersonateServiceAccount",
        "admin@x.iam.gserviceaccount.com",
      ),
  ],
  [
    "Cloud Run open to all with the invoker IAM check disabled",
    (d) => {
      const r = first(d, RUN);
      return setInput(r, "ingress", "INGRESS_TRAFFIC_ALL") && setInput(r, "invokerIamDisabled", true);
    },
  ],
  [
    "a public grant exported with inputs and empty outputs",
    (d) => {
      const stack = stackOf(d);
      const prefix = stack.urn.split("::").slice(0, 2).join("::");
      d.deployment.resources.push({
        urn: `${prefix}::gcp:cloudrunv2/serviceIamMember:ServiceIamMember::inputs-only`,
        custom: true,
        type: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
        inputs: {
          project: "p",
          location: "us-central1",
          name: "svc",
          role: "roles/run.developer",
          member: "allUsers",
        },
        outputs: {},
        parent: stack.urn,
      });
      return true;
    },
  ],
  [
    "a resource outside any component, and a public one",
    (d) => {
      const stack = stackOf(d);
      const prefix = stack.urn.split("::").slice(0, 2).join("::");
      d.deployment.resources.push(
        {
          urn: `${prefix}::gcp:storage/bucket:Bucket::stray`,
          custom: true,
          type: "gcp:storage/bucket:Bucket",
          inputs: { name: "stray", location: "US" },
          parent: stack.urn,
        },
        {
          urn: `${prefix}::gcp:projects/iAMMember:IAMMember::public`,
          custom: true,
          type: IAM,
          inputs: { project: "p", role: "roles/run.invoker", member: "allUsers" },
          parent: stack.urn,
        },
      );
      return true;
    },
  ],
];

/** Each start path's verdicts on every example stack, for the comparison of the two paths. */
const verdictsByPath = new Map<StartPath, Map<string, ReturnType<typeof comparable>>>();

for (const startPath of START_PATHS)
  describe(`policy pack started through ${START_PATH_DESCRIPTION[startPath]}: the Pulumi CLI's path and msp policy check agree`, function () {
    let analyzer: Analyzer;
    const cases = new Map<string, Case>();
    const baseline = new Map<string, ReturnType<typeof comparable>>();

    before(async function () {
      this.timeout(180_000);
      analyzer = await startAnalyzer(startPath, {
        project: "msp",
        stack: fleetStacks()[0]!,
        dryRun: true,
        config: {},
      });
      // The tests' fleet (test/fixtures/fleet): the pack's paths are compared on a known set of stacks.
      for (const stack of fleetStacks()) cases.set(stack, await exampleCase(stack));
    });
    after(() => analyzer?.stop());

    it(`runs the pack the way this path does (${startPath})`, () => {
      const spawned = analyzer.process.spawnargs;
      assert.equal(analyzer.startPath, startPath);
      assert.equal(analyzer.command.cwd, PACK_DIR, "in the pack's folder, as both paths run it");
      if (startPath === "language-host") {
        // node <run-policy-pack> <engine> <pack folder>: the folder last, the module resolved from the pack.
        assert.equal(spawned[0], process.execPath);
        assert.match(spawned[1]!, /@pulumi\/pulumi\/cmd\/run-policy-pack\/index\.js$/);
        assert.deepEqual(spawned.slice(-2), ["127.0.0.1:1", PACK_DIR]);
        assert.equal(analyzer.command.env.PULUMI_NODEJS_STACK, fleetStacks()[0]);
        assert.equal(analyzer.command.env.PULUMI_NODEJS_DRY_RUN, "true");
        assert.equal(analyzer.command.env.PULUMI_CONFIG, "{}");
        assert.ok(!spawned.some((a) => a.endsWith("pulumi-analyzer-policy")), "no plugin script");
      } else {
        assert.equal(spawned[0], "sh");
        assert.match(spawned[1]!, /test\/fixtures\/pulumi-analyzer-policy$/);
        assert.deepEqual(spawned.slice(2, 4), ["127.0.0.1:1", "."]);
      }
    });

    it("the served pack is ours: name, version, policies, levels and config schemas", () => {
      assert.equal(analyzer.info.getName(), PACK_NAME);
      assert.equal(analyzer.info.getVersion(), PACK_VERSION);
      assert.equal(analyzer.info.getSupportsconfig(), true);
      assert.deepEqual(
        servedPolicies(analyzer),
        policyInfos(PACK_NAME, PACK_VERSION, PACK_DEFAULT_LEVEL, POLICIES).map((p) => ({
          ...p,
          configSchema: p.configSchema && {
            ...p.configSchema,
            properties: JSON.parse(
              JSON.stringify(p.configSchema.properties),
            ) as typeof p.configSchema.properties,
          },
        })),
      );
    });

    it("every example stack, with its category's config", async function () {
      this.timeout(120_000);
      for (const c of cases.values()) baseline.set(c.stack, comparable(await compare(analyzer, c)));
      verdictsByPath.set(startPath, new Map(baseline));
      assert.deepEqual([...cases.keys()], fleetStacks());
      assert.ok(cases.size >= 8, "every example stack");
    });

    it("every example stack with every policy mandatory ({ all: mandatory })", async function () {
      this.timeout(120_000);
      for (const c of cases.values())
        await compare(analyzer, c, { ...categoryConfig(c.category), all: "mandatory" });
    });

    it("mutated exports: each change alters the findings, and both paths agree", async function () {
      this.timeout(180_000);
      const applied: string[] = [];
      for (const [what, mutate] of MUTATIONS) {
        for (const c of cases.values()) {
          const changed = { ...c, doc: structuredClone(c.doc) };
          if (!mutate(changed.doc)) continue;
          const after = comparable(await compare(analyzer, changed));
          const before = baseline.get(c.stack) ?? comparable(await compare(analyzer, c));
          if (what.startsWith("engine-internal")) assert.deepEqual(after, before, what);
          else assert.notDeepEqual(after, before, `${what} on ${c.stack} changes nothing`);
          applied.push(what);
          break;
        }
      }
      assert.deepEqual(
        MUTATIONS.map(([w]) => w).filter((w) => !applied.includes(w)),
        [],
        "every mutation found a stack to apply to",
      );
    });

    it("msp policy check --format json, run as a user runs it, reports what the CLI's path reports", async function () {
      this.timeout(60_000);
      const c = cases.get("accounts-prod")!;
      const doc = structuredClone(c.doc);
      MUTATIONS[0]![1](doc);
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "msp-diff-")), "accounts.json");
      fs.writeFileSync(file, JSON.stringify(doc));
      const r = msp(["policy", "check", file, "--category", c.category, "--format", "json"]);
      assert.equal(r.status, 1, r.stderr);
      const report = JSON.parse(r.stdout) as {
        violations: { policy: string; level: string; urn: string | null; message: string }[];
      };
      const theirs = await analyzeOverGrpc(
        analyzer,
        exportResources(doc),
        categoryConfig(c.category),
        stackTags(c.stack, c.service, c.category),
      );
      assert.deepEqual(
        report.violations.map((v) => [v.policy, v.level, v.urn ?? undefined, v.message]),
        theirs.violations.map((v) => [v.policy, v.level, v.urn, v.message]),
      );
      assert.ok(report.violations.some((v) => v.level === "mandatory"));
    });
  });

describe("policy pack: both start paths give identical verdicts", () => {
  it(`${START_PATHS.join(" and ")}: the same violations and not-applicable records on every example stack`, () => {
    const [a, b] = START_PATHS.map((p) => verdictsByPath.get(p));
    assert.ok(a && b, "both paths ran every example stack");
    assert.deepEqual([...a.keys()], fleetStacks());
    assert.deepEqual(b, a);
  });
});
