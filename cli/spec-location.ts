/**
 * Where in `services/<id>/service.yaml` a policy violation comes from, so that reports (SARIF in code scanning,
 * the JSON report) point at the line a service owner would change: a Cloud SQL instance at
 * `environments[i].resources.postgreSQL`, a DNS record or a load balancer at `environments[i].domain`, Cloud Run
 * at `environments[i].instances`, IAM at `service.iam`, and anything else at the environment's `id`.
 *
 * A resource is matched by its own type first, then by the components it sits in (its URN's type chain), nearest
 * first. When the field is absent from the spec (a default applies), the line is that of its closest ancestor
 * present in the file, as the loader locates nodes for its own errors.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { formatPath, specLocator, type LoadedService } from "../servicespec/loader";
import { typesOfAnyUrn } from "../engine/urn";

export interface SpecLocation {
  /** The spec file, relative to the working directory when inside it. */
  file: string;
  line: number;
  col: number;
  /** The spec field the resource comes from, e.g. environments[0].resources.postgreSQL. */
  field: string;
}

type SpecPath = (string | number)[];
/** A field of the environment (`env`) or of the whole spec (`root`). */
type Where = { env: SpecPath } | { root: SpecPath };

const IAM: Where = { root: ["service", "iam"] };

/** Resource types whose spec field differs from their component's. */
const BY_TYPE: Record<string, Where> = {
  "gcp:projects/iAMMember:IAMMember": IAM,
  "gcp:projects/iAMBinding:IAMBinding": IAM,
  "gcp:projects/iAMCustomRole:IAMCustomRole": IAM,
  "gcp:secretmanager/secretIamMember:SecretIamMember": { env: ["secretEnv"] },
  "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": { env: ["authentication"] },
  "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding": { env: ["authentication"] },
  "gcp:organizations/project:Project": { env: ["projectID"] },
  "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember": { root: ["build", "image"] },
  "cloudflare:index/dnsRecord:DnsRecord": { env: ["domain"] },
};

/** Components (type tokens of components/) and the spec field they are built from. */
const BY_COMPONENT: Record<string, Where> = {
  "msp:gcp:PostgresInstance": { env: ["resources", "postgreSQL"] },
  "msp:gcp:RedisInstance": { env: ["resources", "redis"] },
  "msp:gcp:BigQueryDataset": { env: ["resources", "bigQueryDataset"] },
  "msp:cloudflare:CloudflareDomain": { env: ["domain"] },
  "msp:gcp:CloudRunService": { env: ["instances"] },
  "msp:gcp:CloudRunJob": { env: ["instances"] },
  "msp:gcp:GcpProject": { env: ["projectID"] },
  "msp:gcp:Identities": IAM,
  "msp:gcp:DiagnosticsSecret": { env: ["healthProbes"] },
  "msp:gcp:RolloutPipeline": { root: ["rollout"] },
  "msp:monitoring:AlertPolicies": { env: ["alerting"] },
};

/** The types in a URN, the resource's own first, then its parents' (`urn:pulumi:s::p::a$b$c::name`). */
export function typeChain(urn: string): string[] {
  return typesOfAnyUrn(urn).reverse();
}

/** The spec field a resource (by URN) of environment `envIndex` comes from. */
export function specPathFor(urn: string | undefined, envIndex: number): SpecPath {
  const fallback: SpecPath = ["environments", envIndex, "id"];
  if (!urn) return fallback;
  const [own, ...parents] = typeChain(urn);
  const where = (own && BY_TYPE[own]) ?? [own, ...parents].map((t) => t && BY_COMPONENT[t]).find((w) => w);
  if (!where) return fallback;
  return "env" in where ? ["environments", envIndex, ...where.env] : where.root;
}

/** A path as reports show it: relative to the working directory when inside it, with forward slashes. */
export function reportPath(file: string): string {
  const rel = path.relative(process.cwd(), path.resolve(file));
  return (rel.startsWith("..") || path.isAbsolute(rel) ? path.resolve(file) : rel).split(path.sep).join("/");
}

/** Locates the resources of one environment of a loaded spec. */
export function environmentLocator(
  service: LoadedService,
  envId: string,
): ((urn: string | undefined) => SpecLocation) | undefined {
  const envIndex = service.spec.environments.findIndex((e) => e.id === envId);
  if (envIndex < 0) return undefined;
  let locate: ReturnType<typeof specLocator>;
  try {
    locate = specLocator(fs.readFileSync(service.file, "utf8"));
  } catch {
    return undefined;
  }
  const file = reportPath(service.file);
  return (urn) => {
    const p = specPathFor(urn, envIndex);
    const { line, col } = locate(p, true);
    return { file, line, col, field: formatPath(p) };
  };
}
