/**
 * The in-process evaluation has CrossGuard's semantics, each checked on small policies written the way the
 * SDK's users write them: enforcement precedence, the CLI's config handling (schema defaults, "all",
 * validation errors), values unknown at preview, not applicable, stack tags, what resource and stack policies
 * see (inputs, outputs, options, provider, relations, secrets), messages and the URN the engine shows.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as gcp from "@pulumi/gcp";
import { validateResourceOfType, validateStackResourcesOfType, type Policy } from "@pulumi/policy";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import {
  enforcementLevels,
  evaluatePolicies,
  PolicyConfigError,
  PolicyRunError,
  type PolicyInput,
  type PolicyPackConfigFile,
} from "../../policy-emulator/evaluate";
import { REDACTED } from "../../engine/redact";
import { VERDICTS } from "../../policy-emulator/analyzer-config";
import { appliesToOf } from "../../policy/applies-to";
import { POLICIES } from "../../policy/policies";
import { categoryConfig } from "../../policy-emulator/generate";
import { exportResources, stackTags } from "../../policy-emulator/offline";
import { toStackExport } from "../../engine/export";
import { findStack } from "../../program/stack";
import { exampleServices, exampleStacks, planOf } from "../helpers/stacks";
import { res, TAGS, UNKNOWN } from "../helpers/policy";
import { mspInProcess as msp } from "../helpers/cli";

const SQL = "gcp:sql/databaseInstance:DatabaseInstance";
const REDIS = "gcp:redis/instance:Instance";
const STACK_URN = "urn:pulumi:svc-prod::msp::pulumi:pulumi:Stack::msp-svc-prod";
const stack: PolicyInput = { urn: STACK_URN, type: "pulumi:pulumi:Stack", name: "msp-svc-prod", inputs: {} };
/** The default GCP provider of the stack, configured with a project. */
const provider: PolicyInput = {
  urn: "urn:pulumi:svc-prod::msp::pulumi:providers:gcp::gcp",
  type: "pulumi:providers:gcp",
  name: "gcp",
  inputs: { project: "p-1" },
};

/** What the policies below read of a resource. */
interface Seen {
  type: string;
  props: { tier: string };
  opts: unknown;
  provider?: { urn: string; props: unknown };
  dependencies?: { urn: string }[];
  propertyDependencies?: Record<string, unknown>;
}

/** A resource policy reporting `message` on every resource it is called for. */
const reporting = (name: string, extra: Record<string, unknown> = {}): Policy =>
  ({
    name,
    description: `${name} description.`,
    validateResource: (_args: unknown, report: (m: string) => void) => report("found"),
    ...extra,
  }) as Policy;

const evaluate = (
  policies: Policy[],
  resources: PolicyInput[],
  config: PolicyPackConfigFile = {},
  tags: ReadonlyMap<string, string> = TAGS(),
) => evaluatePolicies(policies, resources, config, tags);

describe("the multi-class shortcut (policy/applies-to.ts)", () => {
  it("records exactly what calling the validation records, on every example stack", async function () {
    this.timeout(120_000);
    const multi = POLICIES.filter((p) => appliesToOf((p as { validateResource?: unknown }).validateResource));
    assert.ok(multi.length >= 3, `${multi.length} multi-class policies`);
    // The same policies with a validation that has no shortcut: the evaluator must call it.
    const called = POLICIES.map((p) => {
      const v = (p as { validateResource?: (...a: unknown[]) => unknown }).validateResource;
      return appliesToOf(v)
        ? ({ ...p, validateResource: (...a: unknown[]) => v!(...a) } as unknown as Policy)
        : p;
    });
    for (const stack of exampleStacks()) {
      const t = findStack(exampleServices(), stack)!;
      const resources = exportResources(toStackExport(await planOf(stack), "3"));
      const tags = stackTags(stack, t.service.spec.service.id, t.env.category);
      const config = categoryConfig(t.env.category);
      const shortcut = evaluatePolicies(POLICIES, resources, config, tags);
      assert.deepEqual(shortcut, evaluatePolicies(called, resources, config, tags), stack);
      assert.ok(
        shortcut.notApplicable.some((n) => multi.some((p) => p.name === n.policy)),
        "the shortcut was taken",
      );
    }
  });
});

describe("policy evaluation semantics (as CrossGuard)", () => {
  describe("enforcement level", () => {
    const sql = [res(SQL, {})];
    const levelOf = (config: PolicyPackConfigFile, own?: string) =>
      evaluate([reporting("p", own ? { enforcementLevel: own } : {})], sql, config).violations.map(
        (v) => v.level,
      );

    it("config, else the policy's own, else the pack's (advisory)", () => {
      assert.deepEqual(levelOf({}), ["advisory"]);
      assert.deepEqual(levelOf({}, "mandatory"), ["mandatory"]);
      assert.deepEqual(levelOf({ p: { enforcementLevel: "advisory" } }, "mandatory"), ["advisory"]);
      assert.deepEqual(levelOf({ p: "mandatory" }), ["mandatory"], "a bare level string");
    });

    it('"all" sets every level; a policy\'s own entry wins over "all"', () => {
      assert.deepEqual(levelOf({ all: "mandatory" }, "advisory"), ["mandatory"]);
      assert.deepEqual(levelOf({ all: "mandatory", p: "advisory" }), ["advisory"]);
      assert.deepEqual(levelOf({ all: "disabled" }, "mandatory"), []);
    });

    it("disabled: the policy does not run at all; remediate is reported as mandatory", () => {
      let calls = 0;
      const counting = reporting("p", { validateResource: () => void calls++ });
      assert.deepEqual(evaluate([counting], sql, { p: "disabled" }), { violations: [], notApplicable: [] });
      assert.equal(calls, 0);
      assert.deepEqual(levelOf({ p: "remediate" }), ["mandatory"]);
    });

    it("enforcementLevels gives the resolved level of every policy", () => {
      const levels = enforcementLevels([reporting("a", { enforcementLevel: "mandatory" }), reporting("b")], {
        b: { enforcementLevel: "disabled" },
      });
      assert.deepEqual(
        [...levels],
        [
          ["a", "mandatory"],
          ["b", "disabled"],
        ],
      );
    });
  });

  describe("configuration, as the CLI prepares it", () => {
    const seen: Record<string, unknown>[] = [];
    const configured = (schema: Record<string, unknown>, required?: string[]) =>
      ({
        name: "cfg",
        description: "Configured.",
        configSchema: { properties: schema, ...(required ? { required } : {}) },
        validateResource: (args: { getConfig(): Record<string, unknown> }) =>
          void seen.push(args.getConfig()),
      }) as unknown as Policy;
    const sql = [res(SQL, {})];
    const schema = {
      maxCpu: { type: "number", default: 8 },
      tiers: { type: "array", items: { type: "string" }, default: ["db-custom"] },
      limits: { type: "object", default: { a: 1, b: 2 } },
    };
    beforeEach(() => (seen.length = 0));

    it("starts from the schema defaults; the file's values replace them (top level only); no enforcementLevel", () => {
      evaluate([configured(schema)], sql);
      assert.deepEqual(seen[0], { maxCpu: 8, tiers: ["db-custom"], limits: { a: 1, b: 2 } });
      evaluate([configured(schema)], sql, {
        cfg: { enforcementLevel: "mandatory", maxCpu: 2, limits: { c: 3 } },
      });
      assert.deepEqual(seen[1], { maxCpu: 2, tiers: ["db-custom"], limits: { c: 3 } });
    });

    it("refuses values that do not match the schema, every problem at once, naming the policy", () => {
      assert.throws(
        () => evaluate([configured(schema)], sql, { cfg: { maxCpu: "eight", tiers: [1] } }),
        (e: unknown) => {
          assert.ok(e instanceof PolicyConfigError);
          assert.equal(e.problems.length, 2, e.message);
          assert.match(e.problems[0]!, /^cfg: maxCpu: must be number$/);
          assert.match(e.problems[1]!, /^cfg: tiers\.0: must be string$/);
          return true;
        },
      );
    });

    it("remembers valid verdicts by schema and value only: a cached verdict never hides a problem", () => {
      const valid = { cfg: { maxCpu: 4 } };
      evaluate([configured(schema)], sql, valid);
      // The verdict is stored (node_modules/.cache) as hashes, never values.
      const stored = JSON.parse(fs.readFileSync(VERDICTS, "utf8")) as unknown[];
      assert.ok(stored.length > 0 && stored.every((k) => typeof k === "string" && /^[0-9a-f]{64}$/.test(k)));
      // ...so the same policy with another value is validated again, in this process and the next.
      assert.throws(
        () => evaluate([configured(schema)], sql, { cfg: { maxCpu: "four" } }),
        PolicyConfigError,
      );
      // A schema that changes under a stored value is another key too.
      const stricter = { ...schema, maxCpu: { type: "number", maximum: 2, default: 8 } };
      assert.throws(() => evaluate([configured(stricter)], sql, valid), /maxCpu: must be <= 2/);
    });

    it("refuses a missing required property, an unknown level and a value that is neither level nor object", () => {
      const problems = (config: PolicyPackConfigFile, required?: string[]) => {
        try {
          evaluate([configured({ region: { type: "string" } }, required)], sql, config);
          return [];
        } catch (e) {
          assert.ok(e instanceof PolicyConfigError);
          return e.problems;
        }
      };
      assert.deepEqual(problems({}, ["region"]), ["cfg: must have required property 'region'"]);
      assert.deepEqual(problems({ cfg: "strict" }), [
        'cfg: "strict" is not a valid enforcement level (advisory, mandatory, remediate, disabled)',
      ]);
      assert.deepEqual(problems({ cfg: { enforcementLevel: "on" } }), [
        'cfg: "on" is not a valid enforcement level (advisory, mandatory, remediate, disabled)',
      ]);
      assert.deepEqual(problems({ cfg: 3 }), ["cfg: 3 is not a valid value; must be a string or object"]);
      assert.deepEqual(problems({ cfg: { region: "us" } }, ["region"]), []);
    });

    it("msp policy check: a config the CLI would refuse is a usage error (exit 2), each problem on a line, no stack trace", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "msp-cfg-"));
      const doc = {
        version: 3,
        deployment: { resources: [{ urn: STACK_URN, custom: false, type: "pulumi:pulumi:Stack" }] },
      };
      fs.writeFileSync(path.join(dir, "export.json"), JSON.stringify(doc));
      fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify({ all: "strict" }));
      const r = await msp([
        "policy",
        "check",
        path.join(dir, "export.json"),
        "--category",
        "test",
        "--config",
        path.join(dir, "config.json"),
      ]);
      assert.equal(r.status, 2, r.stdout + r.stderr);
      const config = path.join(dir, "config.json");
      assert.equal(
        r.stderr,
        `${config}: all: "strict" is not a valid enforcement level (advisory, mandatory, remediate, disabled)\n` +
          `error: ${config}: invalid policy pack config (1 problem(s) above)\n`,
      );
      assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    });
  });

  describe("values unknown at preview", () => {
    const readsTier = reporting("tier", {
      enforcementLevel: "mandatory",
      validateResource: (args: { props: { settings: { tier: string } } }, report: (m: string) => void) => {
        if (args.props.settings.tier !== "db-custom-1-3840") report("tier");
      },
    });

    it('make the policy one advisory "can\'t run during preview", attributed to the resource', () => {
      const sql = res(SQL, { settings: { tier: UNKNOWN } });
      assert.deepEqual(evaluate([readsTier], [sql]).violations, [
        {
          policy: "tier",
          level: "advisory",
          severity: "unspecified",
          message:
            "can't run policy 'tier' from policy pack 'msp@v0.1.0' during preview: string value at .settings.tier can't be known during preview",
          urn: sql.urn,
          description: "tier description.",
          remediation: undefined,
        },
      ]);
    });

    it("do not matter when the policy does not read them", () => {
      const sql = res(SQL, { settings: { tier: "db-custom-1-3840", edition: UNKNOWN } });
      assert.deepEqual(evaluate([readsTier], [sql]).violations, []);
    });

    it("in a stack policy: advisory, on the stack", () => {
      const policy = {
        name: "count",
        description: "Counts.",
        enforcementLevel: "mandatory",
        validateStack: (args: { resources: { props: Record<string, unknown> }[] }) =>
          void args.resources.map((r) => r.props.tier),
      } as unknown as Policy;
      const r = evaluate([policy], [stack, res(SQL, { tier: UNKNOWN })]).violations;
      assert.deepEqual(
        r.map((v) => [v.level, v.urn, /during preview: string value at \.tier/.test(v.message)]),
        [["advisory", STACK_URN, true]],
      );
    });
  });

  describe("not applicable", () => {
    it("records notApplicable(reason) with the resource, and no violation", () => {
      const policy = reporting("na", {
        validateResource: (args: { notApplicable(r: string): never }) =>
          args.notApplicable("not for this one"),
      });
      const sql = res(SQL, {});
      assert.deepEqual(evaluate([policy], [sql]), {
        violations: [],
        notApplicable: [{ policy: "na", urn: sql.urn, reason: "not for this one" }],
      });
    });

    it("validateResourceOfType: other types are skipped by their type token, as the analyzer does", () => {
      let calls = 0;
      const policy = reporting("typed", {
        validateResource: validateResourceOfType(gcp.sql.DatabaseInstance, (_db, _args, report) => {
          calls++;
          report("checked");
        }),
      });
      const sql = res(SQL, {});
      const redis = res(REDIS, {});
      const r = evaluate([policy], [sql, redis]);
      assert.equal(calls, 1);
      assert.deepEqual(
        r.violations.map((v) => v.urn),
        [sql.urn],
      );
      assert.deepEqual(r.notApplicable, [
        { policy: "typed", urn: redis.urn, reason: `Policy only applies to resources of type '${SQL}'` },
      ]);
    });

    it("validateStackResourcesOfType with no resource of its type; a policy with no validateResource", () => {
      const stackTyped = {
        name: "st",
        description: "d",
        validateStack: validateStackResourcesOfType(gcp.redis.Instance, () => undefined),
      } as unknown as Policy;
      const remediationOnly = {
        name: "rem",
        description: "d",
        remediateResource: () => undefined,
      } as unknown as Policy;
      const sql = res(SQL, {});
      assert.deepEqual(evaluate([stackTyped, remediationOnly], [sql]).notApplicable, [
        { policy: "rem", urn: sql.urn, reason: "Policy does not implement validateResource" },
        { policy: "st", reason: `Policy only applies to resources of type '${REDIS}'` },
      ]);
    });
  });

  describe("what policies see", () => {
    it("stack tags, read-only, in resource and stack policies", () => {
      const seen: unknown[] = [];
      const policy = {
        name: "tags",
        description: "d",
        validateResource: (args: { stackTags: ReadonlyMap<string, string> }) => {
          seen.push(args.stackTags.get("msp:category"), "set" in args.stackTags);
        },
      } as unknown as Policy;
      const stackPolicy = {
        name: "stags",
        description: "d",
        validateStack: (args: { stackTags: ReadonlyMap<string, string> }) =>
          void seen.push([...args.stackTags]),
      } as unknown as Policy;
      evaluate([policy, stackPolicy], [res(SQL, {})], {}, TAGS("internal", "billing"));
      assert.deepEqual(seen, [
        "internal",
        false,
        [
          ["msp:category", "internal"],
          ["msp:service", "billing"],
        ],
      ]);
    });

    it("resource policies the inputs, options and provider; stack policies the outputs and relations", () => {
      const sql = res(
        SQL,
        { tier: "in" },
        {
          outputs: { tier: "out", connectionName: "p:r:i" },
          protect: true,
          provider: `${provider.urn}::abc`,
          dependencies: [provider.urn],
          propertyDependencies: { tier: [provider.urn], none: [] },
        },
      );
      const seen: Record<string, unknown> = {};
      const policies = [
        {
          name: "r",
          description: "d",
          validateResource: (args: Seen) => {
            if (args.type !== SQL) return;
            Object.assign(seen, {
              tier: args.props.tier,
              opts: args.opts,
              provider: [args.provider!.urn, args.provider!.props],
            });
          },
        },
        {
          name: "s",
          description: "d",
          validateStack: (args: { resources: Seen[] }) => {
            const r = args.resources.find((x) => x.type === SQL)!;
            Object.assign(seen, {
              stackTier: r.props.tier,
              deps: r.dependencies!.map((d) => d.urn),
              propDeps: Object.keys(r.propertyDependencies!),
            });
          },
        },
      ] as unknown as Policy[];
      evaluate(policies, [provider, sql]);
      assert.deepEqual(seen, {
        tier: "in",
        opts: {
          protect: true,
          ignoreChanges: [],
          aliases: [],
          customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
          additionalSecretOutputs: [],
          parent: sql.parent,
        },
        provider: [provider.urn, { project: "p-1" }],
        stackTier: "out",
        deps: [provider.urn],
        propDeps: ["tier"],
      });
    });

    it("stack policies: parents resolved, each resource's options and provider; every policy its own copies", () => {
      const sql = res(SQL, { tier: "in" }, { provider: `${provider.urn}::abc`, protect: true });
      const db = res("gcp:sql/database:Database", { name: "db" }, { parent: sql.urn });
      type View = Seen & { urn: string; parent?: { urn: string } };
      const seen: unknown[] = [];
      const stackPolicy = (name: string) => ({
        name,
        description: "d",
        validateStack: (args: { resources: View[] }) => {
          const [, s, d] = [args.resources[0], args.resources[1]!, args.resources[2]!];
          seen.push({
            policy: name,
            tier: s.props.tier,
            parentOfDb: d.parent?.urn,
            sqlHasParent: s.parent === undefined ? "none" : s.parent.urn,
            protect: (s.opts as { protect: boolean }).protect,
            provider: s.provider && [s.provider.urn, s.provider.props],
            dbProvider: d.provider,
            sameView: args.resources.find((r) => r.urn === d.parent?.urn) === s,
          });
          s.props.tier = "changed by " + name; // a policy that writes does not change what the next one sees
        },
      });
      const resourcePolicy = (name: string) => ({
        name,
        description: "d",
        validateResource: (args: Seen) => {
          if (args.type !== SQL) return;
          seen.push({ policy: name, tier: args.props.tier });
          args.props.tier = "changed";
        },
      });
      const policies = [
        resourcePolicy("r1"),
        resourcePolicy("r2"),
        stackPolicy("s1"),
        stackPolicy("s2"),
      ] as unknown as Policy[];
      evaluate(policies, [provider, sql, db]);
      const stackSeen = (policy: string) => ({
        policy,
        tier: "in",
        parentOfDb: sql.urn,
        sqlHasParent: "none", // its parent is not a resource of the stack
        protect: true,
        provider: [provider.urn, { project: "p-1" }],
        dbProvider: undefined,
        sameView: true,
      });
      assert.deepEqual(seen, [
        { policy: "r1", tier: "in" },
        { policy: "r2", tier: "in" },
        stackSeen("s1"),
        stackSeen("s2"),
      ]);
    });

    it("secrets as plain values (redacted ones as the placeholder), without the engine's internal keys", () => {
      let props: unknown;
      const policy = reporting("s", {
        validateResource: (args: { props: unknown }) => void (props = args.props),
      });
      evaluate(
        [policy],
        [
          res(SQL, {
            password: { [specialSigKey]: specialSecretSig, value: "hunter2" },
            rootPassword: { [specialSigKey]: specialSecretSig, ciphertext: "v1:abc" },
            __defaults: ["name"],
            settings: { __meta: "x", tier: "t" },
          }),
        ],
      );
      assert.deepEqual(JSON.parse(JSON.stringify(props)), {
        password: "hunter2",
        rootPassword: REDACTED,
        settings: { tier: "t" },
      });
    });
  });

  describe("messages and URNs as the engine shows them", () => {
    it('"<description>\\n<message>"; the description alone when the policy gives no message', () => {
      const p = reporting("m", {
        validateResource: (_a: unknown, report: (m?: string) => void) => {
          report("the detail");
          report();
        },
      });
      assert.deepEqual(
        evaluate([p], [res(SQL, {})]).violations.map((v) => v.message),
        ["m description.\nthe detail", "m description."],
      );
    });

    it("a resource policy's violation belongs to the analysed resource, whatever URN it names", () => {
      const sql = res(SQL, {});
      const p = reporting("u", {
        validateResource: (_a: unknown, report: (m: string, urn: string) => void) => report("x", "urn:other"),
      });
      assert.deepEqual(
        evaluate([p], [sql]).violations.map((v) => v.urn),
        [sql.urn],
      );
    });

    it("a stack policy's violation names its resource when it is in the stack, else the stack", () => {
      const sql = res(SQL, {});
      const p = {
        name: "s",
        description: "d",
        validateStack: (_a: unknown, report: (m: string, urn?: string) => void) => {
          report("in", sql.urn);
          report("elsewhere", "urn:pulumi:other::msp::gcp:sql/databaseInstance:DatabaseInstance::x");
          report("none");
        },
      } as unknown as Policy;
      assert.deepEqual(
        evaluate([p], [stack, sql]).violations.map((v) => v.urn),
        [sql.urn, STACK_URN, STACK_URN],
      );
    });

    it("reports given as objects keep their own name, level and message", () => {
      const p = reporting("o", {
        validateResource: (_a: unknown, report: (v: object) => void) =>
          report({ name: "o-sub", message: "custom", enforcementLevel: "mandatory", severity: "high" }),
      });
      assert.deepEqual(
        evaluate([p], [res(SQL, {})]).violations.map((v) => [v.policy, v.level, v.severity, v.message]),
        [["o-sub", "mandatory", "high", "custom"]],
      );
    });
  });

  describe("failures", () => {
    it("a policy that throws fails the evaluation, naming the policy (the engine fails the preview)", () => {
      const p = reporting("boom", {
        validateResource: () => {
          throw new Error("bug");
        },
      });
      assert.throws(
        () => evaluate([p], [res(SQL, {})]),
        (e: unknown) =>
          e instanceof PolicyRunError &&
          e.message === "Error validating resource with policy 'boom' from policy pack 'msp@v0.1.0': bug",
      );
    });

    it("an asynchronous policy is refused rather than its findings lost", () => {
      const p = reporting("later", { validateResource: () => Promise.resolve(undefined) });
      assert.throws(() => evaluate([p], [res(SQL, {})]), /'later'.*returned a promise/);
    });
  });
});
