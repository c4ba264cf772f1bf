/**
 * The one table of the resource types the platform creates: what each holds, which input changes make the
 * provider replace it (delete and recreate, losing what it holds), and which must carry Pulumi's `protect`.
 * Everything that needs a list of types reads it: its keys are the types the policy pack allows
 * (msp-allowed-resource-types), its `protect` entries the types msp-stateful-resources-protected checks
 * (policy/types.ts), the offline cloud model must model exactly these types (a test), and `msp diff` reports a
 * type missing here as unknown and fails the check, so a new resource type must be classified before it can
 * ship.
 *
 * Replacement fields are the provider's: `ForceNew` in terraform-provider-google (which @pulumi/gcp bridges)
 * and `immutable: true` in its magic-modules definitions, checked per resource (file names below). Paths are
 * the Pulumi input names, dotted into nested objects.
 */
import { droppedColumns, parseSchema, schemaForcesReplacement } from "./bigquery-schema";

/** Decides from the old and new value of one input whether the change replaces the resource. */
export type ChangeRule = (before: unknown, after: unknown) => boolean;
/** Describes the data an in-place change destroys, or returns undefined when it destroys none. */
export type LossRule = (before: unknown, after: unknown) => string | undefined;

export interface StatefulType {
  readonly stateful: true;
  /** What is lost with the resource, for messages. */
  readonly holds: string;
  /**
   * Every resource of the type carries Pulumi's `protect` while `allowDestroys` is false (the components set
   * it; msp-stateful-resources-protected requires it).
   */
  readonly protect?: true;
  /** Inputs whose every change replaces the resource. */
  readonly replaceOn: readonly string[];
  /** Inputs whose change replaces the resource only in one direction (a shrink, a downgrade, a removal). */
  readonly replaceWhen?: Readonly<Record<string, ChangeRule>>;
  /** Inputs whose in-place change still destroys data. */
  readonly loseWhen?: Readonly<Record<string, LossRule>>;
}

export interface StatelessType {
  readonly stateful: false;
  /** Why nothing is lost when it is replaced or deleted. */
  readonly why: string;
}

export type TypeClass = StatefulType | StatelessType;

/** An input that is set: the providers treat undefined, null and "" alike, as unset. */
export const isSet = (v: unknown) => v !== undefined && v !== null && v !== "";
/** A number input that gets smaller (disk sizes cannot shrink in place). */
const decreased: ChangeRule = (a, b) => typeof a === "number" && typeof b === "number" && b < a;
/** A value that was set and is now unset. */
const removed: ChangeRule = (a, b) => isSet(a) && !isSet(b);
/** `REDIS_7_2` -> `REDIS_6_X`: Memorystore upgrades in place but cannot downgrade. */
const versionDecreased: ChangeRule = (a, b) => {
  const parts = (v: unknown) => (typeof v === "string" ? v.split("_").slice(1) : []);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const [p, q] = [Number(x[i] ?? 0), Number(y[i] ?? 0)];
    if (Number.isNaN(p) || Number.isNaN(q)) return a !== b; // unparseable: assume the worst
    if (p !== q) return q < p;
  }
  return false;
};
/** A locked bucket retention policy can only be unlocked by recreating the bucket. */
const unlocked: ChangeRule = (a, b) => a === true && b !== true;

const schemaReplaces: ChangeRule = (a, b) => {
  const [x, y] = [parseSchema(a), parseSchema(b)];
  // A schema msp cannot read is assumed to force replacement: fail closed.
  return !x || !y || schemaForcesReplacement(x, y);
};
const columnsDropped: LossRule = (a, b) => {
  const [x, y] = [parseSchema(a), parseSchema(b)];
  if (!x || !y) return undefined; // reported as a replacement by schemaReplaces
  const gone = droppedColumns(x, y);
  return gone.length ? `columns dropped: ${gone.join(", ")}` : undefined;
};
const persistenceDisabled: LossRule = (a, b) =>
  a !== "DISABLED" && b === "DISABLED"
    ? "persistence disabled: existing RDB snapshots are deleted"
    : undefined;

const stateless = (why: string): StatelessType => ({ stateful: false, why });
const CONFIG = stateless("configuration, recreated from the spec");
const IAM = stateless("an IAM grant, recreated from the spec");
const NETWORK = stateless("network plumbing, recreated from the spec");
const MONITORING = stateless("monitoring configuration; history stays in Cloud Monitoring");
const EDGE = stateless("load balancer or DNS configuration, recreated from the spec");

export const RESOURCE_TYPES: Readonly<Record<string, TypeClass>> = {
  // resourcemanager/resource_google_project.go: only project_id is ForceNew.
  "gcp:organizations/project:Project": {
    stateful: true,
    protect: true,
    holds: "the whole GCP project and everything in it",
    replaceOn: ["projectId"],
  },
  // sql/resource_sql_database_instance.go. databaseVersion upgrades in place; the disk cannot shrink;
  // a private network cannot be removed in place (privateNetworkCustomizeDiff).
  "gcp:sql/databaseInstance:DatabaseInstance": {
    stateful: true,
    protect: true,
    holds: "every database of the Cloud SQL instance",
    replaceOn: [
      "name",
      "region",
      "project",
      "encryptionKeyName",
      "masterInstanceName",
      "replicaConfiguration",
      "settings.collation",
      "settings.diskType",
    ],
    replaceWhen: { "settings.diskSize": decreased, "settings.ipConfiguration.privateNetwork": removed },
  },
  // magic-modules products/sql/Database.yaml: instance and name are immutable.
  "gcp:sql/database:Database": {
    stateful: true,
    protect: true,
    holds: "the database's tables and rows",
    replaceOn: ["name", "instance", "project"],
  },
  // sql/resource_sql_user.go: host, instance, name, type and project are ForceNew.
  "gcp:sql/user:User": {
    stateful: true,
    holds: "the database role and the grants made to it",
    replaceOn: ["name", "instance", "host", "type", "project"],
  },
  // magic-modules products/redis/Instance.yaml (immutable fields); redis_version: ForceNewIfChange when
  // it decreases.
  "gcp:redis/instance:Instance": {
    stateful: true,
    protect: true,
    holds: "the cached and persisted Redis data",
    replaceOn: [
      "name",
      "region",
      "project",
      "locationId",
      "alternativeLocationId",
      "authorizedNetwork",
      "connectMode",
      "reservedIpRange",
      "tier",
      "transitEncryptionMode",
      "customerManagedKey",
    ],
    replaceWhen: { redisVersion: versionDecreased },
    loseWhen: { "persistenceConfig.persistenceMode": persistenceDisabled },
  },
  // magic-modules products/bigquery/Dataset.yaml: datasetReference and location are immutable.
  "gcp:bigquery/dataset:Dataset": {
    stateful: true,
    protect: true,
    holds: "the dataset's tables",
    replaceOn: ["datasetId", "location", "project", "externalDatasetReference"],
  },
  // bigquery/resource_bigquery_table.go: ForceNew fields, and schema changes the provider cannot apply in
  // place (resourceBigQueryTableSchemaCustomizeDiff). A column dropped in place loses its data too.
  "gcp:bigquery/table:Table": {
    stateful: true,
    protect: true,
    holds: "the table's rows",
    replaceOn: [
      "tableId",
      "datasetId",
      "project",
      "encryptionConfiguration",
      "timePartitioning.field",
      "rangePartitioning.field",
      "materializedView.query",
      "materializedView.allowNonIncrementalDefinition",
      "tableReplicationInfo",
      "externalDataConfiguration.schema",
    ],
    replaceWhen: { schema: schemaReplaces },
    loseWhen: { schema: columnsDropped },
  },
  // magic-modules products/secretmanager/Secret.yaml: secretId, replication and tags are immutable.
  "gcp:secretmanager/secret:Secret": {
    stateful: true,
    protect: true,
    holds: "every version of the secret",
    replaceOn: ["secretId", "project", "replication", "tags"],
  },
  // magic-modules products/secretmanager/SecretVersion.yaml: the payload and its encoding are immutable.
  "gcp:secretmanager/secretVersion:SecretVersion": {
    stateful: true,
    holds: "the secret value of this version",
    replaceOn: ["secret", "secretData", "isSecretDataBase64", "secretDataWoVersion"],
  },
  // resourcemanager/resource_google_service_account.go: account_id and project are ForceNew. A recreated
  // account has a new unique ID: grants made to the old one elsewhere are lost.
  "gcp:serviceaccount/account:Account": {
    stateful: true,
    holds: "the account's identity and the grants made to it outside this stack",
    replaceOn: ["accountId", "project"],
  },
  // storage/resource_storage_bucket.go: ForceNew fields; unlocking a locked retention policy recreates it.
  "gcp:storage/bucket:Bucket": {
    stateful: true,
    holds: "the bucket's objects",
    replaceOn: [
      "name",
      "location",
      "project",
      "enableObjectRetention",
      "customPlacementConfig.dataLocations",
      "hierarchicalNamespace",
    ],
    replaceWhen: { "retentionPolicy.isLocked": unlocked },
  },

  // sentry/resource_sentry_project.go: organization is ForceNew; a recreated project loses its issues.
  "sentry:index/sentryProject:SentryProject": {
    stateful: true,
    holds: "the Sentry project's issues and events",
    replaceOn: ["organization"],
  },
  // terraform-provider-pagerduty resource_pagerduty_service.go: no ForceNew field; deleting the service deletes
  // its incidents and their timelines.
  // Like the Sentry project, the component protects it (statefulOptions); the protect policy checks gcp types.
  "pagerduty:index/service:Service": {
    stateful: true,
    holds: "the PagerDuty service's incidents and their history",
    replaceOn: [],
  },
  // postgresql/resource_postgresql_replication_slot.go: every field is ForceNew; a recreated slot starts at
  // the current WAL position, so its consumer misses the changes in between.
  "postgresql:index/replicationSlot:ReplicationSlot": {
    stateful: true,
    holds: "the replication consumer's position in the write-ahead log",
    replaceOn: ["name", "database", "plugin"],
  },

  "pulumi:pulumi:Stack": stateless("the stack itself, not a cloud resource"),
  "pulumi:providers:gcp": stateless("a provider configuration"),
  "pulumi:providers:cloudflare": stateless("a provider configuration"),
  "pulumi:providers:random": stateless("a provider configuration"),
  "pulumi:providers:postgresql": stateless("a provider configuration"),
  "pulumi:providers:sentry": stateless("a provider configuration"),
  "pulumi:providers:time": stateless("a provider configuration"),
  "pulumi:providers:pagerduty": stateless("a provider configuration"),
  "time:index/sleep:Sleep": stateless("a wait on create (a new log metric propagating); nothing is kept"),
  "gcp:projects/serviceIdentity:ServiceIdentity": stateless(
    "a Google-managed service agent's identity; Google keeps the agent, recreating it only asks for it again",
  ),
  "sentry:index/sentryKey:SentryKey": stateless(
    "a client key; a new one is written to the SENTRY_DSN secret",
  ),
  "pagerduty:index/serviceIntegration:ServiceIntegration": stateless(
    "an integration; a new one's key reaches the Cloud Monitoring channel in the same deploy",
  ),
  "sentry:index/sentryIssueAlert:SentryIssueAlert": stateless(
    "an issue alert rule, recreated from the platform settings; issues stay in the project",
  ),
  "postgresql:index/grantRole:GrantRole": stateless("a role membership, recreated from the spec"),
  "postgresql:index/grant:Grant": stateless("a database grant, recreated from the spec"),
  "postgresql:index/defaultPrivileges:DefaultPrivileges": stateless(
    "default privileges for future tables, recreated from the spec",
  ),
  "postgresql:index/role:Role": stateless("a role without data; its grants are recreated from the spec"),
  "postgresql:index/publication:Publication": stateless("a publication definition, recreated from the spec"),
  "random:index/randomId:RandomId": stateless("a name suffix; renaming what uses it is caught there"),
  "random:index/randomPassword:RandomPassword": stateless("a generated password, rotated by replacing it"),

  "gcp:projects/service:Service": stateless("an enabled API"),
  "gcp:projects/iAMMember:IAMMember": IAM,
  "gcp:projects/iAMCustomRole:IAMCustomRole": IAM,
  "gcp:projects/iAMAuditConfig:IAMAuditConfig": stateless(
    "audit log configuration; written logs stay in Cloud Logging",
  ),
  "gcp:serviceaccount/iAMMember:IAMMember": IAM,
  "gcp:secretmanager/secretIamMember:SecretIamMember": IAM,
  "gcp:bigquery/datasetIamMember:DatasetIamMember": IAM,
  "gcp:storage/bucketIAMMember:BucketIAMMember": IAM,
  "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember": IAM,
  "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": IAM,
  "gcp:cloudrunv2/jobIamMember:JobIamMember": IAM,

  "gcp:compute/network:Network": NETWORK,
  "gcp:compute/subnetwork:Subnetwork": NETWORK,
  "gcp:compute/globalAddress:GlobalAddress": NETWORK,
  "gcp:servicenetworking/connection:Connection": NETWORK,
  "gcp:compute/firewall:Firewall": NETWORK,
  "gcp:compute/instance:Instance": stateless(
    "the Cloud SQL Auth Proxy VM for Datastream: its container and boot disk keep no data",
  ),
  "gcp:datastream/privateConnection:PrivateConnection": NETWORK,
  "gcp:datastream/connectionProfile:ConnectionProfile": stateless(
    "connection settings; a stream created from it keeps its own position in the replication slot",
  ),

  "gcp:cloudrunv2/service:Service": stateless("a Cloud Run service: containers keep no state"),
  "gcp:cloudrunv2/job:Job": stateless("a Cloud Run job: containers keep no state"),
  "gcp:cloudscheduler/job:Job": CONFIG,
  "gcp:clouddeploy/deliveryPipeline:DeliveryPipeline": stateless(
    "a rollout pipeline; images stay in Artifact Registry and the next release recreates its history",
  ),
  "gcp:clouddeploy/target:Target": CONFIG,
  "gcp:clouddeploy/customTargetType:CustomTargetType": CONFIG,
  "gcp:pubsub/topic:Topic": stateless("Cloud Deploy notifications, not kept"),
  "gcp:pubsub/subscription:Subscription": stateless("Cloud Deploy notifications, not kept"),

  "gcp:compute/backendService:BackendService": EDGE,
  "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup": EDGE,
  "gcp:compute/uRLMap:URLMap": EDGE,
  "gcp:compute/targetHttpProxy:TargetHttpProxy": EDGE,
  "gcp:compute/targetHttpsProxy:TargetHttpsProxy": EDGE,
  "gcp:compute/globalForwardingRule:GlobalForwardingRule": EDGE,
  "gcp:compute/securityPolicy:SecurityPolicy": EDGE,
  "gcp:compute/sSLPolicy:SSLPolicy": EDGE,
  "gcp:compute/sSLCertificate:SSLCertificate": stateless(
    "the Cloudflare origin certificate, re-read at deploy",
  ),
  "gcp:compute/managedSslCertificate:ManagedSslCertificate": stateless("a certificate Google reissues"),
  "cloudflare:index/dnsRecord:DnsRecord": EDGE,

  "gcp:monitoring/alertPolicy:AlertPolicy": MONITORING,
  "gcp:monitoring/dashboard:Dashboard": MONITORING,
  "gcp:monitoring/notificationChannel:NotificationChannel": MONITORING,
  "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": MONITORING,
  "gcp:logging/metric:Metric": MONITORING,
  "gcp:logging/projectSink:ProjectSink": stateless(
    "a log route; what it exported stays in its dataset, and Cloud Logging keeps the logs",
  ),
};

/** Every resource type the platform creates. */
export const PLATFORM_TYPES: readonly string[] = Object.keys(RESOURCE_TYPES);

/** The types whose every resource must carry Pulumi's `protect`. */
export const PROTECTED_TYPES: readonly string[] = Object.entries(RESOURCE_TYPES)
  .filter(([, t]) => t.stateful && t.protect)
  .map(([type]) => type);

/**
 * The class of a resource, or undefined for a type nobody classified. Component resources (`custom: false`)
 * only group their children: they hold nothing, whatever their type.
 */
export function classify(type: string, custom = true): TypeClass | undefined {
  return Object.hasOwn(RESOURCE_TYPES, type)
    ? RESOURCE_TYPES[type]
    : custom
      ? undefined
      : stateless("a component resource: it only groups its children");
}
