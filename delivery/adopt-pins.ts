/**
 * The pins `msp adopt` writes to `services/<id>/adopted.yaml` (servicespec/adopted.ts) from an MSP environment's
 * Terraform state: the names MSP chose at random and the live sizes that differ from the spec. Each pin is read
 * from the one resource MSP's builder made for it; when there is none, or more than one, nothing is pinned and a
 * note says why (never a guess).
 */
import { parseDocument } from "yaml";
import type { EnvironmentPins } from "../servicespec/adopted";
import type { EnvironmentSpec } from "../servicespec/schema";
import { postgresTier } from "../platform/naming";
import { postgresMemoryGB } from "../resolve/fields";
import { connectionProfileId } from "../plans/datastream-plan";
import type { TerraformInstance } from "./terraform-state";

export interface PinsResult {
  pins: EnvironmentPins;
  /** What was not pinned and why, and sizes pinned away from the spec. */
  notes: string[];
}

/** MSP's operator account is `operatoraccess-<6 hex>` (stacks/iam/iam.go). */
const OPERATOR_ACCOUNT = /^operatoraccess-[0-9a-f]+$/;
/** MSP's replication slot of a publication is `<publication>_pgoutput` (resource/postgresqllogicalreplication). */
const MSP_SLOT_SUFFIX = "_pgoutput";
/**
 * MSP's Datastream connection profile of a publication is `msp-publication-<publication>` verbatim
 * (resource/datastreamconnection); ours makes it a DNS label, so a name with `_` needs the live ID pinned.
 */
const mspConnectionProfileId = (publication: string) => `msp-publication-${publication}`;

const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);
const first = (v: unknown): Record<string, unknown> | undefined =>
  Array.isArray(v) && typeof v[0] === "object" && v[0] !== null
    ? (v[0] as Record<string, unknown>)
    : undefined;

export function pinsFromTerraform(instances: readonly TerraformInstance[], env: EnvironmentSpec): PinsResult {
  const pins: EnvironmentPins = {};
  const notes: string[] = [];
  const inProject = (type: string) =>
    instances.filter((i) => i.type === type && (i.attributes.project ?? env.projectID) === env.projectID);
  /** The one instance of `type` in the environment's project that `keep` accepts, else a note. */
  const one = (type: string, what: string, keep: (i: TerraformInstance) => boolean = () => true) => {
    const found = inProject(type).filter(keep);
    if (found.length === 1) return found[0]!;
    notes.push(
      found.length
        ? `${what}: ${found.length} in the state (${found.map((f) => f.address).join(", ")}): not pinned, pin the live one by hand`
        : `${what}: none in the state: not pinned`,
    );
    return undefined;
  };

  const pg = env.resources?.postgreSQL;
  if (pg) {
    const sql = one("google_sql_database_instance", "Cloud SQL instance");
    const name = str(sql?.attributes.name);
    if (name) pins.postgresInstance = name;
    const tier = str(first(sql?.attributes.settings)?.tier);
    const specTier = postgresTier(pg.cpu, postgresMemoryGB(pg));
    if (tier && tier !== specTier) {
      pins.postgresTier = tier;
      notes.push(
        `Cloud SQL runs ${tier}, the spec asks for ${specTier}: pinned to the live tier; set resources.postgreSQL.cpu and memoryGB to match and remove the pin, or remove it to resize`,
      );
    }
    const publications = pg.logicalReplication?.publications ?? [];
    const slots: Record<string, string> = {};
    for (const slot of inProject("postgresql_replication_slot")) {
      const slotName = str(slot.attributes.name) ?? "";
      const publication = publications.find((p) => slotName === `${p.name}${MSP_SLOT_SUFFIX}`);
      if (publication) slots[publication.name] = slotName;
      else notes.push(`replication slot ${slotName} (${slot.address}) belongs to no publication of the spec`);
    }
    if (Object.keys(slots).length) pins.replicationSlots = slots;
    const profiles: Record<string, string> = {};
    for (const profile of inProject("google_datastream_connection_profile")) {
      const id = str(profile.attributes.connection_profile_id) ?? "";
      const publication = publications.find((p) => id === mspConnectionProfileId(p.name));
      if (!publication)
        notes.push(`connection profile ${id} (${profile.address}) belongs to no publication of the spec`);
      else if (id !== connectionProfileId(publication.name)) profiles[publication.name] = id;
    }
    if (Object.keys(profiles).length) pins.connectionProfiles = profiles;
  }
  const operator = one("google_service_account", "operator account (operatoraccess-*)", (i) =>
    OPERATOR_ACCOUNT.test(str(i.attributes.account_id) ?? ""),
  );
  const account = str(operator?.attributes.account_id);
  if (account) pins.operatorAccount = account;
  if (inProject("google_compute_subnetwork").length || pg || env.resources?.redis) {
    const subnet = str(one("google_compute_subnetwork", "subnet")?.attributes.name);
    if (subnet) pins.subnet = subnet;
  }
  const redis = env.resources?.redis;
  if (redis) {
    const instance = one("google_redis_instance", "Redis instance");
    const name = str(instance?.attributes.name);
    if (name) pins.redisInstance = name;
    const memory = instance?.attributes.memory_size_gb;
    const specMemory = redis.memoryGB;
    if (typeof memory === "number" && memory !== specMemory) {
      pins.redisMemoryGB = memory;
      notes.push(
        `Redis has ${memory} GB, the spec asks for ${specMemory}: pinned to the live size; set resources.redis.memoryGB to match and remove the pin, or remove it to resize`,
      );
    }
  }
  return { pins, notes };
}

const HEADER = `# Names and sizes kept from MSP's Terraform, written by msp adopt (servicespec/adopted.ts).
# Reviewed like the spec: each name is the live resource's; a size pin overrides the spec until removed.
`;

/** The adopted.yaml text with `envId`'s pins set, the other environments' kept as they were. */
export function adoptedYamlText(existing: string | undefined, envId: string, pins: EnvironmentPins): string {
  const doc = parseDocument(existing ?? `${HEADER}environments: {}\n`);
  if (!doc.has("environments")) doc.set("environments", {});
  doc.setIn(["environments", envId], doc.createNode(pins));
  const envs = doc.get("environments", true) as { flow?: boolean } | undefined;
  if (envs) envs.flow = false;
  return doc.toString();
}
