/**
 * The environment's data: the private network, Cloud SQL PostgreSQL (with Datastream's way in when it has
 * publications), Memorystore Redis, BigQuery and the logs routed to BigQuery, each only when the spec asks for it.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ResolvedEnvironment } from "../../resolve/model";
import { PrivateNetwork } from "../../components/network";
import { PostgresInstance, SQL_ADMIN_USER } from "../../components/postgres";
import { DatabaseGrants } from "../../components/postgres-grants";
import { DatastreamConnection } from "../../components/datastream";
import { replicationSlotName } from "../../plans/postgres-grants-plan";
import { RedisInstance } from "../../components/redis";
import { BigQueryDataset } from "../../components/bigquery";
import { LogExport } from "../../components/log-export";
import type { Foundation } from "./foundation";

export interface Data {
  readonly network?: PrivateNetwork;
  readonly postgres?: PostgresInstance;
  /** Grants inside PostgreSQL, made once the instance's databases and users exist. */
  readonly grants?: DatabaseGrants;
  /** Datastream's proxy, private connection and connection profiles, for logical replication publications. */
  readonly datastream?: DatastreamConnection;
  readonly redis?: RedisInstance;
  readonly bigQuery?: BigQueryDataset;
  /** The logs' dataset and sink (`logging.exportToBigQuery`). */
  readonly logExport?: LogExport;
  /** What the workload must wait for: its users, tables and secrets exist before it starts. */
  readonly ready: pulumi.Resource[];
}

export function buildData(env: ResolvedEnvironment, base: Foundation): Data {
  const { opts, identities } = base;
  const projectId = base.project.projectId;
  const common = { projectId, labels: env.labels, allowDestroys: env.allowDestroys };
  const network =
    env.network &&
    new PrivateNetwork(
      "network",
      { projectId, region: env.region, ...env.network, serviceNetworkingProvider: base.billedToProject },
      opts,
    );
  const peered = network && { networkId: network.networkId, peering: network.peering };

  const pg = env.postgres;
  const postgres =
    pg &&
    peered &&
    new PostgresInstance(
      "postgres",
      {
        ...common,
        ...peered,
        region: env.region,
        instanceName: pg.instanceName,
        databases: pg.databases,
        tier: pg.tier,
        maxConnections: pg.maxConnections,
        highAvailability: pg.highAvailability,
        pointInTimeRecovery: pg.pointInTimeRecovery,
        retainedBackups: pg.retainedBackups,
        transactionLogRetentionDays: pg.transactionLogRetentionDays,
        logicalDecoding: pg.logicalDecoding,
        workloadEmail: identities.workloadEmail,
        operatorEmail: identities.operatorEmail,
      },
      opts,
    );

  const grants =
    pg &&
    postgres &&
    new DatabaseGrants(
      "postgres-grants",
      {
        connectionName: postgres.connectionName,
        adminUser: SQL_ADMIN_USER,
        adminPassword: postgres.adminPassword,
        databases: pg.databases,
        postgresMajorVersion: pg.majorVersion,
        workloadUser: postgres.workloadUser,
        workloadEmail: identities.workloadEmail,
        operatorUser: postgres.operatorUser,
        breakGlassWriters: pg.breakGlassWriters,
        publications: pg.publications,
        secrets: common,
      },
      { ...opts, dependsOn: [postgres] },
    );

  const datastream =
    pg &&
    network &&
    postgres &&
    grants &&
    grants.publicationLogins.length > 0 &&
    new DatastreamConnection(
      "datastream",
      {
        serviceName: env.serviceName,
        projectId,
        region: env.region,
        networkId: network.networkId,
        networkSelfLink: network.networkSelfLink,
        subnetSelfLink: network.subnetSelfLink,
        connectionName: postgres.connectionName,
        labels: env.labels,
        publications: pg.publications.map((p) => {
          const login = grants.publicationLogins.find((l) => l.publication === p.name)!;
          const slotName = p.slotName ?? replicationSlotName(p.name);
          return {
            name: p.name,
            database: p.database,
            slotName,
            connectionProfileId: p.connectionProfileId,
            user: login.user,
            password: login.password,
          };
        }),
        publicationGrants: grants.publicationGrants,
      },
      opts,
    );

  const r = env.redis;
  const redis =
    r &&
    peered &&
    new RedisInstance(
      "redis",
      { ...common, ...peered, region: env.region, name: r.name, tier: r.tier, memoryGB: r.memoryGB },
      opts,
    );

  const bq = env.bigQuery;
  const bigQuery =
    bq &&
    new BigQueryDataset(
      "bigquery",
      {
        ...common,
        // The environment's own project by reference, so the dataset waits for it.
        projectId: bq.inEnvironmentProject ? projectId : bq.projectId,
        datasetId: bq.datasetId,
        location: bq.location,
        tables: bq.tables,
        workloadMember: identities.workloadMember,
      },
      opts,
    );

  const logs = env.logExport;
  const logExport =
    logs &&
    new LogExport(
      "logs",
      {
        ...common,
        datasetId: logs.datasetId,
        location: logs.location,
        sinkName: logs.sinkName,
        filter: logs.filter,
      },
      opts,
    );

  // The workload does not wait for the log export: its logs stay in Cloud Logging either way, and the sink
  // exports from its creation on.
  const ready: pulumi.Resource[] = [base.identities, base.diagnostics];
  // The workload waits for its grants too: on PostgreSQL 15 it cannot create tables before them.
  for (const store of [postgres, grants, redis, bigQuery]) if (store) ready.push(store);
  return {
    network,
    postgres,
    grants,
    datastream: datastream || undefined,
    redis,
    bigQuery,
    logExport,
    ready,
  };
}
