/**
 * msp adopt's decisions, pure: each resource of an MSP environment's Terraform state matched with the resource
 * this program plans (delivery/adopt-table.ts), the `pulumi import --file` documents that bring them under the
 * stack, the `pulumi up --target` steps their providers need first, and the state the whole import leaves (what
 * `msp diff --before` checks: nothing stateful replaced).
 *
 * Pulumi imports through a provider only when that provider is already in the state, and an explicit provider
 * is created by `pulumi up --target` of it. The PostgreSQL providers log in to the instance an earlier import
 * brings in, with the admin password the program sets, so the import runs in passes: the cloud's resources
 * first, then, after a targeted up of the PostgreSQL providers and what they need, the objects inside the
 * database. Within a pass, resources the program protects are imported with Pulumi's default
 * `--protect`, the others with `--protect=false`, so the state after import carries the program's protection.
 */
import type { ExportedResource, StackExport } from "../engine/export";
import { getPath } from "./paths";
import { nameOfUrn, ROOT_STACK_TYPE } from "../engine/urn";
import { isSecret } from "../engine/redact";
import { classify, RESOURCE_TYPES } from "../platform/resource-types";
import {
  ADOPT_TABLE,
  camel,
  importIdOf,
  plannedIdentity,
  terraformIdentity,
  type ImportRow,
} from "./adopt-table";
import type { TerraformInstance } from "./terraform-state";

export interface Adopted {
  readonly instance: TerraformInstance;
  readonly resource: ExportedResource;
  readonly importId: string;
}

export interface NotAdopted {
  readonly instance: TerraformInstance;
  readonly why: string;
}

export interface AdoptionMatch {
  /** Terraform instances matched with a planned resource: imported. */
  readonly adopted: Adopted[];
  /** Instances the table says not to import, with the reason. */
  readonly left: NotAdopted[];
  /** Instances msp adopt cannot map: they stay in the cloud, unmanaged, until someone decides. */
  readonly unmapped: NotAdopted[];
  /** Planned stateful resources no Terraform instance matched: the first pulumi up creates them. */
  readonly created: ExportedResource[];
}

const providerUrn = (ref: string) => ref.slice(0, ref.lastIndexOf("::"));

/** Matches every Terraform instance with the planned resource that is the same cloud object. */
export function matchTerraform(instances: readonly TerraformInstance[], planned: StackExport): AdoptionMatch {
  /** Planned resources by the Terraform type that would name them and their identity under its row. */
  const byIdentity = new Map<string, ExportedResource[]>();
  for (const [tfType, row] of Object.entries(ADOPT_TABLE)) {
    if (!("pulumiType" in row)) continue;
    for (const r of planned.deployment.resources) {
      if (!r.custom || r.type !== row.pulumiType) continue;
      const id = plannedIdentity(row, r.inputs ?? {});
      if (id === undefined) continue;
      const key = `${tfType}\u0001${id}`;
      byIdentity.set(key, [...(byIdentity.get(key) ?? []), r]);
    }
  }
  const adopted: Adopted[] = [];
  const left: NotAdopted[] = [];
  const unmapped: NotAdopted[] = [];
  const taken = new Map<string, TerraformInstance>();
  for (const instance of instances) {
    const row = Object.hasOwn(ADOPT_TABLE, instance.type) ? ADOPT_TABLE[instance.type] : undefined;
    if (!row) {
      unmapped.push({ instance, why: `msp adopt has no mapping for ${instance.type}` });
      continue;
    }
    if ("leave" in row) {
      left.push({ instance, why: row.leave });
      continue;
    }
    const id = terraformIdentity(row, instance.attributes);
    const found = id === undefined ? [] : (byIdentity.get(`${instance.type}\u0001${id}`) ?? []);
    if (found.length !== 1) {
      unmapped.push({ instance, why: noMatch(row, instance, found) });
      continue;
    }
    const resource = found[0]!;
    const other = taken.get(resource.urn);
    if (other) {
      unmapped.push({ instance, why: `${resource.urn} is already ${other.address}` });
      continue;
    }
    const importId = importIdOf(row, instance.attributes);
    if ("missing" in importId) {
      unmapped.push({
        instance,
        why: `the state lacks ${importId.missing.join(", ")}, which the import ID ${row.importId} needs`,
      });
      continue;
    }
    taken.set(resource.urn, instance);
    adopted.push({ instance, resource, importId: importId.id });
  }
  const created = planned.deployment.resources.filter(
    (r) => r.custom && !taken.has(r.urn) && classify(r.type)?.stateful === true,
  );
  return { adopted, left, unmapped, created };
}

function noMatch(row: ImportRow, instance: TerraformInstance, found: readonly ExportedResource[]): string {
  const named =
    typeof row.identity === "function"
      ? "by its name"
      : row.identity.map((a) => `${a}=${JSON.stringify(instance.attributes[a])}`).join(", ");
  return found.length
    ? `${found.length} planned ${row.pulumiType} match ${named}: ${found.map((r) => nameOfUrn(r.urn)).join(", ")}`
    : `no planned ${row.pulumiType} with ${named}: the program names it differently or does not create it`;
}

/** One entry of a `pulumi import --file` document (pulumi/pulumi pkg/cmd/pulumi import.go, importSpec). */
export interface ImportEntry {
  type: string;
  /** Unique in the file: what `parent` refers to. */
  name: string;
  /** The resource's name in its URN. */
  logicalName: string;
  id?: string;
  component?: true;
  parent?: string;
  provider?: string;
}

export interface ImportFile {
  nameTable: Record<string, string>;
  resources: ImportEntry[];
}

/** One step of the take-over, in order. */
export type AdoptStep =
  | { kind: "target"; pass: number; urns: string[] }
  | {
      kind: "import";
      pass: number;
      protect: boolean;
      file: string;
      document: ImportFile;
      /** The URNs of the empty components the import creates as parents. */
      components: string[];
    };

/**
 * The targeted ups and imports that bring `match.adopted` under the stack, in the order they must run. A pass
 * takes every provider whose targeted up creates nothing that is still to be imported (the GCP and Cloudflare
 * providers first; Sentry's, whose component waits for the project, once the project is in; the PostgreSQL
 * ones once the instance and its users are), targets them, then imports what goes through them.
 */
export function adoptionSteps(match: AdoptionMatch, planned: StackExport): AdoptStep[] {
  const byUrn = new Map(planned.deployment.resources.map((r) => [r.urn, r]));
  const steps: AdoptStep[] = [];
  /** URNs in the state before the current step: created by a targeted up or imported. */
  const exists = new Set<string>();
  let remaining = [...match.adopted];
  const pending = () => new Set(remaining.map((a) => a.resource.urn));
  for (let pass = 1; remaining.length; pass++) {
    const waiting = pending();
    const providers = [
      ...new Set(remaining.flatMap((a) => (a.resource.provider ? [providerUrn(a.resource.provider)] : []))),
    ].filter((p) => !closure([p], byUrn).some((u) => waiting.has(u)));
    const adopted = remaining.filter(
      (a) => !a.resource.provider || providers.includes(providerUrn(a.resource.provider)),
    );
    if (!adopted.length)
      throw new Error(
        `msp adopt: no import order brings in ${remaining.map((a) => nameOfUrn(a.resource.urn)).join(", ")}: their providers need them first`,
      );
    const targets = targetsFor(providers, byUrn, exists);
    if (targets.length) steps.push({ kind: "target", pass, urns: targets });
    targets.forEach((u) => exists.add(u));
    for (const protect of [true, false]) {
      const group = adopted.filter((a) => (a.resource.protect === true) === protect);
      if (!group.length) continue;
      const { document, components } = importDocument(group, byUrn, exists);
      steps.push({
        kind: "import",
        pass,
        protect,
        file: `import-${pass}${protect ? "-protected" : ""}.json`,
        document,
        components,
      });
      group.forEach((a) => exists.add(a.resource.urn));
      components.forEach((u) => exists.add(u));
    }
    remaining = remaining.filter((a) => !adopted.includes(a));
  }
  return steps;
}

/**
 * What a targeted up must name so that `providers` exist: each, everything it needs that is not in the state
 * yet (with its parents), and what in the state takes an input from one of those (an admin user whose
 * password is generated anew). Nothing else already imported is touched.
 */
function targetsFor(
  providers: readonly string[],
  byUrn: ReadonlyMap<string, ExportedResource>,
  exists: ReadonlySet<string>,
): string[] {
  const targeted = new Map<string, boolean>();
  const visit = (urn: string): boolean => {
    const known = targeted.get(urn);
    if (known !== undefined) return known;
    const r = byUrn.get(urn);
    if (!r || r.type === ROOT_STACK_TYPE) return false;
    targeted.set(urn, false);
    const inputs = Object.values(r.propertyDependencies ?? {}).flat();
    let t: boolean;
    if (exists.has(urn)) t = inputs.map(visit).some(Boolean);
    else {
      t = true;
      [...(r.dependencies ?? []), ...inputs].forEach(visit);
      if (r.provider) visit(providerUrn(r.provider));
      if (r.parent) visit(r.parent);
    }
    targeted.set(urn, t);
    return t;
  };
  providers.forEach(visit);
  return [...byUrn.keys()].filter((u) => targeted.get(u));
}

/** `urns`, everything they depend on (inputs, provider, parent), and their parents, without the stack. */
function closure(urns: readonly string[], byUrn: ReadonlyMap<string, ExportedResource>): string[] {
  const seen = new Set<string>();
  const visit = (urn: string) => {
    const r = byUrn.get(urn);
    if (!r || seen.has(urn) || r.type === ROOT_STACK_TYPE) return;
    seen.add(urn);
    for (const d of r.dependencies ?? []) visit(d);
    for (const ds of Object.values(r.propertyDependencies ?? {})) ds.forEach(visit);
    if (r.provider) visit(providerUrn(r.provider));
    if (r.parent) visit(r.parent);
  };
  urns.forEach(visit);
  // In the plan's order: parents before children, dependencies before dependents.
  return [...byUrn.keys()].filter((u) => seen.has(u));
}

function importDocument(
  group: readonly Adopted[],
  byUrn: ReadonlyMap<string, ExportedResource>,
  exists: ReadonlySet<string>,
): { document: ImportFile; components: string[] } {
  const components: string[] = [];
  const nameTable: Record<string, string> = {};
  const resources: ImportEntry[] = [];
  const names = new Map<string, string>();
  const used = new Set<string>();
  const unique = (base: string) => {
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    return name;
  };
  /** The name `parent` is known by in this file: a name-table entry, or a component entry added here. */
  const parentName = (urn: string | undefined): string | undefined => {
    const p = urn ? byUrn.get(urn) : undefined;
    if (!p || p.type === ROOT_STACK_TYPE) return undefined;
    const known = names.get(p.urn);
    if (known) return known;
    const name = unique(`${nameOfUrn(p.urn)}-parent`);
    names.set(p.urn, name);
    if (exists.has(p.urn)) nameTable[name] = p.urn;
    else {
      const grand = parentName(p.parent);
      components.push(p.urn);
      resources.push({
        type: p.type,
        name,
        logicalName: nameOfUrn(p.urn),
        component: true,
        ...(grand && { parent: grand }),
      });
    }
    return name;
  };
  for (const a of group) {
    const parent = parentName(a.resource.parent);
    let provider: string | undefined;
    if (a.resource.provider) {
      const urn = providerUrn(a.resource.provider);
      provider = names.get(urn);
      if (!provider) {
        provider = unique(`${nameOfUrn(urn)}-provider`);
        names.set(urn, provider);
        nameTable[provider] = urn;
      }
    }
    resources.push({
      type: a.resource.type,
      name: unique(nameOfUrn(a.resource.urn)),
      logicalName: nameOfUrn(a.resource.urn),
      id: a.importId,
      ...(parent && { parent }),
      ...(provider && { provider }),
    });
  }
  return { document: { nameTable, resources }, components };
}

/**
 * The stack's state after every step: targeted resources as planned, each imported one as the provider reads
 * it back, which for what decides a replacement (the stateful types' replace-on inputs, from
 * platform/resource-types.ts) and the live sizes is the Terraform state's value, and otherwise the planned one.
 * `msp diff --before` of this against the plan is the first `pulumi preview` after the import.
 */
export function importedState(
  match: AdoptionMatch,
  steps: readonly AdoptStep[],
  planned: StackExport,
): StackExport {
  const adopted = new Map(match.adopted.map((a) => [a.resource.urn, a]));
  const present = new Set<string>();
  for (const s of steps)
    if (s.kind === "target") s.urns.forEach((u) => present.add(u));
    else s.components.forEach((u) => present.add(u));
  adopted.forEach((_, urn) => present.add(urn));
  const resources = planned.deployment.resources.flatMap((r): ExportedResource[] => {
    if (r.type === ROOT_STACK_TYPE) return [{ ...r, outputs: {} }];
    if (!present.has(r.urn)) return [];
    const a = adopted.get(r.urn);
    if (!a) return [r];
    const live = liveValues(r.type, a.instance.attributes);
    const id = a.instance.attributes.id;
    return [
      {
        ...r,
        ...(typeof id === "string" && { id }),
        inputs: overlay(r.inputs ?? {}, live, r.inputs ?? {}),
        outputs: overlay(r.outputs ?? {}, live, r.inputs ?? {}),
      },
    ];
  });
  return { ...planned, deployment: { ...planned.deployment, resources } };
}

/** Inputs that record a live size: what adopted.yaml pins, read back as the cloud has it. */
const SIZE_INPUTS: Readonly<Record<string, readonly string[]>> = {
  "gcp:sql/databaseInstance:DatabaseInstance": ["settings.tier"],
  "gcp:redis/instance:Instance": ["memorySizeGb"],
};

/** The Terraform state's values of the inputs that decide a replacement, and of the live sizes, by input path. */
function liveValues(type: string, attributes: Readonly<Record<string, unknown>>): Map<string, unknown> {
  const t = RESOURCE_TYPES[type];
  const paths = [
    ...(t?.stateful ? [...t.replaceOn, ...Object.keys(t.replaceWhen ?? {})] : []),
    ...(SIZE_INPUTS[type] ?? []),
  ];
  const out = new Map<string, unknown>();
  for (const p of paths) {
    const v = terraformValue(attributes, p);
    if (v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && !v.length)) out.set(p, v);
  }
  return out;
}

/**
 * The Terraform attribute at a Pulumi input path: each segment snake_cased, and a block Terraform keeps as a
 * one-element list (`settings = [{...}]`, which the bridge flattens to an object) entered at its element.
 */
export function terraformValue(attributes: Readonly<Record<string, unknown>>, inputPath: string): unknown {
  let v: unknown = attributes;
  for (const seg of inputPath.split(".")) {
    if (Array.isArray(v) && v.length === 1) v = v[0];
    if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[seg.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
  }
  return bridgeShape(v);
}

/**
 * A Terraform value as the bridge shows it in Pulumi: a block Terraform keeps as a one-element list is its
 * element (MaxItems 1), an empty block list is absent, attribute names camelCased.
 */
function bridgeShape(v: unknown): unknown {
  if (Array.isArray(v)) {
    if (!v.length) return undefined;
    if (v.length === 1 && typeof v[0] === "object" && v[0] !== null && !Array.isArray(v[0]))
      return bridgeShape(v[0]);
    return v.map(bridgeShape);
  }
  if (typeof v !== "object" || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const y = bridgeShape(x);
    if (y !== undefined) out[camel(k)] = y;
  }
  return out;
}

/**
 * `values` with the live values set, at the paths the program sets: an input the program leaves out is one the
 * provider computes (Redis' zone, its reserved range), which it keeps from the state rather than diffing; a
 * secret one stays the program's (an export cannot compare secrets, and Terraform's plaintext is not written).
 */
function overlay(
  values: Record<string, unknown>,
  live: ReadonlyMap<string, unknown>,
  planned: Record<string, unknown>,
): Record<string, unknown> {
  const out = structuredClone(values);
  for (const [p, v] of live) {
    const mine = getPath(planned, p);
    // A secret input stays the program's: Terraform's plaintext never reaches the written state.
    if (mine === undefined || isSecret(mine)) continue;
    const segs = p.split(".");
    let at: Record<string, unknown> = out;
    for (const s of segs.slice(0, -1)) {
      const next = at[s];
      if (typeof next !== "object" || next === null || Array.isArray(next)) at[s] = {};
      at = at[s] as Record<string, unknown>;
    }
    at[segs.at(-1)!] = v;
  }
  return out;
}
