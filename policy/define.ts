/**
 * How every MSP policy is declared: CrossGuard policy fields plus the metadata the pack's documentation and
 * per-category configuration are generated from (levels per category, scanner and CIS ids, remediation).
 * Every policy also accepts per-resource exemptions, each with a written reason.
 */
import type {
  EnforcementLevel,
  PolicyConfigSchema,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { Category } from "../spec/schema";

export type Level = Exclude<EnforcementLevel, "remediate">;
export type PolicySeverity = "low" | "medium" | "high" | "critical";
export type PolicyGroup =
  "Naming and metadata" | "WAF and edge" | "Backups and data safety" | "Security" | "Cost and hygiene";

export interface PolicyMeta {
  group: PolicyGroup;
  /** Enforcement per environment category (policy/config/<category>.json is generated from this). */
  levels: Readonly<Record<Category, Level>>;
  /** Scanner and benchmark rules this policy corresponds to (Checkov, Trivy, KICS, CIS). */
  frameworks: readonly string[];
  /** Per-category configuration values written into the category config files. */
  configByCategory?: Partial<Record<Category, Record<string, unknown>>>;
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

/** The container list of a Cloud Run service (template.containers) or job (template.template.containers). */
export function runContainers(props: Record<string, unknown>, isJob: boolean): unknown[] {
  return list(isJob ? at(props, "template", "template", "containers") : at(props, "template", "containers"));
}

function exemptionFor(args: {
  urn: string;
  name: string;
  getConfig<T extends object>(): T;
}): Exemption | undefined {
  const { exemptions } = args.getConfig<{ exemptions?: Exemption[] }>();
  return exemptions?.find((e) => e.resource === args.urn || e.resource === args.name);
}

/** A policy checking resources of the given types, one at a time, against their inputs. */
export function resourcePolicy<C extends object = Record<string, never>>(
  def: Common & {
    types: readonly string[];
    validate: (
      props: Record<string, unknown>,
      report: (message: string) => void,
      args: ResourceValidationArgs,
      config: C,
    ) => void;
  },
): MspResourcePolicy {
  const types = new Set(def.types);
  return {
    ...commonFields(def),
    types: def.types,
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
      if (!types.has(args.type)) return;
      const exemption = exemptionFor(args);
      if (exemption) args.notApplicable(`exempt: ${exemption.reason}`);
      def.validate(args.props, (m) => report(m), args, args.getConfig<C>());
    },
  };
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
          if (urn && (exempt.has(urn) || exempt.has(urn.split("::").pop() ?? ""))) return;
          report(m, urn);
        },
        args.getConfig<C>(),
      );
    },
  };
}

/** Reads a nested property: at(props, "settings", "ipConfiguration", "ipv4Enabled"). */
export function at(obj: unknown, ...path: (string | number)[]): unknown {
  let cur = obj;
  for (const k of path) {
    if (cur === null || cur === undefined || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Levels as the catalogue writes them: M, A, D for test, internal, external. */
export function levels(t: "M" | "A" | "D", i: "M" | "A" | "D", e: "M" | "A" | "D"): Record<Category, Level> {
  const l = { M: "mandatory", A: "advisory", D: "disabled" } as const;
  return { test: l[t], internal: l[i], external: l[e] };
}

/** Whether a reference (ID, self link or name) designates the resource with these props. */
export function refersTo(ref: unknown, props: Record<string, unknown>): boolean {
  if (typeof ref !== "string") return false;
  const norm = (s: unknown) =>
    typeof s === "string" ? s.replace(/^https:\/\/[^/]+\/compute\/(v1|beta)\//, "") : undefined;
  const r = norm(ref);
  return r === norm(props.selfLink) || r === norm(props.id) || ref === props.name;
}
