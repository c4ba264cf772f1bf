/**
 * The analyzer requests the Pulumi engine sends a policy pack, built from our resources (an offline plan or a
 * stack export): `Analyze` per resource with its inputs, `AnalyzeStack` once with every resource's outputs,
 * parent, dependencies and property dependencies, each with its options and its provider. Both the in-process
 * evaluator (which reads them as plain data) and the differential test (which encodes them as the protobuf messages
 * and sends them over gRPC to the pack started as the CLI starts it) use the same descriptions.
 *
 * Property values are marshalled as the engine marshals them for analyzers (MarshalProperties with
 * KeepUnknowns, KeepSecrets and SkipInternalKeys): keys starting with "__" are dropped at every depth, secrets
 * travel as secret values, resource references become their ID (custom resources) or URN, output values their
 * value (unknown when they have none). Secrets redacted in our exports (and ciphertexts in a real
 * `pulumi stack export`) cannot be decrypted here: the policy sees the placeholder "[secret]".
 */
import {
  AnalyzeRequest,
  AnalyzeStackRequest,
  AnalyzerPropertyDependencies,
  AnalyzerProviderResource,
  AnalyzerResource,
  AnalyzerResourceOptions,
  Struct,
  specialOutputValueSig,
  specialResourceSig,
  specialSecretSig,
  specialSigKey,
  unknownValue,
} from "../pulumi-sdk/analyzer";
import { REDACTED } from "../engine/redact";
import { nameOfAnyUrn } from "../engine/urn";

/** One resource as the engine knows it (from the offline engine or a stack export). */
export interface PolicyInput {
  urn: string;
  type: string;
  name: string;
  /** Inputs: what `Analyze` sees, before the resource is created or updated. */
  inputs: Record<string, unknown>;
  /** State after the operation: what `AnalyzeStack` sees. Defaults to the inputs. */
  outputs?: Record<string, unknown>;
  parent?: string;
  /** Provider reference, `<provider URN>::<provider ID>`. */
  provider?: string;
  protect?: boolean;
  ignoreChanges?: string[];
  deleteBeforeReplace?: boolean;
  additionalSecretOutputs?: string[];
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** A property value as the engine marshals it for an analyzer. */
export function analyzerValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(analyzerValue);
  if (!isObject(v)) return v;
  switch (v[specialSigKey]) {
    case specialSecretSig:
      return { [specialSigKey]: specialSecretSig, value: "value" in v ? analyzerValue(v.value) : REDACTED };
    case specialResourceSig: {
      const id = v.id;
      return typeof id === "string" && id !== "" ? id : v.urn;
    }
    case specialOutputValueSig: {
      const value = "value" in v ? analyzerValue(v.value) : unknownValue;
      return v.secret === true ? { [specialSigKey]: specialSecretSig, value } : value;
    }
    case undefined:
      return analyzerProperties(v);
    default:
      return v; // assets and archives: the SDK decodes them
  }
}

/** A property map as the engine marshals it: internal ("__") keys dropped, values marshalled. */
export function analyzerProperties(props: Json | undefined): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(props ?? {}))
    if (!k.startsWith("__") && v !== undefined) out[k] = analyzerValue(v);
  return out;
}

/** The options the engine sends with a resource (AnalyzerResourceOptions). */
export interface AnalyzerOptions {
  protect: boolean;
  ignoreChanges: string[];
  /** Sent only when the program set it. */
  deleteBeforeReplace?: boolean;
  additionalSecretOutputs: string[];
  aliases: string[];
  customTimeouts: { create: number; update: number; delete: number };
  parent: string;
}

/** A resource as the engine describes it to an analyzer, properties already marshalled. */
export interface AnalyzerResourceData {
  urn: string;
  type: string;
  name: string;
  properties: Json;
  options: AnalyzerOptions;
  provider?: { urn: string; type: string; name: string; properties: Json };
  /** `AnalyzeStack` only. */
  parent: string;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
}

/** The URN part of a provider reference `<urn>::<id>`. */
export const providerUrn = (ref: string) => ref.slice(0, ref.lastIndexOf("::"));

export const resourcesByUrn = (resources: readonly PolicyInput[]) =>
  new Map(resources.map((r) => [r.urn, r]));

/** Provider descriptions by provider reference: a stack's resources share a handful of providers. */
export type ProviderCache = Map<string, AnalyzerResourceData["provider"]>;

/** The provider of a resource as the engine describes it: the provider resource's inputs, marshalled. */
function providerData(
  ref: string,
  byUrn: ReadonlyMap<string, PolicyInput>,
  cache: ProviderCache,
): AnalyzerResourceData["provider"] {
  if (cache.has(ref)) return cache.get(ref);
  const p = byUrn.get(providerUrn(ref));
  const data = p && {
    urn: p.urn,
    type: p.type,
    name: nameOfAnyUrn(p.urn),
    properties: analyzerProperties(p.inputs),
  };
  cache.set(ref, data);
  return data;
}

/**
 * A resource as `Analyze` (its inputs, `stack` false) or `AnalyzeStack` (its outputs, parent and
 * dependencies) receives it, with its options and its provider (the provider resource's inputs).
 */
export function analyzerResource(
  r: PolicyInput,
  byUrn: ReadonlyMap<string, PolicyInput>,
  stack: boolean,
  providers: ProviderCache = new Map(),
): AnalyzerResourceData {
  const propertyDependencies: Record<string, string[]> = {};
  if (stack)
    for (const [k, urns] of Object.entries(r.propertyDependencies ?? {}))
      if (urns.length) propertyDependencies[k] = urns; // the engine skips properties without dependencies
  return {
    urn: r.urn,
    type: r.type,
    name: nameOfAnyUrn(r.urn),
    properties: analyzerProperties(stack ? (r.outputs ?? r.inputs) : r.inputs),
    options: {
      protect: r.protect ?? false,
      ignoreChanges: r.ignoreChanges ?? [],
      deleteBeforeReplace: r.deleteBeforeReplace,
      additionalSecretOutputs: r.additionalSecretOutputs ?? [],
      aliases: [],
      customTimeouts: { create: 0, update: 0, delete: 0 },
      parent: r.parent ?? "",
    },
    provider: r.provider ? providerData(r.provider, byUrn, providers) : undefined,
    parent: stack ? (r.parent ?? "") : "",
    dependencies: stack ? (r.dependencies ?? []) : [],
    propertyDependencies,
  };
}

/** The resources of `AnalyzeStack`, in order. */
export function stackResources(resources: readonly PolicyInput[]): AnalyzerResourceData[] {
  const byUrn = resourcesByUrn(resources);
  const providers: ProviderCache = new Map();
  return resources.map((r) => analyzerResource(r, byUrn, true, providers));
}

// Protobuf messages, as sent over gRPC.

const struct = (props: Json) => Struct.fromJavaScript(props as never);

function optionsMessage(o: AnalyzerOptions): AnalyzerResourceOptions {
  const opts = new AnalyzerResourceOptions();
  opts.setProtect(o.protect);
  opts.setIgnorechangesList(o.ignoreChanges);
  opts.setDeletebeforereplace(o.deleteBeforeReplace ?? false);
  opts.setDeletebeforereplacedefined(o.deleteBeforeReplace !== undefined);
  opts.setAdditionalsecretoutputsList(o.additionalSecretOutputs);
  opts.setAliasesList(o.aliases);
  const timeouts = new AnalyzerResourceOptions.CustomTimeouts();
  timeouts.setCreate(o.customTimeouts.create);
  timeouts.setUpdate(o.customTimeouts.update);
  timeouts.setDelete(o.customTimeouts.delete);
  opts.setCustomtimeouts(timeouts);
  opts.setParent(o.parent);
  return opts;
}

function providerMessage(p: AnalyzerResourceData["provider"]) {
  if (!p) return undefined;
  const msg = new AnalyzerProviderResource();
  msg.setUrn(p.urn);
  msg.setType(p.type);
  msg.setName(p.name);
  msg.setProperties(struct(p.properties));
  return msg;
}

/** The `Analyze` request for one resource. */
export function analyzeRequestMessage(r: AnalyzerResourceData): AnalyzeRequest {
  const req = new AnalyzeRequest();
  req.setUrn(r.urn);
  req.setType(r.type);
  req.setName(r.name);
  req.setProperties(struct(r.properties));
  req.setOptions(optionsMessage(r.options));
  const p = providerMessage(r.provider);
  if (p) req.setProvider(p);
  return req;
}

/** The `AnalyzeStack` request. */
export function analyzeStackRequestMessage(resources: readonly AnalyzerResourceData[]): AnalyzeStackRequest {
  const req = new AnalyzeStackRequest();
  req.setResourcesList(
    resources.map((r) => {
      const msg = new AnalyzerResource();
      msg.setUrn(r.urn);
      msg.setType(r.type);
      msg.setName(r.name);
      msg.setProperties(struct(r.properties));
      msg.setOptions(optionsMessage(r.options));
      const p = providerMessage(r.provider);
      if (p) msg.setProvider(p);
      msg.setParent(r.parent);
      msg.setDependenciesList(r.dependencies);
      const deps = msg.getPropertydependenciesMap();
      for (const [k, urns] of Object.entries(r.propertyDependencies)) {
        const d = new AnalyzerPropertyDependencies();
        d.setUrnsList(urns);
        deps.set(k, d);
      }
      return msg;
    }),
  );
  return req;
}
