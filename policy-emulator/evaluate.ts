/**
 * Evaluates policies in-process exactly as `pulumi preview --policy-pack policy` does, for `msp preview`,
 * `msp policy check`, the fleet workers and the tests.
 *
 * The inputs are what the engine sends (analyzer-request.ts), decoded with the SDK's own
 * `deserializeProperties` and `unknownCheckingProxy`; the configuration is what the CLI sends with `Configure`
 * (analyzer-config.ts: schema defaults, "all", validation). The evaluation follows @pulumi/policy's server.js
 * (1.21) step by step: enforcement level from the config, else the policy, else the pack; `validateResource`
 * on every resource's inputs, skipped as not applicable when its function carries another Pulumi type;
 * `validateStack` once on every resource's outputs, with parents and dependencies resolved; violations
 * reported as "<description>\n<message>"; a value unknown at preview turns the policy into one advisory
 * "can't run ... during preview"; `notApplicable(reason)` is recorded. Diagnostics then get the URN the engine
 * shows: the analysed resource for `Analyze` (whatever URN the policy gave), the given URN for `AnalyzeStack`
 * when it names a resource of the stack, else the stack itself.
 *
 * Why not call the SDK's `makeAnalyzeRpcFun`: it awaits every validation (its result arrives after the current
 * turn) and reads the policy config and stack tags from private module state that only its gRPC
 * `Configure`/`ConfigureStack` handlers set, while every caller here needs a synchronous result. The
 * differential test (test/policy-emulator/analyzer-differential.e2e.test.ts) runs the pack through the path the CLI uses
 * and checks that both give the same violations on every example stack.
 */
import { UnknownValueError } from "@pulumi/policy";
import {
  deserializeProperties,
  getPulumiType,
  isResourcePolicy,
  isStackPolicy,
  Struct,
  unknownCheckingProxy,
} from "../pulumi-sdk/analyzer";
import type { Policy, PolicyResource, ReportViolation } from "@pulumi/policy";
import {
  analyzerResource,
  resourcesByUrn,
  stackResources,
  type AnalyzerOptions,
  type AnalyzerResourceData,
  type PolicyInput,
  type ProviderCache,
} from "./analyzer-request";
import { appliesToOf } from "../policy/applies-to";
import { newUrn, ROOT_STACK_TYPE, scopeOfAnyUrn } from "../engine/urn";
import {
  policyInfos,
  reconcilePolicyPackConfig,
  type EnforcementLevel,
  type PolicyConfig,
} from "./analyzer-config";

export { type PolicyInput };
export { PolicyConfigError } from "./analyzer-config";

export type Level = Exclude<EnforcementLevel, "remediate">;

/** The pack as policy/index.ts constructs it (the differential test checks the served pack says the same). */
export const PACK_NAME = "msp";
export const PACK_DEFAULT_LEVEL: Level = "advisory";
export const PACK_VERSION = (require("../policy/package.json") as { version: string }).version;

/** `policy/config/<category>.json`: per policy, an enforcement level and configuration values. */
export type PackConfig = Record<string, { enforcementLevel?: Level } & Record<string, unknown>>;

/** A `--policy-pack-config` file's content: per policy (or "all") a level, or a level and properties. */
export type PolicyPackConfigFile = Readonly<Record<string, unknown>>;

export interface Diagnostic {
  policy: string;
  level: Level;
  severity: string;
  /** As the engine reports it: the policy's description, then the violation's own message. */
  message: string;
  /** The resource the engine attributes the violation to. */
  urn?: string;
  description?: string;
  remediation?: string;
}

export interface EvaluationResult {
  violations: Diagnostic[];
  notApplicable: { policy: string; urn?: string; reason: string }[];
}

/** A policy threw (not an unknown value, not "not applicable"): the engine fails the preview. */
export class PolicyRunError extends Error {
  override name = "PolicyRunError";
}

type Json = Record<string, unknown>;
type Validation = (args: unknown, report: ReportViolation) => unknown;

/**
 * Thrown by `notApplicable()`, thousands of times per stack (a policy per resource it does not apply to): it
 * carries no stack trace, which would be most of its cost and is never shown.
 */
class NotApplicableError extends Error {
  readonly reason?: string;
  constructor(reason?: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(reason ?? "Policy does not apply");
    Error.stackTraceLimit = limit;
    this.reason = reason;
  }
}
const throwNotApplicable = (reason?: string): never => {
  throw new NotApplicableError(reason);
};

/** The SDK's isTypeOf: a class's attached Pulumi type token, else its isInstance on a stand-in object. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
  const pulumiType = getPulumiType(resourceClass);
  if (pulumiType) return type === pulumiType;
  const isInstance = (resourceClass as { isInstance?: unknown } | undefined)?.isInstance;
  return (
    typeof isInstance === "function" &&
    (isInstance as (o: unknown) => unknown)({ __pulumiType: type }) === true
  );
}

/** The SDK's read-only view of the stack tags. */
function freezeMap(map: Map<string, string>): ReadonlyMap<string, string> {
  return Object.freeze({
    entries: map.entries.bind(map),
    forEach: map.forEach.bind(map),
    get: map.get.bind(map),
    has: map.has.bind(map),
    keys: map.keys.bind(map),
    size: map.size,
    values: map.values.bind(map),
    [Symbol.iterator]: map[Symbol.iterator].bind(map),
  });
}

/** What the SDK's `Configure` handler stores: per policy, the properties (through protobuf) and the level. */
function configured(config: ReadonlyMap<string, PolicyConfig>): Map<string, Json> {
  const out = new Map<string, Json>();
  for (const [name, c] of config) {
    const props = Struct.fromJavaScript((c.properties ?? {}) as never).toJavaScript() as Json;
    props.enforcementLevel = c.enforcementLevel;
    out.set(name, props);
  }
  return out;
}

const configCache = new WeakMap<readonly Policy[], Map<string, Map<string, Json>>>();

/** The configuration `Configure` stores for these policies and this config file (memoised: fleets reuse it). */
function packConfig(policies: readonly Policy[], file: PolicyPackConfigFile): Map<string, Json> {
  let byFile = configCache.get(policies);
  if (!byFile) configCache.set(policies, (byFile = new Map<string, Map<string, Json>>()));
  const key = JSON.stringify(file);
  let config = byFile.get(key);
  if (!config) {
    const infos = policyInfos(PACK_NAME, PACK_VERSION, PACK_DEFAULT_LEVEL, policies);
    byFile.set(key, (config = configured(reconcilePolicyPackConfig(infos, file))));
  }
  return config;
}

/** A deep copy of plain JSON data: what decoding a protobuf Struct gives. */
function cloneJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(cloneJson);
  if (typeof v !== "object" || v === null) return v;
  const out: Json = {};
  for (const k of Object.keys(v)) out[k] = cloneJson((v as Json)[k]);
  return out;
}

/** The SDK's `unknownCheckingProxy(deserializeProperties(struct, false))` of a resource's properties. */
const deserializedProps = (properties: Json): Json =>
  unknownCheckingProxy(deserializeProperties({ toJavaScript: () => cloneJson(properties) as never }, false));

/** The SDK's getResourceOptions. */
function resourceOptions(o: AnalyzerOptions): Json {
  const result: Json = {
    protect: o.protect,
    ignoreChanges: [...o.ignoreChanges],
    aliases: [...o.aliases],
    customTimeouts: {
      createSeconds: o.customTimeouts.create,
      updateSeconds: o.customTimeouts.update,
      deleteSeconds: o.customTimeouts.delete,
    },
    additionalSecretOutputs: [...o.additionalSecretOutputs],
  };
  if (o.deleteBeforeReplace !== undefined) result.deleteBeforeReplace = o.deleteBeforeReplace;
  if (o.parent) result.parent = o.parent;
  return result;
}

/**
 * What the SDK hands a policy for a resource or a provider: type, URN, name and `props`, which the SDK
 * deserializes before each validation and which is deserialized here on first read (most policies check the
 * type first and never read other resources' props); each view has its own copy, as with the SDK.
 *
 * Views are classes, where the SDK builds object literals: an object literal with a getter is some ten times
 * slower to create, and a stack policy gets a view of every resource. The values are the SDK's; only reflection
 * tells them apart (`props` and the other lazily made members are getters of the prototype, not own data).
 */
class PropsView {
  #properties: Json;
  #props: Json | undefined;
  constructor(
    readonly type: string,
    readonly urn: string,
    readonly name: string,
    properties: Json,
  ) {
    this.#properties = properties;
  }
  get props(): Json {
    return (this.#props ??= deserializedProps(this.#properties));
  }
}

/** The SDK's getProviderResource. */
const providerView = (p: AnalyzerResourceData["provider"]) =>
  p && new PropsView(p.type, p.urn, p.name, p.properties);

/** A resource with the SDK's isType/asType. */
class ResourceView extends PropsView {
  readonly isType = (cls: unknown) => isTypeOf(this.type, cls);
  readonly asType = (cls: unknown) => (isTypeOf(this.type, cls) ? this.props : undefined);
}

/** The arguments of `validateResource` (the SDK's ResourceValidationArgs). */
class ValidationArgs extends ResourceView {
  readonly opts: Json;
  declare readonly provider?: PropsView;
  constructor(
    r: AnalyzerResourceData,
    readonly stackTags: ReadonlyMap<string, string>,
    readonly getConfig: ReturnType<typeof getConfigFun>,
  ) {
    super(r.type, r.urn, r.name, r.properties);
    this.opts = resourceOptions(r.options);
    const provider = providerView(r.provider);
    if (provider) this.provider = provider;
  }
  readonly notApplicable = throwNotApplicable;
}

/** A resource of `validateStack` (the SDK's PolicyResource): options, provider and dependencies on first read. */
class StackResourceView extends ResourceView {
  declare parent?: StackResourceView;
  #r: AnalyzerResourceData;
  #byUrn: ReadonlyMap<string, StackResourceView>;
  #opts?: Json;
  #provider?: { v: PropsView | undefined };
  #dependencies?: StackResourceView[];
  #propertyDependencies?: Record<string, StackResourceView[]>;
  constructor(r: AnalyzerResourceData, byUrn: ReadonlyMap<string, StackResourceView>) {
    super(r.type, r.urn, r.name, r.properties);
    this.#r = r;
    this.#byUrn = byUrn;
  }
  #resolve(urns: readonly string[]): StackResourceView[] {
    return urns.map((u) => this.#byUrn.get(u)).filter((x): x is StackResourceView => x !== undefined);
  }
  get opts(): Json {
    return (this.#opts ??= resourceOptions(this.#r.options));
  }
  get provider(): PropsView | undefined {
    return (this.#provider ??= { v: providerView(this.#r.provider) }).v;
  }
  get dependencies(): StackResourceView[] {
    return (this.#dependencies ??= this.#resolve(this.#r.dependencies));
  }
  get propertyDependencies(): Record<string, StackResourceView[]> {
    if (!this.#propertyDependencies) {
      this.#propertyDependencies = {};
      for (const [k, urns] of Object.entries(this.#r.propertyDependencies))
        this.#propertyDependencies[k] = this.#resolve(urns);
    }
    return this.#propertyDependencies;
  }
}

/** A diagnostic as the SDK sends it, before the engine attributes it to a resource. */
interface RawDiagnostic {
  policyName: string;
  message: string;
  enforcementLevel: EnforcementLevel;
  severity?: string;
  description?: string;
  urn?: string;
}

interface PackRun {
  policies: readonly Policy[];
  config: Map<string, Json>;
  stackTags: ReadonlyMap<string, string>;
  diagnostics: { raw: RawDiagnostic; stack: boolean; urn: string }[];
  notApplicable: EvaluationResult["notApplicable"];
}

const policyFrom = (name: string) => `policy '${name}' from policy pack '${PACK_NAME}@v${PACK_VERSION}'`;

function levelOf(run: PackRun, p: Policy): EnforcementLevel {
  return (
    (run.config.get(p.name)?.enforcementLevel as EnforcementLevel | undefined) ||
    p.enforcementLevel ||
    PACK_DEFAULT_LEVEL
  );
}

/** The SDK's makeGetConfigFun: the configured properties, without the level. */
function getConfigFun(run: PackRun, name: string) {
  return <T extends object>(): T => {
    const c = run.config.get(name);
    if (!c) return {} as T;
    const { enforcementLevel: _level, ...properties } = c;
    return properties as T;
  };
}

/** The SDK's makeReportViolationFun. */
function reportViolationFun(p: Policy, level: EnforcementLevel, push: (d: RawDiagnostic) => void) {
  return ((message: unknown, urn?: string) => {
    if (typeof message === "object" && message !== null) {
      const info = message as Partial<RawDiagnostic> & { name?: string };
      push({
        policyName: info.name || p.name,
        message: info.message || info.description || p.description,
        urn: info.urn,
        description: info.description || p.description,
        enforcementLevel: info.enforcementLevel || level,
        severity: info.severity || p.severity,
      });
    } else {
      push({
        policyName: p.name,
        // Not an object: the SDK joins the message as it is (a string, in practice).
        message: message ? `${p.description}\n${message as string}` : p.description,
        urn,
        description: p.description,
        enforcementLevel: level,
        severity: p.severity,
      });
    }
  }) as ReportViolation;
}

/** Runs one validation and sorts its failure out as the SDK does. */
function guarded(
  p: Policy,
  push: (d: RawDiagnostic) => void,
  notApplicable: (reason?: string) => void,
  fn: () => unknown,
) {
  try {
    const result = fn();
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === "function") {
      (result as Promise<unknown>).catch(() => undefined);
      throw new PolicyRunError(
        `${policyFrom(p.name)} returned a promise: policies evaluated offline must be synchronous`,
      );
    }
  } catch (e: unknown) {
    if (e instanceof UnknownValueError)
      push({
        policyName: p.name,
        message: `can't run ${policyFrom(p.name)} during preview: ${(e as Error).message}`,
        description: p.description,
        severity: p.severity,
        enforcementLevel: "advisory",
      });
    else if (e instanceof NotApplicableError) notApplicable(e.reason);
    else if (e instanceof PolicyRunError) throw e;
    else
      throw new PolicyRunError(
        `Error validating resource with ${policyFrom(p.name)}: ${e instanceof Error ? e.message : String(e)}`,
        { cause: e },
      );
  }
}

/** The SDK's Analyze handler for one resource. */
function analyze(run: PackRun, r: AnalyzerResourceData): void {
  const { type, urn } = r;
  const push = (raw: RawDiagnostic) => run.diagnostics.push({ raw, stack: false, urn });
  const na = (policy: string, reason?: string) =>
    run.notApplicable.push({ policy, urn, reason: reason ?? "" });
  for (const p of run.policies) {
    let level = levelOf(run, p);
    if (level === "disabled" || !isResourcePolicy(p)) continue;
    const validateResource = (p as { validateResource?: Validation | Validation[] }).validateResource;
    if (!validateResource) {
      na(p.name, "Policy does not implement validateResource");
      continue;
    }
    if (level === "remediate") level = "mandatory";
    if (!Array.isArray(validateResource)) {
      const pulumiType = getPulumiType(validateResource);
      if (pulumiType && type !== pulumiType) {
        na(p.name, `Policy only applies to resources of type '${pulumiType}'`);
        continue;
      }
      // What calling it would record, known without the call (applies-to.ts).
      const appliesTo = appliesToOf(validateResource);
      if (appliesTo && !appliesTo.types.has(type)) {
        na(p.name, appliesTo.reason);
        continue;
      }
    }
    const report = reportViolationFun(p, level, push);
    for (const validation of Array.isArray(validateResource) ? validateResource : [validateResource])
      guarded(
        p,
        push,
        (reason) => na(p.name, reason),
        () => {
          const args = new ValidationArgs(r, run.stackTags, getConfigFun(run, p.name));
          return validation(args, report);
        },
      );
  }
}

/** The stack's resources as the SDK gives them to a stack policy, anew for each policy: parents resolved. */
function policyResources(resources: readonly AnalyzerResourceData[]): PolicyResource[] {
  const byUrn = new Map<string, StackResourceView>();
  const views = resources.map((r) => {
    const view = new StackResourceView(r, byUrn);
    byUrn.set(r.urn, view);
    return view;
  });
  resources.forEach((r, i) => {
    const parent = r.parent ? byUrn.get(r.parent) : undefined;
    if (parent) views[i]!.parent = parent;
  });
  return views as unknown as PolicyResource[];
}

/** The SDK's AnalyzeStack handler. */
function analyzeStack(run: PackRun, resources: readonly AnalyzerResourceData[]): void {
  const push = (raw: RawDiagnostic) => run.diagnostics.push({ raw, stack: true, urn: raw.urn ?? "" });
  const na = (policy: string, reason?: string) => run.notApplicable.push({ policy, reason: reason ?? "" });
  for (const p of run.policies) {
    let level = levelOf(run, p);
    if (level === "disabled" || !isStackPolicy(p)) continue;
    if (level === "remediate") level = "mandatory";
    const validateStack = (p as unknown as { validateStack: Validation }).validateStack;
    const pulumiType = getPulumiType(validateStack);
    if (pulumiType && !resources.some((r) => r.type === pulumiType)) {
      na(p.name, `Policy only applies to resources of type '${pulumiType}'`);
      continue;
    }
    const report = reportViolationFun(p, level, push);
    guarded(
      p,
      push,
      (reason) => na(p.name, reason),
      () =>
        validateStack(
          {
            resources: policyResources(resources),
            getConfig: getConfigFun(run, p.name),
            stackTags: run.stackTags,
            notApplicable: throwNotApplicable,
          },
          report,
        ),
    );
  }
}

/** The stack's own URN, which the engine shows for stack violations without a resource of the stack. */
export function rootStackUrn(resources: readonly { urn: string; type: string }[]): string | undefined {
  const stack = resources.find((r) => r.type === "pulumi:pulumi:Stack");
  if (stack) return stack.urn;
  const scope = resources[0] && scopeOfAnyUrn(resources[0].urn);
  return scope && newUrn(scope, "", ROOT_STACK_TYPE, `${scope.project}-${scope.stack}`);
}

/**
 * The URN the engine shows a diagnostic under: the analysed resource's for `Analyze`; for `AnalyzeStack`
 * the reported one when it is a resource of the stack, else the stack's.
 */
export function engineUrn(
  stack: boolean,
  urn: string,
  stackUrns: ReadonlySet<string> | ReadonlyMap<string, unknown>,
  root: string | undefined,
): string | undefined {
  if (!stack) return urn;
  return urn && stackUrns.has(urn) ? urn : root;
}

/**
 * Evaluates `policies` on `resources` as the engine does during `pulumi preview`: `Analyze` for each resource
 * in order, then `AnalyzeStack`. `config` is a `--policy-pack-config` file's content. Throws
 * `PolicyConfigError` when the CLI would refuse the config, `PolicyRunError` when a policy fails.
 */
export function evaluatePolicies(
  policies: readonly Policy[],
  resources: readonly PolicyInput[],
  config: PolicyPackConfigFile,
  stackTags: ReadonlyMap<string, string>,
): EvaluationResult {
  const run: PackRun = {
    policies,
    config: packConfig(policies, config),
    stackTags: freezeMap(new Map(stackTags)),
    diagnostics: [],
    notApplicable: [],
  };
  const byUrn = resourcesByUrn(resources);
  const providers: ProviderCache = new Map();
  for (const r of resources) analyze(run, analyzerResource(r, byUrn, false, providers));
  analyzeStack(run, stackResources(resources));
  const root = rootStackUrn(resources);
  const byName = new Map(policies.map((p) => [p.name, p]));
  return {
    violations: run.diagnostics.map(({ raw, stack, urn }) => ({
      policy: raw.policyName,
      level: raw.enforcementLevel === "remediate" ? "mandatory" : raw.enforcementLevel,
      severity: raw.severity ?? "unspecified",
      message: raw.message,
      urn: engineUrn(stack, urn, byUrn, root),
      description: raw.description,
      remediation: byName.get(raw.policyName)?.remediationSteps,
    })),
    notApplicable: run.notApplicable,
  };
}

/** Each policy's enforcement level under `config`, as the analyzer resolves it. */
export function enforcementLevels(
  policies: readonly Policy[],
  config: PolicyPackConfigFile,
): Map<string, Level> {
  const run = { config: packConfig(policies, config) } as PackRun;
  return new Map(
    policies.map((p) => {
      const level = levelOf(run, p);
      return [p.name, level === "remediate" ? "mandatory" : level];
    }),
  );
}

export const mandatory = (r: EvaluationResult) => r.violations.filter((v) => v.level === "mandatory");
