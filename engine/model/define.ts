/**
 * How the offline cloud model is written: one typed entry per resource type and data source.
 *
 * A resource entry receives the inputs the program registered and returns what the provider would compute on
 * create: the ID and the computed state (values the provider adds, never the echoed inputs). The engine
 * merges inputs and computed state for the applied plan, and marks every computed value "known after apply"
 * in the preview, as `pulumi preview` does for a resource it is about to create.
 *
 * Entries are typed against the provider SDK: `resourceModel<typeof gcp.sql.DatabaseInstance>()` takes the
 * resource's `*Args` as inputs and must return a `Partial` of its `*State`, so a misspelt or removed output
 * property is a compile error, not a silently missing value.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";

/** A provider resource class (only its types are used: `typeof gcp.sql.DatabaseInstance`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ResourceClass = abstract new (name: string, args: any, opts?: any) => unknown;

/** The plain (unwrapped) inputs of a resource class: its `*Args`. */
export type ArgsOf<C extends ResourceClass> = pulumi.Unwrap<NonNullable<ConstructorParameters<C>[1]>>;

/** The plain (unwrapped) state of a resource class: its `*State` interface, from `Class.get`'s signature. */
export type StateOf<C> = C extends {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  get(name: string, id: any, state?: infer S, opts?: any): unknown;
}
  ? pulumi.Unwrap<NonNullable<S>>
  : never;

/** What the provider computes when it creates the resource. */
export interface Created<State> {
  /** The resource ID the provider assigns. */
  id: string;
  /** Computed output properties only; the inputs are echoed by the engine. */
  state: Partial<State>;
}

export interface ModelContext {
  /** The Pulumi resource name (the logical name, not the cloud name). */
  name: string;
  /** The inputs of the provider the resource is registered with (`project`, `region` of a gcp provider). */
  provider: Record<string, unknown>;
}

export type ResourceModel = (inputs: Record<string, unknown>, ctx: ModelContext) => Created<object>;

/** `T`, with every key `S` does not declare typed `never`: an unknown property is a compile error. */
type NoExtraKeys<T, S> = T & { [K in Exclude<keyof T, keyof S>]: never };

/**
 * A typed resource model entry for the provider class `C`:
 * `resourceModel<typeof gcp.sql.DatabaseInstance>().onCreate((inputs, ctx) => ({ id, state }))`.
 * (Two steps, so the returned state's type is inferred and checked key by key against `C`'s state: a
 * callback's return value is otherwise exempt from TypeScript's excess-property check.)
 */
export function resourceModel<C extends ResourceClass>() {
  return {
    onCreate<R extends Created<StateOf<C>>>(
      model: (inputs: ArgsOf<C>, ctx: ModelContext) => R & { state: NoExtraKeys<R["state"], StateOf<C>> },
    ): ResourceModel {
      return model as unknown as ResourceModel;
    },
  };
}

/**
 * What the API stores and returns for some of a resource's inputs, where that differs from what was sent
 * (dropped defaults, canonical forms, server-side defaults): the provider reads it back into the state after
 * `pulumi up`, and the next plan compares the program's inputs with it. Returns only the inputs it changes.
 */
export type ReturnsModel = (inputs: Record<string, unknown>, ctx: ModelContext) => Record<string, unknown>;

/**
 * A typed entry for the provider class `C`: `apiReturns<typeof gcp.monitoring.Dashboard>()((inputs) => ({
 * dashboardJson: ... }))`, the resource's args in, a `Partial` of its state out (checked key by key).
 */
export function apiReturns<C extends ResourceClass>() {
  return <R extends Partial<StateOf<C>>>(
    model: (inputs: ArgsOf<C>, ctx: ModelContext) => NoExtraKeys<R, StateOf<C>>,
  ): ReturnsModel => model as unknown as ReturnsModel;
}

/**
 * How the provider compares an input stored in the state (`stored`, as the API returned it) with the one the
 * program plans now: its diff suppression, set semantics or normalisation. True when it plans no change.
 */
export type SameInput = (stored: unknown, planned: unknown) => boolean;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type InvokeFunction = (args: any, opts?: any) => Promise<unknown>;

export type DataSourceModel = (inputs: Record<string, unknown>) => Record<string, unknown>;

/**
 * A typed data source entry for the provider function `F`:
 * `dataSourceModel<typeof gcp.secretmanager.getSecretVersion>().onInvoke((args) => result)`, the function's
 * args in, a `Partial` of its result out (checked key by key). Data sources run during previews too, so
 * their results are known in the plan.
 */
export function dataSourceModel<F extends InvokeFunction>() {
  type Result = Awaited<ReturnType<F>>;
  return {
    onInvoke<R extends Partial<Result>>(
      model: (args: NonNullable<Parameters<F>[0]>) => NoExtraKeys<R, Result>,
    ): DataSourceModel {
      return model;
    },
  };
}

/* Deterministic stand-ins for values the cloud assigns: the same spec always gives the same plan. */

export const hash = (s: string, n = 8): string => createHash("sha256").update(s).digest("hex").slice(0, n);

/** A decimal number of `digits` digits (no leading zero), e.g. a project number. */
export const num = (s: string, digits: number): string =>
  (BigInt(`0x${hash(s, 15)}`) % 10n ** BigInt(digits)).toString().padStart(digits, "1");

export const ip = (s: string, first: number): string => {
  const h = createHash("sha256").update(s).digest();
  return `${first}.${h[0]! % 250}.${h[1]! % 250}.${(h[2]! % 250) + 2}`;
};

export const uuid = (s: string): string => {
  const h = hash(s, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** A string input, or `fallback` when it is absent (or not a string). */
export const str = (v: unknown, fallback = ""): string => (typeof v === "string" ? v : fallback);

export const COMPUTE = "https://www.googleapis.com/compute/v1";

/** An input, else the provider's setting of the same name (how the Google provider resolves project and region). */
function fromProvider(key: "project" | "region", value: unknown, ctx: ModelContext): string {
  const v = str(value) || str(ctx.provider[key]);
  if (!v) throw new Error(`${ctx.name}: no ${key}, neither as an input nor on its provider`);
  return v;
}

export const projectOf = (inputs: { project?: unknown }, ctx: ModelContext): string =>
  fromProvider("project", inputs.project, ctx);

export const regionOf = (inputs: { region?: unknown; location?: unknown }, ctx: ModelContext): string =>
  fromProvider("region", inputs.region ?? inputs.location, ctx);

/** The modelled number of a project (12 digits, derived from its ID). */
export const projectNumber = (projectId: string): string => num(projectId, 12);

/** `{ id, selfLink }` of a global Compute Engine resource. */
export function globalCompute(project: string, kind: string, name: string): { id: string; selfLink: string } {
  const id = `projects/${project}/global/${kind}/${name}`;
  return { id, selfLink: `${COMPUTE}/${id}` };
}

/** `{ id, selfLink }` of a regional Compute Engine resource. */
export function regionalCompute(
  project: string,
  region: string,
  kind: string,
  name: string,
): { id: string; selfLink: string } {
  const id = `projects/${project}/regions/${region}/${kind}/${name}`;
  return { id, selfLink: `${COMPUTE}/${id}` };
}

/** A global Compute Engine resource whose only computed output is its self link. */
export const globalWithSelfLink =
  (kind: string) => (inputs: { project?: unknown; name?: unknown }, ctx: ModelContext) => {
    const { id, selfLink } = globalCompute(projectOf(inputs, ctx), kind, str(inputs.name, ctx.name));
    return { id, state: { selfLink } };
  };

/** A regional Compute Engine resource whose only computed output is its self link. */
export const regionalWithSelfLink =
  (kind: string) => (inputs: { project?: unknown; region?: unknown; name?: unknown }, ctx: ModelContext) => {
    const { id, selfLink } = regionalCompute(
      projectOf(inputs, ctx),
      regionOf(inputs, ctx),
      kind,
      str(inputs.name, ctx.name),
    );
    return { id, state: { selfLink } };
  };

/** An IAM member binding: the ID the provider imports it by, and its computed etag. */
export function iamBinding(
  scope: string,
  role: unknown,
  member: unknown,
): { id: string; state: { etag: string } } {
  const id = `${scope}/${str(role)}/${str(member)}`;
  return { id, state: { etag: `BwY${hash(id, 9)}=` } };
}
