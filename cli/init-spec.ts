/**
 * The YAML that `msp init` and `msp init-env` write, built with the yaml library's document API: every value is
 * quoted where YAML needs it (`name: "Billing #2"`), and the comments an owner reads are attached to their keys.
 *
 * A new environment of an existing service is a copy of the environment most like it (same category first), so
 * it has the same shape: databases, Redis, BigQuery, secrets, probes, `env`, instances. What belongs to one
 * environment only is set anew (ID, project, category, domain); what the category decides (high availability,
 * minimum instances) is left to the new category when the categories differ; secrets the copied environment read
 * from its own project are read from the new one.
 */
import { Document, isMap, isScalar, isSeq, YAMLMap, YAMLSeq, type LineCounter, type Pair } from "yaml";
import { categoryDefaults, type Category } from "../platform/categories";

export const SCHEMA_COMMENT = " yaml-language-server: $schema=../../schema/service.schema.json";

export type Kind = "service" | "job";

export interface Domain {
  subdomain: string;
  zone: string;
}

export interface EnvironmentChoices {
  kind: Kind;
  category: Category;
  /** Cloudflare record of a service; undefined: no domain (and always for jobs). */
  domain?: Domain;
  /** A Cloud SQL PostgreSQL instance (the databases of the copied environment, or one named after the service). */
  postgres: boolean;
  /** `<service>-<env>-<random suffix>`: GCP project IDs are global and can never be reused. */
  projectId: string;
  /** The image tag of a manual deploy. */
  tag: string;
  /** `service.notionPageID` to add (production environments need one: MSP's rule). */
  notionPageID?: string;
}

/** Options of `toString` for every text msp writes: no folding of long lines. */
export const WRITE_OPTIONS = { lineWidth: 0, minContentWidth: 0 } as const;

/** The PostgreSQL database name of a service: its ID with '_' for '-', starting with a letter or '_'. */
export const databaseName = (svc: string) => {
  const name = svc.replaceAll("-", "_");
  return /^[a-z_]/.test(name) ? name : `db_${name}`;
};

function keyOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isScalar(p.key) && p.key.value === key);
}

/** Puts `comment` (lines, without '#') above `key` of `map`; `blank` adds an empty line before it. */
export function commentKey(map: YAMLMap, key: string, comment?: string, blank = false): void {
  const pair = keyOf(map, key);
  if (!pair || !isScalar(pair.key)) return;
  if (comment)
    pair.key.commentBefore = comment
      .split("\n")
      .map((l) => ` ${l}`)
      .join("\n");
  if (blank) pair.key.spaceBefore = true;
}

/** A new environment from the template (the first of a service, or when no environment is there to copy). */
export function templateEnvironment(doc: Document, svc: string, env: string, c: EnvironmentChoices): YAMLMap {
  const value: Record<string, unknown> = {
    id: env,
    projectID: c.projectId,
    category: c.category,
    deploy: { type: "manual", manual: { tag: c.tag } },
  };
  if (c.domain) value.domain = { type: "cloudflare", cloudflare: { ...c.domain } };
  if (c.kind === "job") value.schedule = { cron: "0 * * * *" };
  value.instances = {
    resources: { cpu: 1, memory: "1Gi" },
    ...(c.kind === "service" ? { scaling: { maxCount: 3 } } : {}),
  };
  value.env = { SRC_LOG_LEVEL: "info", SRC_LOG_FORMAT: "json_gcp" };
  if (c.postgres) value.resources = { postgreSQL: { databases: [databaseName(svc)] } };
  const map = doc.createNode(value) as YAMLMap;
  commentKey(map, "projectID", "The project ID can never change after the project is created.");
  commentKey(
    map,
    "category",
    "test: development, nobody paged. internal: production for staff. external: production for customers.\n" +
      "The category decides high availability, minimum instances, paging, Cloud Armor and mandatory policies.",
  );
  commentKey(
    map,
    "deploy",
    !categoryDefaults(c.category).production
      ? "manual: the tag below is deployed; subscription follows a tag; rollout uses Cloud Deploy."
      : "Production deploys a pinned release tag: change it to release a new version.",
  );
  if (c.domain)
    commentKey(
      map,
      "domain",
      "https://<subdomain>.<zone>, proxied through Cloudflare (WAF) to a Google HTTPS load balancer.",
    );
  if (c.kind === "job") commentKey(map, "schedule", "Runs in UTC; runs must be 15 minutes to 8 days apart.");
  if (c.postgres)
    commentKey(
      map,
      "resources",
      "Cloud SQL PostgreSQL: private IP, IAM authentication, daily backups (90 kept) and deletion protection.",
    );
  const instances = map.get("instances");
  if (isMap(instances))
    commentKey(
      instances,
      "scaling",
      "minCount: left to the category (external environments keep one instance warm).",
    );
  if (!c.domain && c.kind === "service")
    commentKey(
      map,
      "instances",
      "No domain: only callers inside Google Cloud reach the service (ingress: internal and load balancer, as in MSP). Add domain.type: cloudflare for one.",
    );
  return map;
}

/** The service's first spec: its identity, build and one environment. */
export function serviceDocument(
  svc: string,
  opts: { owner: string; name?: string; env: string } & EnvironmentChoices,
): Document {
  const doc = new Document();
  const root = doc.createNode({
    service: {
      id: svc,
      name: opts.name ?? svc,
      ...(opts.kind === "job" ? { kind: "job" } : {}),
      owners: [opts.owner],
      description: `${opts.kind === "job" ? "Scheduled job" : "Service"} ${svc}; describe what it does and who relies on it.`,
      ...(opts.notionPageID === undefined ? {} : { notionPageID: opts.notionPageID }),
    },
    build: {
      image: `us-central1-docker.pkg.dev/sourcegraph-ci/msp/${svc}`,
      source: { repo: `github.com/sourcegraph/${svc}`, dir: "." },
    },
    environments: [],
  }) as YAMLMap;
  doc.contents = root;
  doc.commentBefore = `${SCHEMA_COMMENT}\n ${svc}: generated by \`msp init\`. Reference: README.md ("The service spec") and schema/service.schema.json.`;
  const service = root.get("service") as YAMLMap;
  commentKey(service, "owners", "Teams paged for CRITICAL alerts in production environments.");
  const build = root.get("build") as YAMLMap;
  commentKey(build, "image", "Image repository without a tag: the deploy type chooses the tag.");
  commentKey(root, "build", undefined, true);
  commentKey(root, "environments", undefined, true);
  (root.get("environments") as YAMLSeq).items.push(templateEnvironment(doc, svc, opts.env, opts));
  return doc;
}

/** What was copied and what the owner must do, for the command's notes. */
export interface CopyNotes {
  copied: string[];
  todo: string[];
}

const CATEGORY_ORDER: readonly Category[] = ["test", "internal", "external"];

/**
 * The environment a new one of `category` copies: one of the same category (the last), else the nearest
 * category (production next to production), else none.
 */
export function environmentToCopy(envs: readonly YAMLMap[], category: Category): YAMLMap | undefined {
  let best: { env: YAMLMap; distance: number } | undefined;
  for (const env of envs) {
    const c = env.get("category");
    const at = CATEGORY_ORDER.indexOf(typeof c === "string" ? (c as Category) : "test");
    const distance = Math.abs((at < 0 ? 0 : at) - CATEGORY_ORDER.indexOf(category));
    if (!best || distance <= best.distance) best = { env, distance };
  }
  return best?.env;
}

/** `projects/<project>/secrets/<name>` of the copied environment's own project becomes `<name>`. */
function ownSecret(ref: unknown, project: string): unknown {
  const prefix = `projects/${project}/secrets/`;
  return typeof ref === "string" && ref.startsWith(prefix) ? ref.slice(prefix.length) : ref;
}

/** Sets a scalar in place (its key's comment stays); a comment after the old value described that value. */
const setScalar = (map: YAMLMap, key: string, value: unknown) => {
  const pair = keyOf(map, key);
  if (pair && isScalar(pair.value)) {
    pair.value.value = value;
    pair.value.comment = undefined;
  } else map.set(key, value);
};

/**
 * A new environment copied from `source` (a node of the spec's document), with the choices applied. `notes`
 * receives what was copied and what the owner must still do (create secrets, say).
 */
export function copiedEnvironment(
  doc: Document,
  source: YAMLMap,
  svc: string,
  env: string,
  c: EnvironmentChoices,
  notes: CopyNotes,
): YAMLMap {
  const from = String(source.get("id"));
  const fromProject = String(source.get("projectID"));
  const fromCategory = source.get("category");
  const map = source.clone() as YAMLMap<unknown, unknown>;
  // The copy's comments stay with their keys; the source's own ID line comment does not describe the copy.
  setScalar(map, "id", env);
  setScalar(map, "projectID", c.projectId);
  setScalar(map, "category", c.category);
  map.delete("allowDestroys"); // a removal in progress is the source's, never the copy's
  const copied: string[] = [];

  const deploy = map.get("deploy");
  const type = isMap(deploy) ? deploy.get("type") : undefined;
  if (type === "rollout" || !isMap(deploy)) {
    map.set("deploy", doc.createNode({ type: "manual", manual: { tag: c.tag } }));
    if (type === "rollout")
      notes.todo.push(
        `deploy: manual with tag ${c.tag}, not rollout (to make ${env} a stage, add it to rollout.stages and set deploy.type: rollout; the pipeline moves to the final stage's project)`,
      );
  } else if (type === "subscription") copied.push("deploy (subscription)");
  else map.setIn(["deploy", "manual", "tag"], c.tag);

  if (c.kind === "service") {
    if (!c.domain) map.delete("domain");
    else if (isMap(map.get("domain"))) {
      map.setIn(["domain", "type"], "cloudflare");
      const cf = map.getIn(["domain", "cloudflare"]);
      if (isMap(cf)) {
        setScalar(cf, "subdomain", c.domain.subdomain);
        setScalar(cf, "zone", c.domain.zone);
      } else map.setIn(["domain", "cloudflare"], doc.createNode({ ...c.domain }));
    } else map.set("domain", doc.createNode({ type: "cloudflare", cloudflare: { ...c.domain } }));
  }

  // What the category decides: left to the new category unless it is the source's.
  if (fromCategory !== c.category) {
    const dropped: string[] = [];
    for (const p of [
      ["instances", "scaling", "minCount"],
      ["resources", "postgreSQL", "highAvailability"],
      ["resources", "redis", "highAvailability"],
    ])
      if (map.hasIn(p)) {
        map.deleteIn(p);
        dropped.push(p.join("."));
      }
    if (dropped.length)
      notes.copied.push(`left to the ${c.category} category instead of copying: ${dropped.join(", ")}`);
  }

  const resources = map.get("resources");
  const hasPostgres = isMap(resources) && resources.has("postgreSQL");
  if (!c.postgres && hasPostgres) {
    resources.delete("postgreSQL");
    if (!resources.items.length) map.delete("resources");
  } else if (c.postgres && !hasPostgres)
    map.setIn(["resources", "postgreSQL"], doc.createNode({ databases: [databaseName(svc)] }));
  else if (hasPostgres) copied.push(`PostgreSQL (databases: ${databasesOf(map).join(", ")})`);
  if (map.hasIn(["resources", "redis"])) copied.push("Redis");
  if (map.hasIn(["resources", "bigQueryDataset"])) copied.push("BigQuery dataset");

  // Secrets: the copy reads them from its own project, which does not have them yet.
  const secretNames: string[] = [];
  const secretEnv = map.get("secretEnv");
  if (isMap(secretEnv))
    for (const pair of secretEnv.items)
      if (isScalar(pair.value)) {
        pair.value.value = ownSecret(pair.value.value, fromProject);
        if (typeof pair.value.value === "string" && !pair.value.value.startsWith("projects/"))
          secretNames.push(pair.value.value);
      }
  const volumes = map.get("secretVolumes");
  if (isMap(volumes))
    for (const pair of volumes.items)
      if (isMap(pair.value)) {
        const s = ownSecret(pair.value.get("secret"), fromProject);
        setScalar(pair.value, "secret", s);
        if (typeof s === "string" && !s.startsWith("projects/")) secretNames.push(s);
      }
  if (isMap(secretEnv)) copied.push("secretEnv");
  if (isMap(volumes)) copied.push("secretVolumes");
  if (secretNames.length)
    notes.todo.push(
      `create the secret(s) ${[...new Set(secretNames)].join(", ")} in project ${c.projectId} before the first deploy (Secret Manager; they are read from the environment's own project)`,
    );

  // A literal project ID in env values names the copied environment's project: use the new one.
  const envMap = map.get("env");
  if (isMap(envMap)) {
    for (const pair of envMap.items)
      if (
        isScalar(pair.value) &&
        typeof pair.value.value === "string" &&
        pair.value.value.includes(fromProject)
      )
        pair.value.value = pair.value.value.replaceAll(fromProject, c.projectId);
    copied.push("env");
  }
  for (const key of [
    "healthProbes",
    "startupProbe",
    "livenessProbe",
    "authentication",
    "schedule",
    "locations",
    "alerting",
  ])
    if (map.has(key)) copied.push(key);
  copied.push("instances");
  notes.copied.unshift(`copied from environment ${from}: ${copied.join(", ")}`);
  return map;
}

/** The database names of an environment node (empty when it has none). */
export function databasesOf(env: YAMLMap): string[] {
  const dbs = env.getIn(["resources", "postgreSQL", "databases"]);
  return isSeq(dbs) ? dbs.items.map((d) => String(isScalar(d) ? d.value : d)) : [];
}

/**
 * The text of one environment as an item of the spec's `environments` list, to insert after the last one: the
 * rest of the file stays byte for byte as it is. `indentSeq`: whether the file indents list items under their key.
 */
export function environmentText(env: YAMLMap, indentSeq: boolean, blankBefore: boolean): string {
  const doc = new Document();
  const seq = new YAMLSeq();
  seq.items.push(env);
  const root = new YAMLMap();
  root.items.push(doc.createPair("environments", seq));
  doc.contents = root;
  const lines = doc
    .toString({ ...WRITE_OPTIONS, indentSeq })
    .replace(/\n$/, "")
    .split("\n")
    .slice(1);
  return `${blankBefore ? "\n" : ""}${lines.join("\n")}`;
}

/**
 * `text` with `key: value` added as the last key of the top-level `service` mapping, the rest byte for byte
 * (init-env adds service.notionPageID this way); undefined when the file has no block mapping there.
 */
export function withServiceKey(
  text: string,
  doc: Document,
  lineCounter: LineCounter,
  key: string,
  value: string,
): string | undefined {
  const service = doc.get("service", true);
  if (!isMap(service) || service.flow || !service.items.length) return undefined;
  const first = service.items[0]!.key as { range?: [number, number, number] } | null;
  const last = service.items.at(-1)!;
  const end = (last.value as { range?: [number, number, number] } | null)?.range?.[1];
  if (first?.range === undefined || end === undefined) return undefined;
  const indent = " ".repeat(lineCounter.linePos(first.range[0]).col - 1);
  const afterLine = lineCounter.linePos(Math.max(end - 1, 0)).line;
  const lines = text.split("\n");
  const scalar = /^[A-Za-z0-9_-]+$/.test(value) ? value : JSON.stringify(value);
  lines.splice(afterLine, 0, `${indent}${key}: ${scalar}`);
  return lines.join("\n");
}
