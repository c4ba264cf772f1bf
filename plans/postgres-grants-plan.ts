/**
 * Who may do what inside PostgreSQL (reference §2.3, "PostgreSQL runtime config"), as data: the grants
 * DatabaseGrants creates, decided here in a pure function so tests read them without the Pulumi runtime.
 *
 * - The workload owns its databases: it is made a member of `cloudsqlsuperuser` (Cloud SQL's administrator
 *   role, the owner of the databases Cloud SQL creates), with admin option so it can hand roles on; on
 *   PostgreSQL 15 and later `public` no longer lets every role create objects, so it also gets CREATE and USAGE
 *   on schema `public` of each database.
 * - The operator reads: CONNECT on each database, USAGE on `public`, SELECT on every table in it, and the
 *   same SELECT on tables the workload creates later (default privileges for objects owned by the workload).
 * - An optional break-glass write role: data changes (no DDL) on every present and future table and sequence,
 *   granted only to the identities listed.
 * - Logical replication: a replication role that can read the published tables, and per publication the
 *   login Datastream uses (USAGE on `public`, SELECT on the publication's tables: MSP's postgresqlroles).
 */

/** Cloud SQL's administrator role: members own what Cloud SQL creates and may create roles and databases. */
export const CLOUDSQL_SUPERUSER = "cloudsqlsuperuser";
export const PUBLIC_SCHEMA = "public";
/** NOLOGIN role carrying data-change privileges for break-glass access. */
export const BREAK_GLASS_WRITE_ROLE = "msp_break_glass_write";
/** MSP's replication user name. */
export const REPLICATION_USER = "msp-replicationuser";
/** The Secret Manager secret holding the replication user's password. */
export const REPLICATION_PASSWORD_SECRET = "PG_REPLICATION_PASSWORD";
/** The first PostgreSQL version whose `public` schema no longer grants CREATE to every role. */
export const PUBLIC_SCHEMA_LOCKED_FROM = 15;

export const READ_PRIVILEGES = ["SELECT"] as const;
export const WRITE_TABLE_PRIVILEGES = ["DELETE", "INSERT", "SELECT", "UPDATE"] as const;
export const WRITE_SEQUENCE_PRIVILEGES = ["SELECT", "UPDATE", "USAGE"] as const;

/**
 * Who receives a grant: a role the plan names, one of the IAM users the caller passes in, or the login of a
 * publication (`publication:<name>`).
 */
export type Grantee = "workload" | "operator" | "breakGlassWrite" | "replication" | `publication:${string}`;

/** The grantee standing for a publication's own login. */
export const publicationGrantee = (publication: string): Grantee => `publication:${publication}`;

export interface PlannedGrant {
  /** Stable key, used in the resource name. */
  key: string;
  grantee: Grantee;
  database: string;
  objectType: "database" | "schema" | "table" | "sequence";
  privileges: string[];
  schema?: string;
  /** Specific objects; empty means every object of the type in the schema. */
  objects?: string[];
}

export interface PlannedDefaultPrivileges {
  key: string;
  grantee: Grantee;
  database: string;
  /** Objects created by this role get the privileges (the workload, which creates the tables). */
  owner: "workload";
  objectType: "table" | "sequence";
  privileges: string[];
}

export interface Publication {
  name: string;
  database: string;
  tables: readonly string[];
  /** Its replication slot: `replicationSlotName(name)` unless kept from MSP (`<name>_pgoutput`). */
  slotName?: string;
  /** Its Datastream connection profile ID: `connectionProfileId(name)` unless kept from MSP (adopted.yaml). */
  connectionProfileId?: string;
}

export interface GrantPlanInput {
  databases: readonly string[];
  /** PostgreSQL major version of the instance (15 for POSTGRES_15). */
  postgresMajorVersion: number;
  /** Create the break-glass write role. */
  breakGlassWriteRole: boolean;
  /** Logical replication publications (each needs the replication role to read its tables). */
  publications: readonly Publication[];
}

export interface GrantPlan {
  /** The workload joins cloudsqlsuperuser (with admin option). */
  workloadRole: string;
  grants: PlannedGrant[];
  defaultPrivileges: PlannedDefaultPrivileges[];
}

/** Replication slot names allow lowercase letters, digits and underscores only. */
export const replicationSlotName = (publication: string) =>
  `${publication.toLowerCase().replace(/[^a-z0-9_]/g, "_")}_slot`;

export function grantPlan(input: GrantPlanInput): GrantPlan {
  const grants: PlannedGrant[] = [];
  const defaults: PlannedDefaultPrivileges[] = [];
  const readAccess = (grantee: Grantee, db: string) => {
    grants.push(
      {
        key: `${db}-${grantee}-connect`,
        grantee,
        database: db,
        objectType: "database",
        privileges: ["CONNECT"],
      },
      {
        key: `${db}-${grantee}-schema`,
        grantee,
        database: db,
        objectType: "schema",
        schema: PUBLIC_SCHEMA,
        privileges: ["USAGE"],
      },
    );
  };
  for (const db of input.databases) {
    if (input.postgresMajorVersion >= PUBLIC_SCHEMA_LOCKED_FROM)
      grants.push({
        key: `${db}-workload-schema`,
        grantee: "workload",
        database: db,
        objectType: "schema",
        schema: PUBLIC_SCHEMA,
        privileges: ["CREATE", "USAGE"],
      });

    readAccess("operator", db);
    grants.push({
      key: `${db}-operator-tables`,
      grantee: "operator",
      database: db,
      objectType: "table",
      schema: PUBLIC_SCHEMA,
      objects: [],
      privileges: [...READ_PRIVILEGES],
    });
    defaults.push({
      key: `${db}-operator-future-tables`,
      grantee: "operator",
      database: db,
      owner: "workload",
      objectType: "table",
      privileges: [...READ_PRIVILEGES],
    });

    if (input.breakGlassWriteRole) {
      readAccess("breakGlassWrite", db);
      for (const [objectType, privileges] of [
        ["table", WRITE_TABLE_PRIVILEGES],
        ["sequence", WRITE_SEQUENCE_PRIVILEGES],
      ] as const) {
        grants.push({
          key: `${db}-break-glass-${objectType}s`,
          grantee: "breakGlassWrite",
          database: db,
          objectType,
          schema: PUBLIC_SCHEMA,
          objects: [],
          privileges: [...privileges],
        });
        defaults.push({
          key: `${db}-break-glass-future-${objectType}s`,
          grantee: "breakGlassWrite",
          database: db,
          owner: "workload",
          objectType,
          privileges: [...privileges],
        });
      }
    }
  }

  const published = new Map<string, Set<string>>();
  for (const p of input.publications) {
    const tables = published.get(p.database) ?? new Set<string>();
    for (const t of p.tables) tables.add(t);
    published.set(p.database, tables);
  }
  for (const [db, tables] of [...published].sort(([a], [b]) => a.localeCompare(b))) {
    readAccess("replication", db);
    grants.push({
      key: `${db}-replication-tables`,
      grantee: "replication",
      database: db,
      objectType: "table",
      schema: PUBLIC_SCHEMA,
      objects: [...tables].sort(),
      privileges: [...READ_PRIVILEGES],
    });
  }
  // Datastream's requirements for its user (https://cloud.google.com/datastream/docs/configure-cloudsql-psql):
  // USAGE on the schema and SELECT on the replicated tables; REPLICATION is an attribute of the role itself.
  for (const p of input.publications) {
    const grantee = publicationGrantee(p.name);
    grants.push(
      {
        key: `${p.database}-publication-${p.name}-schema`,
        grantee,
        database: p.database,
        objectType: "schema",
        schema: PUBLIC_SCHEMA,
        privileges: ["USAGE"],
      },
      {
        key: `${p.database}-publication-${p.name}-tables`,
        grantee,
        database: p.database,
        objectType: "table",
        schema: PUBLIC_SCHEMA,
        objects: [...p.tables].sort(),
        privileges: [...READ_PRIVILEGES],
      },
    );
  }
  return { workloadRole: CLOUDSQL_SUPERUSER, grants, defaultPrivileges: defaults };
}
