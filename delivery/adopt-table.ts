/**
 * What `msp adopt` does with each Terraform resource type MSP's generated stacks create: the Pulumi type this
 * program plans for it, which attributes name the live resource (matched against the same inputs of the planned
 * resource, so a match is the same cloud object, never a guess from CDKTF's construct IDs), and the import ID
 * Pulumi's provider accepts, from the "Import" section of each resource's provider documentation
 * (registry.terraform.io/providers/hashicorp/google/latest/docs/resources/<type>#import; @pulumi/gcp bridges that
 * provider, so the formats are the same, and its `<module>/<resource>.d.ts` repeats them under "## Import").
 * `{{attr}}` is the Terraform attribute of that name; IAM members take the resource, role and member separated
 * by spaces.
 *
 * A type that is deliberately not imported says why (`leave`). A type missing from this table is reported as
 * unmapped, with its address: msp adopt never guesses.
 */

export interface ImportRow {
  readonly pulumiType: string;
  /**
   * Terraform attributes naming the resource; the planned resource's inputs of the same names (camelCased, as
   * the bridge names them) must be equal. A function where the name sits elsewhere.
   */
  readonly identity:
    readonly string[] | ((attributes: Readonly<Record<string, unknown>>) => string | undefined);
  /** The planned side of a function identity, from the planned inputs. */
  readonly plannedIdentity?: (inputs: Readonly<Record<string, unknown>>) => string | undefined;
  readonly importId: string;
}

export interface LeaveRow {
  /** Why the resource is not imported, and what happens to it instead. */
  readonly leave: string;
}

export type AdoptRow = ImportRow | LeaveRow;

const dashboardName = (json: unknown): string | undefined => {
  if (typeof json !== "string") return undefined;
  try {
    const name = (JSON.parse(json) as { displayName?: unknown }).displayName;
    return typeof name === "string" ? name : undefined;
  } catch {
    return undefined;
  }
};

const GRANT =
  "a PostgreSQL grant: the provider cannot import it, and GRANT is idempotent, so the program grants it again";
const NEW_VERSION =
  "a secret version's payload is immutable and the program recomputes it: the first pulumi up adds a new version beside MSP's, which stay in Secret Manager until disabled";

export const ADOPT_TABLE: Readonly<Record<string, AdoptRow>> = {
  // project stack (stacks/project/project.go)
  google_project: {
    pulumiType: "gcp:organizations/project:Project",
    identity: ["project_id"],
    importId: "{{project_id}}",
  },
  google_project_service: {
    pulumiType: "gcp:projects/service:Service",
    identity: ["service"],
    importId: "{{project}}/{{service}}",
  },
  // iam stack (stacks/iam/iam.go, resource/serviceaccount)
  google_service_account: {
    pulumiType: "gcp:serviceaccount/account:Account",
    identity: ["account_id"],
    importId: "projects/{{project}}/serviceAccounts/{{email}}",
  },
  google_project_iam_member: {
    pulumiType: "gcp:projects/iAMMember:IAMMember",
    identity: ["project", "role", "member"],
    importId: "{{project}} {{role}} {{member}}",
  },
  google_project_iam_custom_role: {
    pulumiType: "gcp:projects/iAMCustomRole:IAMCustomRole",
    identity: ["role_id"],
    importId: "projects/{{project}}/roles/{{role_id}}",
  },
  google_service_account_iam_member: {
    pulumiType: "gcp:serviceaccount/iAMMember:IAMMember",
    identity: ["service_account_id", "role", "member"],
    importId: "{{service_account_id}} {{role}} {{member}}",
  },
  google_project_service_identity: {
    leave:
      "the provider cannot import a service identity; creating it again only asks Google for the existing agent",
  },
  // cloudrun stack: private network (resource/privatenetwork)
  google_compute_network: {
    pulumiType: "gcp:compute/network:Network",
    identity: ["name"],
    importId: "projects/{{project}}/global/networks/{{name}}",
  },
  google_compute_subnetwork: {
    pulumiType: "gcp:compute/subnetwork:Subnetwork",
    identity: ["name"],
    importId: "projects/{{project}}/regions/{{region}}/subnetworks/{{name}}",
  },
  google_compute_global_address: {
    pulumiType: "gcp:compute/globalAddress:GlobalAddress",
    identity: ["name"],
    importId: "projects/{{project}}/global/addresses/{{name}}",
  },
  google_service_networking_connection: {
    pulumiType: "gcp:servicenetworking/connection:Connection",
    identity: ["service"],
    importId: "{{network}}:{{service}}",
  },
  // Cloud SQL (resource/cloudsql)
  google_sql_database_instance: {
    pulumiType: "gcp:sql/databaseInstance:DatabaseInstance",
    identity: ["name"],
    importId: "projects/{{project}}/instances/{{name}}",
  },
  google_sql_database: {
    pulumiType: "gcp:sql/database:Database",
    identity: ["instance", "name"],
    importId: "projects/{{project}}/instances/{{instance}}/databases/{{name}}",
  },
  // PostgreSQL users: {{project}}/{{instance}}/{{name}} (the host part is MySQL's).
  google_sql_user: {
    pulumiType: "gcp:sql/user:User",
    identity: ["instance", "name"],
    importId: "{{project}}/{{instance}}/{{name}}",
  },
  // Datastream's way in (resource/datastreamconnection): the Cloud SQL Auth Proxy VM, its two ingress rules, the
  // private connection peered with the network and a connection profile per publication.
  google_compute_instance: {
    pulumiType: "gcp:compute/instance:Instance",
    identity: ["name"],
    importId: "projects/{{project}}/zones/{{zone}}/instances/{{name}}",
  },
  google_compute_firewall: {
    pulumiType: "gcp:compute/firewall:Firewall",
    identity: ["name"],
    importId: "projects/{{project}}/global/firewalls/{{name}}",
  },
  google_datastream_private_connection: {
    pulumiType: "gcp:datastream/privateConnection:PrivateConnection",
    identity: ["private_connection_id"],
    importId: "projects/{{project}}/locations/{{location}}/privateConnections/{{private_connection_id}}",
  },
  google_datastream_connection_profile: {
    pulumiType: "gcp:datastream/connectionProfile:ConnectionProfile",
    identity: ["connection_profile_id"],
    importId: "projects/{{project}}/locations/{{location}}/connectionProfiles/{{connection_profile_id}}",
  },
  // Redis (resource/redis)
  google_redis_instance: {
    pulumiType: "gcp:redis/instance:Instance",
    identity: ["name"],
    importId: "projects/{{project}}/locations/{{region}}/instances/{{name}}",
  },
  // Secrets (resource/gsmsecret; the stack outputs of stacks/stacks.go)
  google_secret_manager_secret: {
    pulumiType: "gcp:secretmanager/secret:Secret",
    identity: ["secret_id"],
    importId: "projects/{{project}}/secrets/{{secret_id}}",
  },
  google_secret_manager_secret_version: { leave: NEW_VERSION },
  google_secret_manager_secret_iam_member: {
    pulumiType: "gcp:secretmanager/secretIamMember:SecretIamMember",
    identity: ["secret_id", "role", "member"],
    importId: "{{secret_id}} {{role}} {{member}}",
  },
  // Cloud Run (stacks/cloudrun/internal/builder/service)
  google_cloud_run_v2_service: {
    pulumiType: "gcp:cloudrunv2/service:Service",
    identity: ["name"],
    importId: "projects/{{project}}/locations/{{location}}/services/{{name}}",
  },
  google_cloud_run_v2_service_iam_member: {
    pulumiType: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
    identity: ["name", "role", "member"],
    importId: "projects/{{project}}/locations/{{location}}/services/{{name}} {{role}} {{member}}",
  },
  // Load balancer (resource/loadbalancer, resource/cloudflareorigincert)
  google_compute_global_forwarding_rule: {
    pulumiType: "gcp:compute/globalForwardingRule:GlobalForwardingRule",
    identity: ["name"],
    importId: "projects/{{project}}/global/forwardingRules/{{name}}",
  },
  google_compute_target_https_proxy: {
    pulumiType: "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
    identity: ["name"],
    importId: "projects/{{project}}/global/targetHttpsProxies/{{name}}",
  },
  google_compute_target_http_proxy: {
    pulumiType: "gcp:compute/targetHttpProxy:TargetHttpProxy",
    identity: ["name"],
    importId: "projects/{{project}}/global/targetHttpProxies/{{name}}",
  },
  google_compute_url_map: {
    pulumiType: "gcp:compute/uRLMap:URLMap",
    identity: ["name"],
    importId: "projects/{{project}}/global/urlMaps/{{name}}",
  },
  google_compute_backend_service: {
    pulumiType: "gcp:compute/backendService:BackendService",
    identity: ["name"],
    importId: "projects/{{project}}/global/backendServices/{{name}}",
  },
  google_compute_region_network_endpoint_group: {
    pulumiType: "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup",
    identity: ["name"],
    importId: "projects/{{project}}/regions/{{region}}/networkEndpointGroups/{{name}}",
  },
  google_compute_ssl_policy: {
    pulumiType: "gcp:compute/sSLPolicy:SSLPolicy",
    identity: ["name"],
    importId: "projects/{{project}}/global/sslPolicies/{{name}}",
  },
  google_compute_ssl_certificate: {
    pulumiType: "gcp:compute/sSLCertificate:SSLCertificate",
    identity: ["name"],
    importId: "projects/{{project}}/global/sslCertificates/{{name}}",
  },
  google_compute_security_policy: {
    pulumiType: "gcp:compute/securityPolicy:SecurityPolicy",
    identity: ["name"],
    importId: "projects/{{project}}/global/securityPolicies/{{name}}",
  },
  // Cloudflare (resource/cloudflare): the v4 provider's record; the v5 DnsRecord imports <zone_id>/<record_id>.
  cloudflare_record: {
    pulumiType: "cloudflare:index/dnsRecord:DnsRecord",
    identity: ["zone_id", "hostname"],
    plannedIdentity: (i) => `${String(i.zoneId)}\u0000${String(i.name)}`,
    importId: "{{zone_id}}/{{id}}",
  },
  // Rollouts (resource/deliverypipeline, stacks/cloudrun/cloudrun.go)
  google_clouddeploy_delivery_pipeline: {
    pulumiType: "gcp:clouddeploy/deliveryPipeline:DeliveryPipeline",
    identity: ["name"],
    importId: "projects/{{project}}/locations/{{location}}/deliveryPipelines/{{name}}",
  },
  google_clouddeploy_target: {
    pulumiType: "gcp:clouddeploy/target:Target",
    identity: ["name"],
    importId: "projects/{{project}}/locations/{{location}}/targets/{{name}}",
  },
  google_clouddeploy_custom_target_type: {
    pulumiType: "gcp:clouddeploy/customTargetType:CustomTargetType",
    identity: ["name"],
    importId: "projects/{{project}}/locations/{{location}}/customTargetTypes/{{name}}",
  },
  google_storage_bucket: {
    pulumiType: "gcp:storage/bucket:Bucket",
    identity: ["name"],
    importId: "{{project}}/{{name}}",
  },
  google_storage_bucket_iam_member: {
    pulumiType: "gcp:storage/bucketIAMMember:BucketIAMMember",
    identity: ["bucket", "role", "member"],
    importId: "b/{{bucket}} {{role}} {{member}}",
  },
  google_pubsub_topic: {
    pulumiType: "gcp:pubsub/topic:Topic",
    identity: ["name"],
    importId: "projects/{{project}}/topics/{{name}}",
  },
  google_pubsub_subscription: {
    pulumiType: "gcp:pubsub/subscription:Subscription",
    identity: ["name"],
    importId: "projects/{{project}}/subscriptions/{{name}}",
  },
  // Monitoring stack (stacks/monitoring, resource/alertpolicy, resource/notificationchannel)
  google_monitoring_alert_policy: {
    pulumiType: "gcp:monitoring/alertPolicy:AlertPolicy",
    identity: ["display_name"],
    importId: "{{name}}",
  },
  google_monitoring_notification_channel: {
    pulumiType: "gcp:monitoring/notificationChannel:NotificationChannel",
    identity: ["display_name"],
    importId: "{{name}}",
  },
  google_monitoring_uptime_check_config: {
    pulumiType: "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig",
    identity: ["display_name"],
    importId: "{{name}}",
  },
  google_monitoring_dashboard: {
    pulumiType: "gcp:monitoring/dashboard:Dashboard",
    identity: (a) => dashboardName(a.dashboard_json),
    plannedIdentity: (i) => dashboardName(i.dashboardJson),
    importId: "{{id}}",
  },
  google_logging_metric: {
    pulumiType: "gcp:logging/metric:Metric",
    identity: ["name"],
    importId: "{{name}}",
  },
  // Sentry (stacks/cloudrun/cloudrun.go): jianyuan/sentry imports <organization>/<project slug>.
  sentry_project: {
    pulumiType: "sentry:index/sentryProject:SentryProject",
    identity: ["slug"],
    importId: "{{organization}}/{{slug}}",
  },
  sentry_key: {
    leave:
      "a client key: the program creates its own and writes its DSN to SENTRY_DSN; delete MSP's after the cut-over",
  },
  // PostgreSQL inside the instance (resource/postgresqlroles, resource/postgresqllogicalreplication):
  // cyrilgdn/postgresql imports slots and publications as <database>.<name>, roles by name.
  postgresql_replication_slot: {
    pulumiType: "postgresql:index/replicationSlot:ReplicationSlot",
    identity: ["database", "name"],
    importId: "{{database}}.{{name}}",
  },
  postgresql_publication: {
    pulumiType: "postgresql:index/publication:Publication",
    identity: ["database", "name"],
    importId: "{{database}}.{{name}}",
  },
  postgresql_role: {
    pulumiType: "postgresql:index/role:Role",
    identity: ["name"],
    importId: "{{name}}",
  },
  postgresql_grant: { leave: GRANT },
  postgresql_grant_role: { leave: GRANT },
  postgresql_default_privileges: { leave: GRANT },
  // Terraform-only values.
  random_id: {
    leave:
      "a Terraform random value: what it named is kept through adopted.yaml, nothing exists in the cloud",
  },
  random_password: {
    leave:
      "its import ID would be the password itself, which must not be written to a file: the program generates a new one and updates the user's password in place",
  },
  // tfcworkspaces stack (stacks/tfcworkspaces): Terraform Cloud itself, removed in the cut-over.
  tfe_notification_configuration: { leave: "Terraform Cloud configuration, deleted with the workspaces" },
  tfe_workspace_run: { leave: "Terraform Cloud configuration, deleted with the workspaces" },
};

/** The camelCase name the bridge gives a Terraform attribute (`account_id` -> `accountId`). */
export const camel = (attribute: string): string =>
  attribute.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The import ID of an instance from its row's format, or the attributes the format needs but the state lacks. */
export function importIdOf(
  row: ImportRow,
  attributes: Readonly<Record<string, unknown>>,
): { id: string } | { missing: string[] } {
  const missing: string[] = [];
  const id = row.importId.replace(/\{\{([a-z_]+)\}\}/g, (_, name: string) => {
    const v = attributes[name];
    if (typeof v === "string" && v) return v;
    if (typeof v === "number") return String(v);
    missing.push(name);
    return "";
  });
  return missing.length ? { missing } : { id };
}

/** The identity of a Terraform instance under its row (undefined when the state lacks a part of it). */
export function terraformIdentity(
  row: ImportRow,
  attributes: Readonly<Record<string, unknown>>,
): string | undefined {
  if (typeof row.identity === "function") return row.identity(attributes);
  const parts = row.identity.map((a) => attributes[a]);
  return parts.every((p) => typeof p === "string" || typeof p === "number")
    ? parts.join("\u0000")
    : undefined;
}

/** The identity of a planned resource of the row's type, from its inputs. */
export function plannedIdentity(
  row: ImportRow,
  inputs: Readonly<Record<string, unknown>>,
): string | undefined {
  if (row.plannedIdentity) return row.plannedIdentity(inputs);
  if (typeof row.identity === "function") return undefined;
  const parts = row.identity.map((a) => inputs[camel(a)]);
  return parts.every((p) => typeof p === "string" || typeof p === "number")
    ? parts.join("\u0000")
    : undefined;
}
