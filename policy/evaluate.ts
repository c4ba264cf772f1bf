/**
 * Evaluates the pack in-process with the CrossGuard engine's semantics: resource and stack policies, the
 * enforcement precedence (pack config, then policy, then pack default), type fast-path and notApplicable,
 * config defaults from each policy's schema, stack tags, and values unknown at preview (the policy is
 * reported as advisory "can't run during preview", as the engine does).
 */
import { unknownCheckingProxy, UnknownValueError } from "@pulumi/policy";
import type { PolicyResource, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import type { Level, MspPolicy, MspResourcePolicy, MspStackPolicy } from "./define";

export const PACK_DEFAULT_LEVEL: Level = "advisory";

/** One resource as the analyzer sees it (from the offline engine or a stack export). */
export interface PolicyInput {
  urn: string;
  type: string;
  name: string;
  /** Inputs: what is known at preview. */
  inputs: Record<string, unknown>;
  /** State after the operation (stack policies read this); defaults to the inputs. */
  outputs?: Record<string, unknown>;
  parent?: string;
  provider?: string;
  protect?: boolean;
  ignoreChanges?: string[];
  deleteBeforeReplace?: boolean;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
}

/** `policy/config/<category>.json`: per policy, an enforcement level and configuration values. */
export type PackConfig = Record<string, { enforcementLevel?: Level } & Record<string, unknown>>;

export interface Diagnostic {
  policy: string;
  level: Level;
  severity: string;
  message: string;
  urn?: string;
  remediation?: string;
}

export interface EvaluationResult {
  violations: Diagnostic[];
  notApplicable: { policy: string; urn?: string; reason: string }[];
}

class NotApplicable extends Error {}

/** The SDK's isTypeOf: a class's attached Pulumi type token, else its isInstance on a stand-in object. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
  const cls = resourceClass as { __pulumiType?: string; isInstance?: (o: unknown) => boolean };
  if (typeof cls.__pulumiType === "string") return type === cls.__pulumiType;
  return typeof cls.isInstance === "function" && cls.isInstance({ __pulumiType: type }) === true;
}

/** isType / asType exactly as the analyzer builds them for a resource of `type`. */
function typeChecks(type: string, props: Record<string, unknown>) {
  return {
    isType: (resourceClass: unknown) => isTypeOf(type, resourceClass),
    asType: (resourceClass: unknown) => (isTypeOf(type, resourceClass) ? props : undefined),
  };
}

function effectiveLevel(policy: MspPolicy, config: PackConfig): Level {
  return (
    config[policy.name]?.enforcementLevel ??
    (policy.enforcementLevel as Level | undefined) ??
    PACK_DEFAULT_LEVEL
  );
}

/** The policy's config: schema defaults, overridden by the config file's values. */
function policyConfig(policy: MspPolicy, config: PackConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, schema] of Object.entries(policy.configSchema?.properties ?? {}))
    if ((schema as { default?: unknown }).default !== undefined)
      out[k] = (schema as { default: unknown }).default;
  const { enforcementLevel: _level, ...values } = config[policy.name] ?? {};
  return { ...out, ...values };
}

const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason ?? "not applicable");
};

export function nameOfUrn(urn: string): string {
  return urn.split("::").pop() ?? urn;
}

export function evaluatePolicies(
  policies: readonly MspPolicy[],
  resources: readonly PolicyInput[],
  config: PackConfig,
  stackTags: ReadonlyMap<string, string>,
): EvaluationResult {
  const result: EvaluationResult = { violations: [], notApplicable: [] };
  const policyResources = toPolicyResources(resources);
  for (const policy of policies) {
    const level = effectiveLevel(policy, config);
    if (level === "disabled") continue;
    const cfg = policyConfig(policy, config);
    const diag = (message: string, urn?: string, lvl: Level = level) =>
      result.violations.push({
        policy: policy.name,
        level: lvl,
        severity: policy.severity ?? "low",
        message,
        urn,
        remediation: policy.remediationSteps,
      });
    const run = (urn: string | undefined, fn: () => void) => {
      try {
        fn();
      } catch (e) {
        if (e instanceof NotApplicable)
          result.notApplicable.push({ policy: policy.name, urn, reason: e.message });
        else if (e instanceof UnknownValueError)
          diag(`can't run policy "${policy.name}" during preview: ${(e as Error).message}`, urn, "advisory");
        else throw e;
      }
    };
    if ("validateResource" in policy) {
      const types = (policy as MspResourcePolicy).types;
      const validate = (policy as MspResourcePolicy).validateResource;
      const validators = Array.isArray(validate) ? validate : validate ? [validate] : [];
      for (const r of resources) {
        if (types && !types.includes(r.type)) continue; // the engine's type fast-path: not applicable
        const args = resourceArgs(r, cfg, stackTags);
        for (const v of validators)
          run(r.urn, () => void v(args, (message, urn) => diag(message, urn ?? r.urn)));
      }
    } else {
      const args: StackValidationArgs = {
        resources: policyResources,
        getConfig: <T extends object>() => cfg as T,
        notApplicable,
        stackTags,
      };
      const stackPolicy = policy as MspStackPolicy;
      run(
        undefined,
        () => void stackPolicy.validateStack(args, (message: string, urn?: string) => diag(message, urn)),
      );
    }
  }
  return result;
}

/** The resource options the analyzer receives. */
function resourceOptions(r: PolicyInput): ResourceValidationArgs["opts"] {
  return {
    protect: r.protect ?? false,
    ignoreChanges: r.ignoreChanges ?? [],
    deleteBeforeReplace: r.deleteBeforeReplace,
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    parent: r.parent,
  };
}

function resourceArgs(
  r: PolicyInput,
  cfg: Record<string, unknown>,
  stackTags: ReadonlyMap<string, string>,
): ResourceValidationArgs {
  const props = unknownCheckingProxy(r.inputs);
  return {
    type: r.type,
    props,
    urn: r.urn,
    name: r.name,
    opts: resourceOptions(r),
    stackTags,
    ...typeChecks(r.type, props),
    getConfig: <T extends object>() => cfg as T,
    notApplicable,
  } as ResourceValidationArgs;
}

function toPolicyResources(resources: readonly PolicyInput[]): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  for (const r of resources) {
    const props = unknownCheckingProxy({ ...(r.outputs ?? {}), ...r.inputs });
    byUrn.set(r.urn, {
      type: r.type,
      urn: r.urn,
      name: r.name,
      props,
      opts: resourceOptions(r),
      dependencies: [],
      propertyDependencies: {},
      ...typeChecks(r.type, props),
    } as unknown as PolicyResource);
  }
  for (const r of resources) {
    const pr = byUrn.get(r.urn) as unknown as {
      parent?: PolicyResource;
      dependencies: PolicyResource[];
      propertyDependencies: Record<string, PolicyResource[]>;
    };
    pr.parent = r.parent ? byUrn.get(r.parent) : undefined;
    pr.dependencies = (r.dependencies ?? []).map((u) => byUrn.get(u)).filter((x): x is PolicyResource => !!x);
    for (const [k, urns] of Object.entries(r.propertyDependencies ?? {}))
      pr.propertyDependencies[k] = urns.map((u) => byUrn.get(u)).filter((x): x is PolicyResource => !!x);
  }
  return [...byUrn.values()];
}

export const mandatory = (r: EvaluationResult) => r.violations.filter((v) => v.level === "mandatory");
