/**
 * How every MSP policy is declared: CrossGuard policy fields plus the metadata the pack's documentation and
 * per-category configuration are generated from (levels per category, scanner and CIS ids, remediation).
 * Resource policies are typed: each check names a provider class (gcp.sql.DatabaseInstance, cloudflare.DnsRecord)
 * and runs through the SDK's own `validateResourceOfType`, so it reads typed fields
 * (`db.settings?.backupConfiguration?.enabled`) and the analyzer can skip other types by their type token.
 * Every policy also accepts per-resource exemptions, each with a written reason.
 */
import {
  validateResourceOfType,
  type EnforcementLevel,
  type PolicyConfigSchema,
  type PolicyResource,
  type ReportViolation,
  type ResourceValidation,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type StackValidationArgs,
  type StackValidationPolicy,
} from "@pulumi/policy";
import type { Resource, Unwrap } from "@pulumi/pulumi";
import type { ResolvedResource } from "../pulumi-sdk/analyzer";
import type { Category } from "../platform/categories";
import { APPLIES_TO, type AppliesTo } from "./applies-to";
import { nameOfAnyUrn } from "../engine/urn";
import type { PolicySettings } from "../servicespec/security-rules";

export type Level = Exclude<EnforcementLevel, "remediate">;
export type PolicySeverity = "low" | "medium" | "high" | "critical";
export type PolicyGroup =
  "Naming and metadata" | "WAF and edge" | "Backups and data safety" | "Security" | "Cost and hygiene";

export interface PolicyMeta {
  group: PolicyGroup;
  /** Enforcement per environment category (policy/config/<category>.json is generated from this). */
  levels: Readonly<Record<Category, Level>>;
  /**
   * Scanner and benchmark rules this policy corresponds to. Exact Checkov ids (CKV_GCP_6, CKV2_GCP_5) and CIS
   * GCP Foundations v3.0.0 ids ("CIS 6.2.4") count as covered in the coverage table (policy/coverage.ts);
   * anything else (Trivy ids, "analogue of ...") is documentation only.
   */
  frameworks: readonly string[];
  /** Per-category configuration values written into the category config files. */
  configByCategory?: Partial<Record<Category, Record<string, unknown>>>;
  /**
   * Configuration values taken from the platform settings in Pulumi.yaml (`msp:allowedZones`, ...): a policy
   * cannot read stack config, so `msp policy docs` writes these into every category config file.
   */
  configFromPlatform?: (settings: PolicySettings) => Record<string, unknown>;
}

export interface Exemption {
  /** URN, or resource name, the exemption applies to. */
  resource: string;
  /** Why the rule does not apply; required. */
  reason: string;
}

interface Common {
  name: string;
  description: string;
  severity: PolicySeverity;
  remediation: string;
  meta: PolicyMeta;
  /** JSON-schema properties of the policy's own configuration, with defaults. */
  config?: Record<string, { type: string; default?: unknown; items?: unknown; description?: string }>;
}

export type MspResourcePolicy = ResourceValidationPolicy & { meta: PolicyMeta; types?: readonly string[] };
export type MspStackPolicy = StackValidationPolicy & { meta: PolicyMeta };
export type MspPolicy = MspResourcePolicy | MspStackPolicy;

const EXEMPTIONS_SCHEMA = {
  type: "array",
  default: [],
  description: "Resources (URN or name) this policy does not apply to, each with a written reason.",
  items: {
    type: "object",
    required: ["resource", "reason"],
    properties: { resource: { type: "string", minLength: 1 }, reason: { type: "string", minLength: 10 } },
  },
};

function configSchema(config: Common["config"]): PolicyConfigSchema {
  return {
    properties: { ...(config ?? {}), exemptions: EXEMPTIONS_SCHEMA } as PolicyConfigSchema["properties"],
  };
}

/** The CrossGuard fields every MSP policy shares, from its declaration. */
function commonFields(def: Common) {
  return {
    name: def.name,
    description: def.description,
    severity: def.severity,
    remediationSteps: def.remediation,
    tags: [...def.meta.frameworks],
    configSchema: configSchema(def.config),
    meta: def.meta,
  };
}

function exemptionFor(args: {
  urn: string;
  name: string;
  getConfig<T extends object>(): T;
}): Exemption | undefined {
  const { exemptions } = args.getConfig<{ exemptions?: Exemption[] }>();
  return exemptions?.find((e) => e.resource === args.urn || e.resource === args.name);
}

/** A provider resource class: gcp.sql.DatabaseInstance, cloudflare.DnsRecord, ... */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's own signature for resource classes
export type ResourceClass<TArgs> = { new (name: string, args: TArgs, ...rest: any[]): Resource };

/** The Pulumi type token of a provider class (the SDK attaches it as `__pulumiType`). */
export function typeOf(cls: unknown): string {
  const token = (cls as { __pulumiType?: unknown }).__pulumiType;
  if (typeof token !== "string") throw new Error("not a Pulumi resource class");
  return token;
}

/** One typed check of a resource policy: the class it applies to and what it verifies. */
export interface TypedCheck<C> {
  type: string;
  /** Builds the SDK validation (validateResourceOfType) around the policy's exemption handling. */
  build(exempt: (args: ResourceValidationArgs) => void): ResourceValidation;
  /** Never set: it only ties the check's configuration type to its policy's. */
  readonly _config?: C;
}

/**
 * A typed check: `props` are the resource's inputs typed as the class's args (`Unwrap<DatabaseInstanceArgs>`),
 * exactly what `validateResourceOfType` hands over; config is the policy's configuration.
 */
export function check<TArgs, C = Record<string, never>>(
  cls: ResourceClass<TArgs>,
  validate: (
    props: Unwrap<NonNullable<TArgs>>,
    report: (message: string) => void,
    args: ResourceValidationArgs,
    config: C,
  ) => void,
): TypedCheck<C> {
  return {
    type: typeOf(cls),
    build: (exempt) =>
      validateResourceOfType(cls, (props, args, report) => {
        exempt(args);
        validate(props, (m) => report(m), args, args.getConfig<C & object>());
      }),
  };
}

/** A policy checking resources one at a time, against their inputs, with one typed check per class. */
export function resourcePolicy<C extends object = Record<string, never>>(
  def: Common & { checks: readonly TypedCheck<C>[] },
): MspResourcePolicy {
  const exempt = (args: ResourceValidationArgs) => {
    const exemption = exemptionFor(args);
    if (exemption) args.notApplicable(`exempt: ${exemption.reason}`);
  };
  const byType = new Map(def.checks.map((c) => [c.type, c.build(exempt)]));
  const types = [...byType.keys()];
  // One class: the SDK's own validation, whose attached type lets the analyzer skip other resources. Several:
  // one function that hands each resource to its class's validation (an array would run every class's
  // validation on every resource, each answering "not applicable" but one).
  const reason = `Policy only applies to resources of types ${types.join(", ")}`;
  const dispatch: ResourceValidation = (args, report) => {
    const validation = byType.get(args.type);
    if (!validation) return args.notApplicable(reason);
    return validation(args, report);
  };
  const appliesTo: AppliesTo = { types: new Set(types), reason };
  const validateResource: ResourceValidation =
    byType.size === 1 ? byType.get(types[0]!)! : Object.assign(dispatch, { [APPLIES_TO]: appliesTo });
  return { ...commonFields(def), types, validateResource };
}

/** A policy over the whole stack (relations between resources: parents, references, allowlists). */
export function stackPolicy<C extends object = Record<string, never>>(
  def: Common & {
    validate: (args: StackValidationArgs, report: (message: string, urn?: string) => void, config: C) => void;
  },
): MspStackPolicy {
  return {
    ...commonFields(def),
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
      const { exemptions } = args.getConfig<{ exemptions?: Exemption[] }>();
      const exempt = new Set((exemptions ?? []).map((e) => e.resource));
      def.validate(
        args,
        (m, urn) => {
          if (urn && (exempt.has(urn) || exempt.has(nameOfAnyUrn(urn)))) return;
          report(m, urn);
        },
        args.getConfig<C>(),
      );
    },
  };
}

/** The stack's resources of a class (through the SDK's isType/asType), typed as the class's outputs. */
export function resourcesOf<TResource extends Resource>(
  args: StackValidationArgs,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's own signature for resource classes
  cls: { new (...rest: any[]): TResource },
): { resource: PolicyResource; props: ResolvedResource<TResource> }[] {
  return args.resources.filter((r) => r.isType(cls)).map((r) => ({ resource: r, props: r.asType(cls)! }));
}

/** The stack's resource of a class that a reference (ID, self link or name) designates, if any. */
export function findReferenced<TResource extends Resource>(
  args: StackValidationArgs,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's own signature for resource classes
  cls: { new (...rest: any[]): TResource },
  ref: unknown,
): { resource: PolicyResource; props: ResolvedResource<TResource> } | undefined {
  return resourcesOf(args, cls).find((r) => refersTo(ref, r.props as Linkable));
}

/** Levels as the catalogue writes them: M, A, D for test, internal, external. */
export function levels(t: "M" | "A" | "D", i: "M" | "A" | "D", e: "M" | "A" | "D"): Record<Category, Level> {
  const l = { M: "mandatory", A: "advisory", D: "disabled" } as const;
  return { test: l[t], internal: l[i], external: l[e] };
}

const COMPUTE_PREFIX = /^https:\/\/[^/]+\/compute\/(v1|beta)\//;
const norm = (s: unknown) => (typeof s === "string" ? s.replace(COMPUTE_PREFIX, "") : undefined);

type Linkable = { selfLink?: unknown; id?: unknown; name?: unknown };

/** Whether a reference (ID, self link or name) designates a resource with this self link, ID or name. */
export function refersTo(ref: unknown, target: Linkable): boolean {
  if (typeof ref !== "string" || ref === "") return false;
  const r = norm(ref);
  return r === norm(target.selfLink) || r === norm(target.id) || ref === target.name;
}

/** What a value is, in a message: its JSON, shortened. */
function shown(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/**
 * The entries of a list input, read so that a policy never throws on it. Absent (undefined or null) is the
 * provider's default: no entry. A value no provider would accept (not a list, an entry of the wrong kind) is
 * reported as a violation naming the field and left out: the check fails closed, and a throwing policy would
 * fail the whole preview instead. An unknown value still throws the SDK's "unknown during preview" error.
 */
export function listOf<T>(
  value: readonly T[] | null | undefined,
  field: string,
  report: (message: string) => void,
  kind: "object" | "string" = "object",
): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    report(`${field} is not a list (${shown(value)}): the policy cannot check it.`);
    return [];
  }
  const out: T[] = [];
  (value as readonly unknown[]).forEach((v, i) => {
    if (kind === "string" ? typeof v === "string" : v !== null && typeof v === "object") out.push(v as T);
    else report(`${field}[${i}] is not a${kind === "object" ? "n object" : " string"} (${shown(v)}).`);
  });
  return out;
}

/** A string input, or undefined when it is absent or not a string (a check treats it as unset). */
export const stringOf = (value: unknown): string | undefined =>
  typeof value === "string" ? value : undefined;

/** The IAM members of a member or binding resource (`member` or `members`). */
export function membersOf(props: { member?: unknown; members?: unknown }): string[] {
  const all = [props.member, ...(Array.isArray(props.members) ? (props.members as unknown[]) : [])];
  return all.filter((m): m is string => typeof m === "string");
}

/** Principals that mean "anyone": never granted anything but what a policy allows explicitly. */
export const PUBLIC_MEMBERS: ReadonlySet<string> = new Set(["allUsers", "allAuthenticatedUsers"]);
