import * as postgresql from "@pulumi/postgresql";
import * as pulumi from "@pulumi/pulumi";
import { childOptions } from "./options";
import { createSecret, generatedSecret } from "./secret";
import { POSTGRES_MAJOR_VERSION } from "../plans/postgres-settings";
import { publicationUser } from "../plans/datastream-plan";
import {
  BREAK_GLASS_WRITE_ROLE,
  grantPlan,
  PUBLIC_SCHEMA,
  publicationGrantee,
  REPLICATION_PASSWORD_SECRET,
  REPLICATION_USER,
  replicationSlotName,
  type Grantee,
  type Publication,
} from "../plans/postgres-grants-plan";

export interface DatabaseGrantsArgs {
  /** `project:region:instance`: the provider reaches the instance through the Cloud SQL connector. */
  readonly connectionName: pulumi.Input<string>;
  /** The built-in administrator the grants are made as (a cloudsqlsuperuser member). */
  readonly adminUser: string;
  /** Its password (a Pulumi secret). */
  readonly adminPassword: pulumi.Input<string>;
  readonly databases: readonly string[];
  /** PostgreSQL major version of the instance. Defaults to the platform's (POSTGRES_MAJOR_VERSION). */
  readonly postgresMajorVersion?: number;
  /** IAM database user of the workload (owner of its databases). */
  readonly workloadUser: pulumi.Input<string>;
  /** Service account of the workload: publications are created as it, since it owns the tables. */
  readonly workloadEmail: pulumi.Input<string>;
  /** IAM database user of the operator account (read-only). */
  readonly operatorUser: pulumi.Input<string>;
  /**
   * Database users made members of a break-glass write role (data changes on every table, no DDL). The role
   * is created only when this is set; defaults to none (break-glass writes go through the workload account).
   */
  readonly breakGlassWriters?: readonly pulumi.Input<string>[];
  /**
   * Logical replication: publications (created as the workload, which owns the tables), one pgoutput
   * replication slot each, the msp-replicationuser role that may read them, and per publication the login
   * Datastream reads it as (`msp-publication-<name>-user`). Defaults to none.
   */
  readonly publications?: readonly Publication[];
  /** Where the replication user's password is stored (Secret Manager, PG_REPLICATION_PASSWORD). */
  readonly secrets?: {
    readonly projectId: pulumi.Input<string>;
    readonly labels: Record<string, string>;
    readonly allowDestroys: boolean;
  };
}

/** The login Datastream reads one publication as (its password a Pulumi secret). */
export interface PublicationLogin {
  readonly publication: string;
  readonly user: pulumi.Output<string>;
  readonly password: pulumi.Output<string>;
}

/**
 * Grants inside Cloud SQL for PostgreSQL (reference §2.3): the workload owns its databases, the operator
 * reads every table present and future, an optional break-glass write role, and logical replication.
 * The provider connects through the Cloud SQL connector (scheme `gcppostgres`, the instance connection name as
 * host) with the deployer's Google credentials, so the instance needs no authorized network. Create it after
 * the instance's databases and users (pass the PostgresInstance in `dependsOn`).
 */
export class DatabaseGrants extends pulumi.ComponentResource {
  /** Stable keys of every grant made, for tests and docs. */
  public readonly grantKeys: pulumi.Output<string[]>;
  /** Secret Manager secret holding the replication user's password, when there are publications. */
  public readonly replicationPasswordSecret?: pulumi.Output<string>;
  /**
   * Per publication, the REPLICATION login Datastream connects as. Its password lives in Pulumi state and in
   * the Datastream connection profile only, as in MSP: nothing else reads it.
   */
  public readonly publicationLogins: PublicationLogin[] = [];
  /** The grants the publication logins need; a connection profile waits for them. */
  public readonly publicationGrants: pulumi.Resource[] = [];

  constructor(name: string, args: DatabaseGrantsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("msp:postgres:DatabaseGrants", name, {}, opts);
    const publications = args.publications ?? [];
    const writers = args.breakGlassWriters ?? [];
    if (publications.length && !args.secrets)
      throw new Error(`${name}: publications need args.secrets (where the replication password is kept)`);
    const plan = grantPlan({
      databases: args.databases,
      postgresMajorVersion: args.postgresMajorVersion ?? POSTGRES_MAJOR_VERSION,
      breakGlassWriteRole: writers.length > 0,
      publications,
    });

    const connector = (
      suffix: string,
      login: Partial<postgresql.ProviderArgs>,
      dependsOn: pulumi.Resource[] = [],
    ) =>
      new postgresql.Provider(
        `${name}-${suffix}`,
        {
          scheme: "gcppostgres",
          host: args.connectionName,
          port: 5432,
          database: "postgres",
          // Cloud SQL's cloudsqlsuperuser is not a PostgreSQL superuser.
          superuser: false,
          expectedVersion: String(args.postgresMajorVersion ?? POSTGRES_MAJOR_VERSION),
          ...login,
        },
        { parent: this, dependsOn },
      );
    const admin = connector("admin", {
      username: args.adminUser,
      password: pulumi.secret(args.adminPassword),
    });
    const asAdmin = (extra: pulumi.CustomResourceOptions = {}) =>
      childOptions(this, { provider: admin, ...extra });

    const workloadSuperuser = new postgresql.GrantRole(
      `${name}-workload-${plan.workloadRole}`,
      { role: args.workloadUser, grantRole: plan.workloadRole, withAdminOption: true },
      asAdmin(),
    );

    let writeRole: postgresql.Role | undefined;
    if (writers.length) {
      writeRole = new postgresql.Role(
        `${name}-break-glass-write`,
        { name: BREAK_GLASS_WRITE_ROLE, login: false, inherit: true },
        asAdmin(),
      );
      writers.forEach(
        (member, i) =>
          new postgresql.GrantRole(
            `${name}-break-glass-write-member-${i}`,
            { role: member, grantRole: writeRole!.name, withAdminOption: false },
            asAdmin(),
          ),
      );
    }

    let replication: postgresql.Role | undefined;
    let replicationPassword: pulumi.Output<string> | undefined;
    if (publications.length) {
      const password = generatedSecret(`${name}-replication-password`, { length: 32, special: false }, this);
      replication = new postgresql.Role(
        `${name}-replication-user`,
        { name: REPLICATION_USER, login: true, replication: true, password: pulumi.secret(password.result) },
        asAdmin(),
      );
      this.replicationPasswordSecret = createSecret(this, `${name}-replication-password-secret`, {
        projectId: args.secrets!.projectId,
        secretId: REPLICATION_PASSWORD_SECRET,
        data: password.result,
        labels: args.secrets!.labels,
        allowDestroys: args.secrets!.allowDestroys,
      });
      replicationPassword = pulumi.secret(password.result);
    }
    // MSP's postgresqllogicalreplication: one login per publication, 32 characters without specials.
    const publicationRoles = new Map<string, postgresql.Role>();
    for (const p of publications) {
      const password = generatedSecret(
        `${name}-publication-${p.name}-password`,
        { length: 32, special: false },
        this,
      );
      const role = new postgresql.Role(
        `${name}-publication-${p.name}-user`,
        {
          name: publicationUser(p.name),
          login: true,
          replication: true,
          password: pulumi.secret(password.result),
        },
        asAdmin(),
      );
      publicationRoles.set(publicationGrantee(p.name), role);
      this.publicationLogins.push({
        publication: p.name,
        user: role.name,
        password: pulumi.secret(password.result),
      });
    }

    const roleOf = (grantee: Grantee): pulumi.Input<string> => {
      switch (grantee) {
        case "workload":
          return args.workloadUser;
        case "operator":
          return args.operatorUser;
        case "breakGlassWrite":
          return writeRole!.name;
        case "replication":
          return replication!.name;
        default:
          return publicationRoles.get(grantee)!.name;
      }
    };
    // Grants on tables wait for the workload's membership: the tables belong to cloudsqlsuperuser members.
    const grants: postgresql.Grant[] = plan.grants.map(
      (g) =>
        new postgresql.Grant(
          `${name}-${g.key}`,
          {
            role: roleOf(g.grantee),
            database: g.database,
            objectType: g.objectType,
            schema: g.schema,
            objects: g.objects,
            privileges: g.privileges,
          },
          asAdmin({ dependsOn: [workloadSuperuser] }),
        ),
    );
    plan.grants.forEach((g, i) => {
      if (g.grantee.startsWith("publication:")) this.publicationGrants.push(grants[i]!);
    });
    for (const d of plan.defaultPrivileges)
      new postgresql.DefaultPrivileges(
        `${name}-${d.key}`,
        {
          role: roleOf(d.grantee),
          database: d.database,
          owner: args.workloadUser,
          schema: PUBLIC_SCHEMA,
          objectType: d.objectType,
          privileges: d.privileges,
        },
        asAdmin({ dependsOn: [workloadSuperuser] }),
      );

    if (publications.length) {
      // A publication of named tables needs their owner: the workload, through its own IAM login.
      const asWorkload = connector(
        "workload",
        { username: args.workloadUser, gcpIamImpersonateServiceAccount: args.workloadEmail },
        [workloadSuperuser],
      );
      // Logical replication slots need the REPLICATION attribute, which only the replication user has.
      const asReplication = connector(
        "replication",
        { username: REPLICATION_USER, password: replicationPassword },
        [replication!],
      );
      for (const p of publications) {
        new postgresql.Publication(
          `${name}-publication-${p.name}`,
          {
            name: p.name,
            database: p.database,
            tables: p.tables.map((t) => `${PUBLIC_SCHEMA}.${t}`),
          },
          childOptions(this, { provider: asWorkload, dependsOn: [workloadSuperuser, ...grants] }),
        );
        new postgresql.ReplicationSlot(
          `${name}-replication-slot-${p.name}`,
          { name: p.slotName ?? replicationSlotName(p.name), database: p.database, plugin: "pgoutput" },
          childOptions(this, { provider: asReplication }),
        );
      }
    }

    this.grantKeys = pulumi.output([
      `workload-${plan.workloadRole}`,
      ...plan.grants.map((g) => g.key),
      ...plan.defaultPrivileges.map((d) => d.key),
    ]);
    this.registerOutputs({
      grantKeys: this.grantKeys,
      replicationPasswordSecret: this.replicationPasswordSecret,
      publicationLogins: this.publicationLogins,
    });
  }
}
