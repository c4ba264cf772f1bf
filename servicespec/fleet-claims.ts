/**
 * Fleet-wide invariants: names that are global (a hostname, a GCP project ID, a BigQuery dataset, a stack
 * name) belong to one service environment. Each spec is checked on its own by the loader; these rules need
 * every spec at once, so they run wherever the fleet is seen (`msp validate`, `msp preview --all`, the stack
 * program under `pulumi up`), and a single `msp preview <stack>` reads the other specs' claims cheaply
 * (`claimsOfSpecText`: YAML only, no schema) to check its own against them.
 *
 * Why each matters (issue 23, finding 1): two environments with the same hostname publish two proxied records
 * for one name, and Cloudflare spreads the name's requests over both origins (one of them receives the
 * platform's origin certificate); a project ID, the stack name (Pulumi state, Sentry project `<service>-<env>`)
 * and a dataset in a shared project are each one resource, which two stacks would fight over.
 */
import { LineCounter } from "yaml";
import { bigQueryDatasetId } from "../platform/naming";
import { parseBoundedDocument } from "./yaml-document";
import { imageProject } from "../platform/oci-reference";

/** The kinds of global names an environment claims. */
export type ClaimKind = "hostname" | "project" | "dataset" | "stack" | "project-use";

/** One global name one environment claims, with where its spec says so. */
export interface FleetClaim {
  readonly kind: ClaimKind;
  /** The name, normalised (lower case, no trailing dot): `accounts.sourcegraph.com`, `p:dataset`. */
  readonly key: string;
  /** The claiming environment's stack, `<service>-<env>`. */
  readonly stack: string;
  readonly serviceId: string;
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** Where in the spec the value that makes the claim is. */
  readonly path: readonly (string | number)[];
}

type Path = (string | number)[];
type Locate = (p: Path) => { line: number; col: number };

const WHY: Record<ClaimKind, string> = {
  hostname:
    "a hostname is served by one service environment (two proxied records would split its traffic between two origins); choose another subdomain",
  project: "a GCP project ID is global and belongs to one environment; choose another suffix",
  dataset:
    "a BigQuery dataset belongs to one environment; set another bigQueryDataset.datasetID or use the environment's own project",
  stack:
    "the stack name <service>-<env> names one environment (its Pulumi stack, state and Sentry project); rename the environment",
  "project-use":
    "a spec reaches no other service's project (the image's repository would be granted to this workload, a dataset created there); use an allowlisted registry or dataset project",
};

const WHAT: Record<ClaimKind, string> = {
  hostname: "hostname",
  project: "project ID",
  dataset: "BigQuery dataset",
  stack: "stack name",
  "project-use": "project",
};

/** The kind of claim each kind collides with: a use of a project collides with the project's owner. */
const RIVAL_KIND: Record<ClaimKind, ClaimKind> = {
  hostname: "hostname",
  project: "project",
  dataset: "dataset",
  stack: "stack",
  "project-use": "project",
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === "object" && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);
const normalise = (name: string) => name.toLowerCase().replace(/\.+$/, "");

/** Cut for names quoted in messages (a hostile spec's value can be long). */
const clip = (s: string) => (s.length > 120 ? `${s.slice(0, 117)}...` : s);

/**
 * The global names a spec's environments claim, from its data (validated or not: anything with another shape
 * claims nothing, and its own validation reports it). Defaults are the resolver's: a dataset lives in the
 * environment's project and is named after the service unless the spec says otherwise.
 */
export function claimsOf(data: unknown, file: string, locate: Locate): FleetClaim[] {
  if (!isRecord(data) || !isRecord(data.service) || !Array.isArray(data.environments)) return [];
  const serviceId = str(data.service.id);
  if (!serviceId) return [];
  const claims: FleetClaim[] = [];
  const build = isRecord(data.build) ? data.build : undefined;
  const imageProj = build && str(build.image) ? imageProject(build.image as string) : undefined;
  data.environments.forEach((env: unknown, i) => {
    if (!isRecord(env)) return;
    const envId = str(env.id);
    if (!envId) return;
    const stack = `${serviceId}-${envId}`;
    const claim = (kind: ClaimKind, key: string, p: Path) => {
      const pos = locate(p);
      claims.push({ kind, key, stack, serviceId, file, ...pos, path: p });
    };
    const at = (...p: Path): Path => ["environments", i, ...p];
    claim("stack", stack, at("id"));
    const project = str(env.projectID);
    if (project) claim("project", normalise(project), at("projectID"));
    const domain = isRecord(env.domain) ? env.domain : undefined;
    const cf = domain && isRecord(domain.cloudflare) ? domain.cloudflare : undefined;
    // Same reading as the resolver (resolve/fields.ts domainOf): type none publishes nothing.
    if (cf && domain!.type !== "none") {
      const sub = str(cf.subdomain);
      const zone = str(cf.zone);
      if (sub && zone)
        claim("hostname", normalise(`${sub}.${zone}`), at("domain", "cloudflare", "subdomain"));
    }
    const resources = isRecord(env.resources) ? env.resources : undefined;
    const bq = resources && isRecord(resources.bigQueryDataset) ? resources.bigQueryDataset : undefined;
    if (bq) {
      if (str(bq.projectID))
        claim(
          "project-use",
          normalise(bq.projectID as string),
          at("resources", "bigQueryDataset", "projectID"),
        );
      const dsProject = str(bq.projectID) ?? project;
      const dataset = str(bq.datasetID) ?? bigQueryDatasetId(serviceId);
      if (dsProject)
        claim(
          "dataset",
          `${normalise(dsProject)}:${dataset}`,
          at("resources", "bigQueryDataset", bq.datasetID !== undefined ? "datasetID" : "projectID"),
        );
    }
  });
  // The image is the service's, not one environment's: one claim, named after the service.
  if (imageProj)
    claims.push({
      kind: "project-use",
      key: normalise(imageProj),
      stack: serviceId,
      serviceId,
      file,
      ...locate(["build", "image"]),
      path: ["build", "image"],
    });
  return claims;
}

/** Most bytes a spec's claims are read from (the loader's own cap): a bigger file claims nothing here. */
const MAX_CLAIM_TEXT = 1024 * 1024;

/**
 * The claims of a spec's text without validating it (for a single stack's preview, which checks its claims
 * against the rest of the fleet without loading it): YAML only, bounded as the loader bounds it. A file that
 * does not parse claims nothing (its own validation refuses it).
 */
export function claimsOfSpecText(file: string, text: string): FleetClaim[] {
  if (text.length > MAX_CLAIM_TEXT) return [];
  const lines = new LineCounter();
  const bounded = parseBoundedDocument(text, { lineCounter: lines, uniqueKeys: false });
  if (!bounded.doc || bounded.doc.errors.length) return [];
  let data: unknown;
  try {
    data = bounded.doc.toJS({ maxAliasCount: 100 });
  } catch {
    return [];
  }
  const doc = bounded.doc;
  return claimsOf(data, file, (p) => {
    // The value's node, else its nearest ancestor present.
    for (let n = p.length; n > 0; n--) {
      const node = doc.getIn(p.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return lines.linePos(node.range[0]);
    }
    return { line: 1, col: 1 };
  });
}

/** A collision found between the claims of two environments of different services. */
export interface ClaimIssue {
  readonly claim: FleetClaim;
  readonly message: string;
}

/**
 * Every claim of `own` that another service's environment (in `own` or `others`) also claims, with a message
 * naming the other claimant and where. Both sides of a collision are reported: offline, nothing says which one
 * came first, and the fleet must not validate while two environments claim one name. Claims within one service
 * are the spec's own rules (servicespec/rules.ts: one environment per domain, environment IDs unique).
 */
export function collisions(own: readonly FleetClaim[], others: readonly FleetClaim[] = []): ClaimIssue[] {
  const byName = new Map<string, FleetClaim[]>();
  for (const c of [...own, ...others]) {
    const k = `${c.kind}\0${c.key}`;
    const list = byName.get(k);
    if (list) list.push(c);
    else byName.set(k, [c]);
  }
  const issues: ClaimIssue[] = [];
  for (const c of own) {
    const rivals = (byName.get(`${RIVAL_KIND[c.kind]}\0${c.key}`) ?? []).filter(
      (o) => o.serviceId !== c.serviceId && o.kind === RIVAL_KIND[c.kind],
    );
    if (!rivals.length) continue;
    const named = rivals
      .slice(0, 3)
      // Service and environment apart: with '-' in both IDs, the stack name alone cannot say which is which.
      .map(
        (o) =>
          `${o.serviceId} environment ${o.stack.slice(o.serviceId.length + 1)} (${o.file}:${o.line}:${o.col})`,
      )
      .join(", ");
    const more = rivals.length > 3 ? ` and ${rivals.length - 3} more` : "";
    issues.push({
      claim: c,
      message: `${WHAT[c.kind]} ${clip(c.key)} is already claimed by ${named}${more}: ${WHY[c.kind]}`,
    });
  }
  return issues;
}
