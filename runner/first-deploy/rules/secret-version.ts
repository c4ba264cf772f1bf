/**
 * Cloud Run reads every secret of a revision (`secretKeyRef`, secret volumes) when it deploys it: a secret
 * without the version asked for (`latest` of a secret nobody has added a value to) fails the revision, and
 * the deploy stops there (terraform-provider-google #10846). A secret in a project the same run creates can
 * only have a version the run creates: the plan must create it, or a person must add it between the deploy
 * that creates the secret and the deploy that creates the workload.
 */
import { secretVersionsAddCommand } from "../../../resolve/contract";
import { finding, type FirstDeployFinding, type FirstDeployRule } from "../finding";
import { str, type PlanGraph, type PlannedResource } from "../plan-graph";

export const CLOUD_RUN_TYPES = ["gcp:cloudrunv2/service:Service", "gcp:cloudrunv2/job:Job"];
const SECRET_TYPE = "gcp:secretmanager/secret:Secret";
const VERSION_TYPE = "gcp:secretmanager/secretVersion:SecretVersion";

export interface SecretRead {
  /** Secret name or `projects/<project ID or number>/secrets/<name>`. */
  readonly secret: string;
  readonly version: string;
}

type Obj = Readonly<Record<string, unknown>>;
const objects = (v: unknown): Obj[] =>
  Array.isArray(v) ? v.filter((x): x is Obj => !!x && typeof x === "object") : [];
const field = (o: unknown, k: string): unknown => (o && typeof o === "object" ? (o as Obj)[k] : undefined);

/** The secrets a Cloud Run service's or job's template reads: environment variables and volumes. */
export function secretReads(inputs: Obj | undefined): SecretRead[] {
  const template = field(inputs, "template");
  // A job's containers sit one level deeper (template.template), a service's in template.
  const spec = field(template, "template") ?? template;
  const out: SecretRead[] = [];
  for (const c of objects(field(spec, "containers")))
    for (const e of objects(field(c, "envs"))) {
      const ref = field(field(e, "valueSource"), "secretKeyRef");
      const secret = str(field(ref, "secret"));
      if (secret) out.push({ secret, version: str(field(ref, "version")) ?? "latest" });
    }
  for (const v of objects(field(spec, "volumes"))) {
    const s = field(v, "secret");
    const secret = str(field(s, "secret"));
    if (!secret) continue;
    const items = objects(field(s, "items"));
    if (!items.length) out.push({ secret, version: "latest" });
    for (const i of items) out.push({ secret, version: str(field(i, "version")) ?? "latest" });
  }
  return out;
}

/** `<project ID>/<secret>` of a read, the project resolved like Secret Manager does (ID or number). */
function secretKey(
  graph: PlanGraph,
  r: PlannedResource,
  read: SecretRead,
): { project: string; name: string } | undefined {
  const m = /^projects\/([^/]+)\/secrets\/([^/]+)$/.exec(read.secret);
  const name = m ? m[2]! : read.secret;
  let project = m ? m[1]! : graph.projectOf(r);
  if (project && /^\d+$/.test(project))
    project = [...graph.createdProjects.keys()].find((p) => graph.projectNumber(p) === project) ?? project;
  return project ? { project, name } : undefined;
}

export const secretVersion: FirstDeployRule = {
  name: "secret-version-exists",
  source:
    "hashicorp/terraform-provider-google#10846 (Cloud Run fails on a secret without the version it reads)",
  check(graph: PlanGraph) {
    const secrets = new Map<string, PlannedResource>();
    for (const s of graph.ofType(SECRET_TYPE))
      secrets.set(`${graph.projectOf(s)}/${str(s.inputs?.secretId)}`, s);
    const versions = new Map<string, PlannedResource[]>();
    for (const v of graph.ofType(VERSION_TYPE)) {
      if (v.inputs?.enabled === false) continue;
      const m = /^projects\/([^/]+)\/secrets\/([^/]+)$/.exec(str(v.inputs?.secret) ?? "");
      if (m) versions.set(`${m[1]}/${m[2]}`, [...(versions.get(`${m[1]}/${m[2]}`) ?? []), v]);
    }
    const out: FirstDeployFinding[] = [];
    for (const r of graph.resources.filter((x) => CLOUD_RUN_TYPES.includes(x.type))) {
      const seen = new Set<string>();
      for (const read of secretReads(r.inputs)) {
        const k = secretKey(graph, r, read);
        if (!k) continue;
        const id = `${k.project}/${k.name}`;
        const container = secrets.get(id);
        // Secrets in projects that exist before the deploy are not the plan's to know.
        if (seen.has(id) || (!container && !graph.createsProject(k.project))) continue;
        seen.add(id);
        const made = versions.get(id) ?? [];
        if (!made.length)
          out.push(
            finding(this, r, {
              key: id,
              problem: container
                ? `reads secret ${k.name} (${read.version}) in ${k.project}, which this deploy creates with no version: Cloud Run fails the revision.`
                : `reads secret ${k.name} (${read.version}) in ${k.project}, a project this deploy creates, and nothing creates the secret: Cloud Run fails the revision.`,
              fix: container
                ? `add a version once the secret exists (deploy up to the secret first), then deploy again.`
                : `let the platform create the secret (a secretEnv or secretVolumes entry of the environment), add a version, then deploy.`,
              commands: [secretVersionsAddCommand({ project: k.project, name: k.name })],
              secret: { ...k, version: read.version, containerUrn: container?.urn },
            }),
          );
        else if (!made.some((v) => graph.isOrderedAfter(r, v)))
          out.push(
            finding(this, r, {
              key: id,
              problem: `reads secret ${k.name} in ${k.project} but is not ordered after the version this deploy creates: it may start first and fail.`,
              fix: `make the workload depend on the component that creates the secret's version.`,
            }),
          );
      }
    }
    return out;
  },
};
