/**
 * The planned resources of one stack as a graph the first-deploy rules read: who waits for whom, which
 * project each resource lands in, which projects and APIs the same run creates. Pure: it reads recorded
 * resources (runner/run.ts) or the resources of a stack export (engine/export.ts), nothing else.
 */

/** What the rules read of a resource: the fields both a recorded plan and a `pulumi stack export` have. */
export interface PlannedResource {
  readonly urn: string;
  readonly type: string;
  readonly custom: boolean;
  readonly id?: string;
  readonly parent?: string;
  /** `<provider urn>::<provider id>`, as the engine records it. */
  readonly provider?: string;
  readonly inputs?: Readonly<Record<string, unknown>>;
  readonly outputs?: Readonly<Record<string, unknown>>;
  readonly dependencies?: readonly string[];
  readonly aliases?: readonly string[];
}

export const PROJECT_TYPE = "gcp:organizations/project:Project";
export const SERVICE_TYPE = "gcp:projects/service:Service";
export const SERVICE_IDENTITY_TYPE = "gcp:projects/serviceIdentity:ServiceIdentity";

/** The last part of a URN: the resource's name. */
export const nameOf = (urn: string): string => urn.slice(urn.lastIndexOf("::") + 2);

/** `type "name"`, as findings show a resource. */
export const describe = (r: PlannedResource): string => `${r.type} "${nameOf(r.urn)}"`;

export const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** The project named in a resource path (`projects/<p>/...`), if any. */
export const projectInPath = (v: unknown): string | undefined =>
  /^projects\/([^/]+)\//.exec(str(v) ?? "")?.[1];

export class PlanGraph {
  private readonly byUrn = new Map<string, PlannedResource>();
  private readonly waits = new Map<string, ReadonlySet<string>>();
  private readonly byType = new Map<string, PlannedResource[]>();
  /** Projects the run creates, by project ID. */
  readonly createdProjects = new Map<string, PlannedResource>();

  constructor(readonly resources: readonly PlannedResource[]) {
    for (const r of resources) {
      this.byUrn.set(r.urn, r);
      const same = this.byType.get(r.type);
      if (same) same.push(r);
      else this.byType.set(r.type, [r]);
    }
    for (const r of this.ofType(PROJECT_TYPE)) {
      const id = str(r.inputs?.projectId);
      if (id) this.createdProjects.set(id, r);
    }
  }

  get(urn: string): PlannedResource | undefined {
    return this.byUrn.get(urn);
  }

  ofType(type: string): readonly PlannedResource[] {
    return this.byType.get(type) ?? [];
  }

  /**
   * Every resource `r` waits for before it is created, transitively: its dependencies, and its parent's. The
   * SDK sends a registration only once its dependencies exist (their URNs resolve when the engine has created
   * them) and a child's only once its parent is registered (@pulumi/pulumi runtime/resource.js
   * `prepareResource`: "Before we can proceed, all our dependencies must be finished", "Wait for the parent to
   * complete"), so a component's `dependsOn` holds its children back too.
   */
  waitsFor(r: PlannedResource): ReadonlySet<string> {
    const known = this.waits.get(r.urn);
    if (known) return known;
    const out = new Set<string>();
    this.waits.set(r.urn, out); // a cycle (never in a real plan) ends here instead of recursing forever
    const direct = [...(r.dependencies ?? []), ...(r.parent ? [r.parent] : [])];
    for (const urn of direct) {
      out.add(urn);
      const d = this.byUrn.get(urn);
      if (d) for (const u of this.waitsFor(d)) out.add(u);
    }
    return out;
  }

  /** Whether `r` is created only after `other` exists. */
  isOrderedAfter(r: PlannedResource, other: PlannedResource): boolean {
    return this.waitsFor(r).has(other.urn);
  }

  /** The inputs of the provider `r` is registered with (`{}` for a default provider). */
  providerInputs(r: PlannedResource): Readonly<Record<string, unknown>> {
    if (!r.provider) return {};
    const urn = r.provider.slice(0, r.provider.lastIndexOf("::"));
    return this.byUrn.get(urn)?.inputs ?? {};
  }

  /** The project `r` is created in: its `project` input, a project in a path it names, else its provider's. */
  projectOf(r: PlannedResource): string | undefined {
    const i = r.inputs ?? {};
    return (
      str(i.project) ??
      projectInPath(i.network) ??
      projectInPath(i.secret) ??
      str(this.providerInputs(r).project)
    );
  }

  /** Whether `project` is created by this run (so nothing in it exists before the deploy). */
  createsProject(project: string | undefined): project is string {
    return project !== undefined && this.createdProjects.has(project);
  }

  /** The project number of a project the run creates (known in an applied plan). */
  projectNumber(project: string): string | undefined {
    const n = this.createdProjects.get(project)?.outputs?.number;
    return typeof n === "string" || typeof n === "number" ? String(n) : undefined;
  }

  /** The `gcp.projects.Service` enabling `api` in `project`, if the run creates one. */
  enablement(project: string, api: string): PlannedResource | undefined {
    return this.ofType(SERVICE_TYPE).find((s) => this.projectOf(s) === project && s.inputs?.service === api);
  }

  /** The `gcp.projects.ServiceIdentity` creating `api`'s service agent in `project`, if the run creates one. */
  serviceIdentity(project: string, api: string): PlannedResource | undefined {
    return this.ofType(SERVICE_IDENTITY_TYPE).find(
      (s) => this.projectOf(s) === project && s.inputs?.service === api,
    );
  }
}
