import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOptions, statefulLabels, statefulOptions } from "./options";
import { generatedSecret } from "./secret";
import { POSTGRES_MAJOR_VERSION, postgresDatabaseFlags, sqlIamUserName } from "../plans/postgres-settings";

export { POSTGRES_MAJOR_VERSION };

/** The built-in administrator every instance gets (its password is generated and kept secret). */
export const SQL_ADMIN_USER = "msp-admin";

export interface PostgresInstanceArgs {
  readonly projectId: pulumi.Input<string>;
  readonly region: string;
  /** Instance name; it can never change (a new name is a new instance). */
  readonly instanceName: string;
  readonly databases: readonly string[];
  /** Machine tier, e.g. `db-custom-1-4096`. */
  readonly tier: string;
  readonly maxConnections?: number;
  /** REGIONAL instance with a standby. Defaults to false (ZONAL). */
  readonly highAvailability?: boolean;
  /** Point-in-time recovery. Defaults to true. */
  readonly pointInTimeRecovery?: boolean;
  /** Automated backups kept. Defaults to 90 (MSP's SOC2 requirement). */
  readonly retainedBackups?: number;
  /** Days of transaction log kept for point-in-time recovery. Defaults to 7. */
  readonly transactionLogRetentionDays?: number;
  readonly logicalDecoding?: boolean;
  /** Private network the workload reaches the instance on (Cloud Run direct VPC egress). */
  readonly networkId: pulumi.Input<string>;
  readonly peering: pulumi.Resource;
  readonly workloadEmail: pulumi.Input<string>;
  readonly operatorEmail: pulumi.Input<string>;
  readonly labels: Record<string, string>;
  /** Lift deletion protection and `protect` (spec `allowDestroys`). Defaults to false. */
  readonly allowDestroys?: boolean;
}

/**
 * Cloud SQL for PostgreSQL (reference §2.3): private IP for the workload, a public address usable only by
 * IAM-authorized Cloud SQL connectors (operators, the deployment's grants), TLS with client certificates, IAM
 * database authentication and backups.
 */
export class PostgresInstance extends pulumi.ComponentResource {
  /** `project:region:instance`, given to the container as PGINSTANCE. */
  public readonly connectionName: pulumi.Output<string>;
  public readonly instanceName: pulumi.Output<string>;
  /** The workload's IAM database user, given to the container as PGUSER. */
  public readonly workloadUser: pulumi.Output<string>;
  public readonly operatorUser: pulumi.Output<string>;
  /** Password of the msp-admin user (a Pulumi secret). */
  public readonly adminPassword: pulumi.Output<string>;

  constructor(name: string, args: PostgresInstanceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("msp:gcp:PostgresInstance", name, {}, opts);
    const allowDestroys = args.allowDestroys ?? false;
    const ha = args.highAvailability ?? false;
    const instance = new gcp.sql.DatabaseInstance(
      `${name}-instance`,
      {
        project: args.projectId,
        region: args.region,
        name: args.instanceName,
        databaseVersion: `POSTGRES_${POSTGRES_MAJOR_VERSION}`,
        deletionProtection: !allowDestroys,
        settings: {
          tier: args.tier,
          edition: "ENTERPRISE",
          availabilityType: ha ? "REGIONAL" : "ZONAL",
          diskType: "PD_SSD",
          diskSize: 10,
          diskAutoresize: true,
          diskAutoresizeLimit: 0,
          deletionProtectionEnabled: !allowDestroys,
          userLabels: statefulLabels(args.labels, allowDestroys),
          databaseFlags: postgresDatabaseFlags({
            maxConnections: args.maxConnections,
            logicalDecoding: args.logicalDecoding,
          }),
          backupConfiguration: {
            enabled: true,
            startTime: "10:00",
            pointInTimeRecoveryEnabled: args.pointInTimeRecovery ?? true,
            transactionLogRetentionDays: args.transactionLogRetentionDays ?? 7,
            backupRetentionSettings: { retainedBackups: args.retainedBackups ?? 90, retentionUnit: "COUNT" },
          },
          maintenanceWindow: { day: 1, hour: 15, updateTrack: "stable" },
          insightsConfig: {
            queryInsightsEnabled: true,
            queryStringLength: 4096,
            recordApplicationTags: true,
            recordClientAddress: true,
          },
          // Reachable from outside the VPC only through IAM-authorized Cloud SQL connectors (cloud-sql-proxy,
          // the language connectors, the deployment's PostgreSQL provider): a public address with no authorized
          // network, connections only through a connector, client certificates required.
          connectorEnforcement: "REQUIRED",
          ipConfiguration: {
            ipv4Enabled: true,
            authorizedNetworks: [],
            privateNetwork: args.networkId,
            sslMode: "TRUSTED_CLIENT_CERTIFICATE_REQUIRED",
            enablePrivatePathForGoogleCloudServices: true,
          },
        },
      },
      // The disk grows by itself; Pulumi must not shrink it back to the initial size.
      statefulOptions(this, allowDestroys, {
        dependsOn: [args.peering],
        ignoreChanges: ["settings.diskSize"],
      }),
    );

    for (const db of args.databases)
      new gcp.sql.Database(
        `${name}-db-${db}`,
        { project: args.projectId, instance: instance.name, name: db, deletionPolicy: "ABANDON" },
        statefulOptions(this, allowDestroys),
      );

    const password = generatedSecret(`${name}-admin-password`, { length: 32, special: false }, this);
    new gcp.sql.User(
      `${name}-admin`,
      {
        project: args.projectId,
        instance: instance.name,
        name: SQL_ADMIN_USER,
        type: "BUILT_IN",
        password: password.result,
        deletionPolicy: "ABANDON",
      },
      childOptions(this),
    );
    const iamUser = (role: string, email: pulumi.Input<string>) =>
      new gcp.sql.User(
        `${name}-${role}-user`,
        {
          project: args.projectId,
          instance: instance.name,
          name: pulumi.output(email).apply(sqlIamUserName),
          type: "CLOUD_IAM_SERVICE_ACCOUNT",
          deletionPolicy: "ABANDON",
        },
        childOptions(this),
      );
    const workload = iamUser("workload", args.workloadEmail);
    const operator = iamUser("operator", args.operatorEmail);

    this.connectionName = instance.connectionName;
    this.instanceName = instance.name;
    this.workloadUser = workload.name;
    this.operatorUser = operator.name;
    this.adminPassword = pulumi.secret(password.result);
    this.registerOutputs({
      connectionName: this.connectionName,
      instanceName: this.instanceName,
      workloadUser: this.workloadUser,
      operatorUser: this.operatorUser,
      adminPassword: this.adminPassword,
    });
  }
}
