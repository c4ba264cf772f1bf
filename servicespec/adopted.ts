/**
 * The names a service environment keeps from before it came here: `services/<id>/adopted.yaml`, beside the
 * spec, written by `msp adopt` from the environment's Terraform state and reviewed like the spec.
 *
 * MSP (Sourcegraph's Terraform generator) chose some names at random (`random_id`): the Cloud SQL instance
 * `postgresql-<4 hex>`, the operator account `operatoraccess-<6 hex>`, the subnet `<service>-<8 hex>`, and its
 * replication slots are `<publication>_pgoutput` where ours are `<publication>_slot`, and its Datastream connection
 * profiles are `msp-publication-<publication>` verbatim where ours make the name a DNS label. A taken-over environment must
 * keep them, or the first `pulumi up` creates a second database (names are replace-on inputs). The resolver
 * (resolve/environment.ts) uses a pin in place of the derived name; nothing else reads this file.
 *
 * Why a file beside the spec and not the stack file: stack files may set only `gcp:project` (platform settings
 * and names stay reviewed where the platform team reviews them), and this file is validated with the spec, every
 * problem at its `adopted.yaml:line:col`.
 */
import * as path from "node:path";
import { isMap, isScalar, LineCounter, type Document } from "yaml";
import { z } from "zod";
import { FileReadError, readRegularFile } from "./read-file";
import { parseBoundedDocument, TOO_MANY_TOKENS } from "./yaml-document";
import type { ServiceSpec } from "./schema";
import { formatPath, readIssue, type SpecIssue } from "./spec-issue";

export const ADOPTED_FILE = "adopted.yaml";
/** A few hundred bytes per environment. */
const MAX_ADOPTED_BYTES = 64 * 1024;

/** RFC 1035 labels, as Compute Engine names them (subnetworks). */
const COMPUTE_NAME = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
/** Cloud SQL instance IDs: lowercase letters, digits and hyphens, starting with a letter. */
const SQL_INSTANCE = /^[a-z](?:[-a-z0-9]{0,78}[a-z0-9])?$/;
/** Service account IDs: 6 to 30 characters. */
const ACCOUNT_ID = /^[a-z](?:[-a-z0-9]{4,28}[a-z0-9])$/;
/** Memorystore instance IDs: up to 40 characters. */
const REDIS_INSTANCE = /^[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?$/;
/** PostgreSQL replication slot names: lowercase letters, digits and underscores, at most 63. */
const SLOT_NAME = /^[a-z0-9_]{1,63}$/;
/** A Datastream connection profile ID as MSP set it: `msp-publication-<publication>`, underscores kept. */
const PROFILE_ID = /^[a-z][a-z0-9_-]{0,62}$/;

const named = (re: RegExp, what: string) =>
  z.string().regex(re, { message: `must be ${what} (as the live resource is named)` });

const environmentPins = z.strictObject({
  postgresInstance: named(SQL_INSTANCE, "a Cloud SQL instance ID, e.g. postgresql-1a2b").optional(),
  operatorAccount: named(ACCOUNT_ID, "a service account ID, e.g. operatoraccess-1a2b3c").optional(),
  subnet: named(COMPUTE_NAME, "a subnetwork name, e.g. orders-1a2b3c4d").optional(),
  redisInstance: named(REDIS_INSTANCE, "a Memorystore instance ID, e.g. redis").optional(),
  replicationSlots: z
    .record(z.string(), named(SLOT_NAME, "a replication slot name, e.g. events_pgoutput"))
    .optional(),
  connectionProfiles: z
    .record(
      z.string(),
      named(PROFILE_ID, "a Datastream connection profile ID, e.g. msp-publication-orders_events"),
    )
    .optional(),
  postgresTier: named(
    /^db-custom-[1-9][0-9]*-[1-9][0-9]*$/,
    "a Cloud SQL custom tier, db-custom-<cpu>-<MiB>",
  ).optional(),
  redisMemoryGB: z.number().int().min(1).max(300).optional(),
});

const adoptedFile = z.strictObject({ environments: z.record(z.string(), environmentPins) });

/** The names and sizes one environment keeps from the platform it was taken over from. */
export type EnvironmentPins = z.infer<typeof environmentPins>;
/** Environment ID to its pins. */
export type AdoptedPins = Readonly<Record<string, EnvironmentPins>>;

/**
 * The pins of the service in `dir` (none without an adopted.yaml), or every problem of the file. `spec` is the
 * validated spec: a pin must name an environment it has, and a resource that environment has.
 */
export function readAdoptedPins(
  dir: string,
  root: string,
  spec: ServiceSpec,
  shownDir = dir,
): { pins?: AdoptedPins } | { issues: SpecIssue[] } {
  const file = path.join(shownDir, ADOPTED_FILE);
  let text: string;
  try {
    text = readRegularFile(path.join(dir, ADOPTED_FILE), {
      maxBytes: MAX_ADOPTED_BYTES,
      within: root,
    }).toString("utf8");
  } catch (e) {
    if (!(e instanceof FileReadError)) throw e;
    if (e.problem === "not-found") return {};
    return { issues: [readIssue(file, e)] };
  }
  return parseAdoptedPins(file, text, spec);
}

/** Validates the text of an adopted.yaml (`file` names it in messages). */
export function parseAdoptedPins(
  file: string,
  text: string,
  spec: ServiceSpec,
): { pins: AdoptedPins } | { issues: SpecIssue[] } {
  const lines = new LineCounter();
  const bounded = parseBoundedDocument(text, { lineCounter: lines });
  const fileIssue = (message: string, offset = 0) => ({
    issues: [{ file, ...lines.linePos(offset), field: "", message }],
  });
  if (bounded.tooManyTokens) return fileIssue(TOO_MANY_TOKENS, bounded.tooManyTokens.offset);
  const doc = bounded.doc;
  if (doc.errors[0])
    return fileIssue(`YAML syntax error: ${doc.errors[0].message.split("\n")[0]!}`, doc.errors[0].pos[0]);
  const issues: SpecIssue[] = [];
  const at = (p: readonly PropertyKey[], message: string, key = false) => {
    const pos = lines.linePos(offsetOf(doc, p, key));
    issues.push({ file, line: pos.line, col: pos.col, field: formatPath(p), message });
  };
  const parsed = adoptedFile.safeParse(doc.toJS({ maxAliasCount: 10 }));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys")
        for (const k of issue.keys)
          at(
            [...issue.path, k],
            `is not a pin msp adopt writes (pins: ${Object.keys(environmentPins.shape).join(", ")})`,
            true,
          );
      else at(issue.path, issue.message);
    }
    return { issues };
  }
  for (const [envId, pins] of Object.entries(parsed.data.environments)) {
    const where = ["environments", envId];
    const env = spec.environments.find((e) => e.id === envId);
    if (!env) {
      at(
        where,
        `the spec has no environment ${envId} (environments: ${spec.environments.map((e) => e.id).join(", ")})`,
        true,
      );
      continue;
    }
    const pg = env.resources?.postgreSQL;
    if (!pg)
      for (const k of ["postgresInstance", "postgresTier", "replicationSlots", "connectionProfiles"] as const)
        if (pins[k] !== undefined)
          at([...where, k], `environment ${envId} has no resources.postgreSQL to pin`, true);
    if (!env.resources?.redis)
      for (const k of ["redisInstance", "redisMemoryGB"] as const)
        if (pins[k] !== undefined)
          at([...where, k], `environment ${envId} has no resources.redis to pin`, true);
    const publications = new Set(pg?.logicalReplication?.publications?.map((p) => p.name) ?? []);
    for (const k of ["replicationSlots", "connectionProfiles"] as const)
      for (const name of Object.keys(pins[k] ?? {}))
        if (pg && !publications.has(name))
          at([...where, k, name], `is not a publication of resources.postgreSQL.logicalReplication`, true);
  }
  return issues.length ? { issues } : { pins: parsed.data.environments };
}

/** The offset of the node at `p` (its key with `key`), else of the nearest parent that exists. */
function offsetOf(doc: Document.Parsed, p: readonly PropertyKey[], key: boolean): number {
  for (let n = p.length; n >= 0; n--) {
    const parentPath = p.slice(0, Math.max(0, n - 1)) as unknown[];
    const parent = n === 0 ? doc.contents : doc.getIn(parentPath, true);
    if (n === 0) return (parent as { range?: number[] } | null)?.range?.[0] ?? 0;
    if (!isMap(parent)) continue;
    const pair = parent.items.find((i) => isScalar(i.key) && String(i.key.value) === String(p[n - 1]));
    if (!pair) continue;
    const node = (key || n < p.length ? pair.key : (pair.value ?? pair.key)) as { range?: number[] } | null;
    return node?.range?.[0] ?? 0;
  }
  return 0;
}
