/**
 * No policy is silently skipped offline. Each policy runs alone, every policy mandatory, on every example stack
 * (and, for resource types no example creates, on a resource of that type), with its arguments watched:
 *
 * - a resource policy must read the properties of at least one resource of each type it declares (its typed
 *   checks' classes), without being turned away as "only applies to resources of type ...": a broken
 *   isType/asType, a type filter that matches nothing or a misspelt type token fails here;
 * - a stack policy that asks isType must get "yes" from some resource, and one that does not must at least
 *   look at the resources or the stack tags;
 * - every declared type token is a real provider class's; no policy is disabled in every category.
 *
 * - no policy throws, on the example stacks or on a resource of every type it reads with no props at all: under
 *   the Pulumi CLI a throwing policy fails the whole preview (a missing value is unknown, not applicable or a
 *   violation, never a TypeError).
 */
import * as assert from "node:assert/strict";
import type { Policy } from "@pulumi/policy";
import { POLICIES } from "../../policy/policies";
import {
  enforcementLevels,
  evaluatePolicies,
  PolicyRunError,
  type PolicyInput,
} from "../../policy-emulator/evaluate";
import { categoryConfig } from "../../policy-emulator/generate";
import { exportResources, stackTags } from "../../policy-emulator/offline";
import { toStackExport } from "../../engine/export";
import { findStack } from "../../program/stack";
import { CATEGORIES, type Category } from "../../platform/categories";
import { exampleServices, exampleStacks, planOf } from "../helpers/stacks";
import { res, TAGS } from "../helpers/policy";

type Fn = ((args: unknown, report: unknown) => unknown) & { __pulumiType?: string };
type Args = Record<string | symbol, unknown>;

const TYPE_REASON = /^Policy only applies to/;
const SDKS: Record<string, Record<string, unknown>> = {
  gcp: require("@pulumi/gcp") as Record<string, unknown>,
  cloudflare: require("@pulumi/cloudflare") as Record<string, unknown>,
  random: require("@pulumi/random") as Record<string, unknown>,
};

/** The provider class of a type token, e.g. gcp:sql/databaseInstance:DatabaseInstance -> gcp.sql.DatabaseInstance. */
function classOf(token: string): { __pulumiType?: string } | undefined {
  const [pkg, mod, name] = token.split(":");
  const sdk = SDKS[pkg ?? ""];
  const module = mod?.split("/")[0];
  if (!sdk || !module || !name) return undefined;
  const scope = (module === "index" ? sdk : sdk[module]) as Record<string, unknown> | undefined;
  return scope?.[name] as { __pulumiType?: string } | undefined;
}

const pulumiType = (o: unknown) =>
  (o as { __pulumiType?: unknown } | undefined)?.__pulumiType as string | undefined;

/** What one policy did on the resources it was given. */
interface Trace {
  /** Resource policies: per validation (index), the types whose props it read. */
  readTypes: Set<string>[];
  /** Stack policies: class token asked about -> whether some resource answered yes. */
  asked: Map<string, boolean>;
  looked: boolean;
}

/** A copy of `p` whose validations record what they read. */
function watched(p: Policy, trace: Trace): Policy {
  const v = (p as { validateResource?: Fn | Fn[] }).validateResource;
  if (v) {
    const fns = Array.isArray(v) ? v : [v];
    const wrapped = fns.map((fn, i) => {
      trace.readTypes[i] = new Set();
      const w: Fn = (args, report) => {
        const a = args as Args;
        const read = () => trace.readTypes[i]!.add(a.type as string);
        return fn(
          new Proxy(a, {
            get: (t, k) => {
              if (k === "props") read();
              if (k === "asType")
                return (cls: unknown) => {
                  const r = (t.asType as (c: unknown) => unknown)(cls);
                  if (r !== undefined) read();
                  return r;
                };
              return t[k];
            },
          }),
          report,
        );
      };
      if (fn.__pulumiType) w.__pulumiType = fn.__pulumiType;
      return w;
    });
    return { ...p, validateResource: Array.isArray(v) ? wrapped : wrapped[0] } as Policy;
  }
  const fn = (p as unknown as { validateStack: Fn }).validateStack;
  const watchResource = (r: Args) =>
    new Proxy(r, {
      get: (t, k) => {
        if (k === "isType")
          return (cls: unknown) => {
            const yes = (t.isType as (c: unknown) => boolean)(cls);
            const token = pulumiType(cls) ?? String(cls);
            trace.asked.set(token, (trace.asked.get(token) ?? false) || yes);
            return yes;
          };
        if (k === "props" || k === "type" || k === "parent" || k === "urn") trace.looked = true;
        return t[k];
      },
    });
  const w: Fn = (args, report) =>
    fn(
      new Proxy(args as Args, {
        get: (t, k) => {
          if (k === "stackTags") trace.looked = true;
          if (k === "resources") return (t.resources as Args[]).map(watchResource);
          return t[k];
        },
      }),
      report,
    );
  if (fn.__pulumiType) w.__pulumiType = fn.__pulumiType;
  return { ...p, validateStack: w } as unknown as Policy;
}

/** Types a resource policy declares: its `types`, else its validations' type tokens. */
function declaredTypes(p: Policy): string[][] {
  const v = (p as { validateResource?: Fn | Fn[] }).validateResource;
  if (!v) return [];
  const fns = Array.isArray(v) ? v : [v];
  const types = (p as { types?: readonly string[] }).types;
  return fns.map((fn, i) => {
    const t = fn.__pulumiType ?? (types && fns.length === types.length ? types[i] : undefined);
    return t ? [t] : [...(types ?? [])];
  });
}

interface Run {
  label: string;
  resources: PolicyInput[];
  tags: ReadonlyMap<string, string>;
  category: Category;
}

const traces = new Map<string, Trace>();
const typeNa = new Map<string, Set<string>>();
/** Policy name -> the runs it threw on, with the error. */
const thrown = new Map<string, string[]>();
const newTrace = (): Trace => ({ readTypes: [], asked: new Map(), looked: false });

/** Runs the watched policies, every one mandatory with its category's settings, on each run. */
function runWatched(policies: readonly Policy[], runs: readonly Run[]): void {
  for (const r of runs) {
    const config = (ps: readonly Policy[]) =>
      Object.fromEntries(
        ps.map((p) => [
          p.name,
          { ...(categoryConfig(r.category)[p.name] ?? {}), enforcementLevel: "mandatory" },
        ]),
      );
    const record = (ps: readonly Policy[]) => {
      const result = evaluatePolicies(ps, r.resources, config(ps), r.tags);
      for (const n of result.notApplicable)
        if (TYPE_REASON.test(n.reason)) typeNa.get(n.policy)?.add(`${n.urn}`);
    };
    try {
      record(policies);
    } catch (e) {
      if (!(e instanceof PolicyRunError)) throw e;
      // One policy threw on this run: run them one by one to know which, so the others still count.
      for (const p of policies)
        try {
          record([p]);
        } catch (e1) {
          if (!(e1 instanceof PolicyRunError)) throw e1;
          thrown.get(p.name)?.push(`${r.label}: ${e1.message}`);
        }
    }
  }
}

describe("no policy is silently skipped offline", () => {
  before(async function () {
    this.timeout(120_000);
    const runs: Run[] = [];
    const present = new Set<string>();
    for (const stack of exampleStacks()) {
      const t = findStack(exampleServices(), stack)!;
      const resources = exportResources(toStackExport(await planOf(stack), "3"));
      resources.forEach((r) => present.add(r.type));
      runs.push({
        label: stack,
        resources,
        tags: stackTags(stack, t.service.spec.service.id, t.env.category),
        category: t.env.category,
      });
    }
    const watch = () =>
      POLICIES.map((p) => {
        traces.set(p.name, newTrace());
        typeNa.set(p.name, new Set());
        return watched(p, traces.get(p.name)!);
      });
    // A first pass learns which classes the stack policies ask about.
    runWatched(watch(), runs);
    const wanted = new Set(POLICIES.flatMap((p) => declaredTypes(p).flat()));
    for (const t of traces.values()) for (const token of t.asked.keys()) wanted.add(token);
    // Then every policy runs on the examples plus one resource with no props of each type no example creates.
    const empty = (types: string[], label: string): Run => ({
      label,
      resources: types.map((t) => res(t, {})),
      tags: TAGS(),
      category: "external",
    });
    const missing = [...wanted].filter((t) => !present.has(t));
    for (const p of POLICIES) thrown.set(p.name, []);
    runWatched(watch(), [...runs, empty(missing, "types no example creates")]);
    // Outside the trace (a read of an empty resource says nothing about the type filter): no policy throws on
    // a stack of nothing but resources with no props, one of every type the policies read.
    runWatched(POLICIES, [empty([...wanted], "empty props of every type")]);
  });

  for (const p of POLICIES)
    it(p.name, () => {
      const levels = CATEGORIES.map((c) => enforcementLevels(POLICIES, categoryConfig(c)).get(p.name));
      assert.ok(
        levels.some((l) => l !== "disabled"),
        `${p.name} is disabled in every category`,
      );
      assert.deepEqual(thrown.get(p.name), [], `${p.name} threw`);
      const trace = traces.get(p.name)!;
      const declared = declaredTypes(p);
      for (const token of declared.flat())
        if (!token.startsWith("msp:") && !token.startsWith("pulumi:"))
          assert.equal(pulumiType(classOf(token)), token, `"${token}" is not a provider's type token`);

      if (declared.length) {
        declared.forEach((types, i) => {
          const read = [...trace.readTypes[i]!];
          assert.ok(
            types.length ? types.some((t) => read.includes(t)) : read.length > 0,
            `${p.name}: check ${i} (${types.join(", ") || "any type"}) never read a resource's properties; it read ${read.join(", ") || "none"}`,
          );
        });
        return;
      }
      assert.deepEqual([...typeNa.get(p.name)!], [], `${p.name} was turned away by its type filter`);
      if (trace.asked.size)
        assert.ok(
          [...trace.asked.values()].some((yes) => yes),
          `${p.name} asked isType about ${[...trace.asked.keys()].join(", ")}: no resource ever was one`,
        );
      else assert.ok(trace.looked, `${p.name} never looked at the stack`);
    });
});
