/**
 * The yardsticks the pack is measured against: Checkov's GCP checks (bridgecrewio/checkov,
 * checkov/terraform/checks/resource/gcp and graph_checks/gcp) and the CIS Google Cloud Platform Foundations
 * Benchmark v3.0.0. Which policy covers a check is not written here: it comes from the policies' `frameworks`
 * (exact ids). What is written here is the rest: for every check that is not covered, why it does not apply.
 * Checks on Terraform types the platform never creates get that reason generated; a check on a type the
 * platform creates must be covered or carry its own reason (test/policy/coverage.test.ts).
 */
import { ALLOWED_TYPES } from "./rules/msp-allowed-resource-types";

export interface PeerCheck {
  id: string;
  /** What it checks, in a few words. */
  title: string;
  /** Terraform resource types it inspects (Checkov); empty for CIS controls. */
  entities: readonly string[];
  /** Why it does not apply, when no policy covers it. */
  notApplicable?: string;
}

/** Terraform types the platform creates, with the Pulumi type each becomes (all in ALLOWED_TYPES). */
export const CREATED_TERRAFORM_TYPES: Readonly<Record<string, string>> = {
  google_project: "gcp:organizations/project:Project",
  google_project_service: "gcp:projects/service:Service",
  google_project_iam_member: "gcp:projects/iAMMember:IAMMember",
  google_project_iam_custom_role: "gcp:projects/iAMCustomRole:IAMCustomRole",
  google_project_iam_audit_config: "gcp:projects/iAMAuditConfig:IAMAuditConfig",
  google_service_account: "gcp:serviceaccount/account:Account",
  google_service_account_iam_member: "gcp:serviceaccount/iAMMember:IAMMember",
  google_secret_manager_secret: "gcp:secretmanager/secret:Secret",
  google_secret_manager_secret_iam_member: "gcp:secretmanager/secretIamMember:SecretIamMember",
  google_compute_network: "gcp:compute/network:Network",
  google_compute_subnetwork: "gcp:compute/subnetwork:Subnetwork",
  google_compute_firewall: "gcp:compute/firewall:Firewall",
  google_compute_instance: "gcp:compute/instance:Instance",
  google_sql_database_instance: "gcp:sql/databaseInstance:DatabaseInstance",
  google_sql_user: "gcp:sql/user:User",
  google_redis_instance: "gcp:redis/instance:Instance",
  google_bigquery_dataset: "gcp:bigquery/dataset:Dataset",
  google_bigquery_table: "gcp:bigquery/table:Table",
  google_bigquery_dataset_iam_member: "gcp:bigquery/datasetIamMember:DatasetIamMember",
  google_cloud_run_v2_service: "gcp:cloudrunv2/service:Service",
  google_cloud_run_v2_service_iam_member: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
  google_cloud_run_v2_job: "gcp:cloudrunv2/job:Job",
  google_compute_backend_service: "gcp:compute/backendService:BackendService",
  google_compute_ssl_policy: "gcp:compute/sSLPolicy:SSLPolicy",
  google_compute_target_https_proxy: "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
  google_compute_target_http_proxy: "gcp:compute/targetHttpProxy:TargetHttpProxy",
  google_compute_global_forwarding_rule: "gcp:compute/globalForwardingRule:GlobalForwardingRule",
  google_compute_security_policy: "gcp:compute/securityPolicy:SecurityPolicy",
  google_storage_bucket: "gcp:storage/bucket:Bucket",
  google_storage_bucket_iam_member: "gcp:storage/bucketIAMMember:BucketIAMMember",
  google_artifact_registry_repository_iam_member:
    "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
  google_pubsub_topic: "gcp:pubsub/topic:Topic",
};

/** Whether a check inspects a type the platform creates. */
export const appliesToPlatform = (c: PeerCheck) => c.entities.some((e) => e in CREATED_TERRAFORM_TYPES);

/** The generated reason for a check on types the platform never creates. */
export const notCreatedReason = (c: PeerCheck) =>
  `The platform creates no ${c.entities.join(" or ")}; msp-allowed-resource-types refuses types outside the components.`;

const POSTGRES_ONLY = "PostgresInstance runs PostgreSQL only";
const CMEK =
  "Not adopted: data is encrypted with Google-managed keys; the platform provisions no Cloud KMS keys (customer-managed keys are CIS Level 2)";
const CMEK_VM =
  "Not adopted: the only VM, Datastream's Cloud SQL Auth Proxy, keeps no data on its boot disk, which Google encrypts with Google-managed keys; the platform provisions no customer-supplied or Cloud KMS keys";
const GKE = ["google_container_cluster"];
const NODE_POOL = ["google_container_node_pool"];
const FIREWALL = ["google_compute_firewall"];
const INSTANCE = ["google_compute_instance", "google_compute_instance_template"];
const SQL = ["google_sql_database_instance"];
const BUCKET = ["google_storage_bucket"];
const SUBNET = ["google_compute_subnetwork"];
const PROJECT_IAM = ["google_project_iam_member", "google_project_iam_binding"];
const FOLDER_IAM = ["google_folder_iam_member", "google_folder_iam_binding"];
const ORG_IAM = ["google_organization_iam_member", "google_organization_iam_binding"];

const c = (id: string, title: string, entities: readonly string[], notApplicable?: string): PeerCheck => ({
  id,
  title,
  entities,
  notApplicable,
});

export const CHECKOV_GCP: readonly PeerCheck[] = [
  c("CKV_GCP_1", "GKE: Stackdriver Logging enabled", GKE),
  c("CKV_GCP_2", "Firewall ingress: no unrestricted SSH", FIREWALL),
  c("CKV_GCP_3", "Firewall ingress: no unrestricted RDP", FIREWALL),
  c("CKV_GCP_4", "SSL policies permit no weak cipher suites", ["google_compute_ssl_policy"]),
  c("CKV_GCP_6", "Cloud SQL requires SSL (trusted client certificates) for every connection", SQL),
  c("CKV_GCP_7", "GKE: legacy authorization disabled", GKE),
  c("CKV_GCP_8", "GKE: Stackdriver Monitoring enabled", GKE),
  c("CKV_GCP_9", "GKE: automatic node repair", NODE_POOL),
  c("CKV_GCP_10", "GKE: automatic node upgrade", NODE_POOL),
  c("CKV_GCP_11", "Cloud SQL not open to the world (authorized networks)", SQL),
  c("CKV_GCP_12", "GKE: network policy enabled", GKE),
  c("CKV_GCP_13", "GKE: client certificate authentication", GKE),
  c("CKV_GCP_14", "Cloud SQL automated backups enabled", SQL),
  c("CKV_GCP_15", "BigQuery datasets not anonymously or publicly accessible", ["google_bigquery_dataset"]),
  c("CKV_GCP_16", "Cloud DNS: DNSSEC enabled", ["google_dns_managed_zone"]),
  c("CKV_GCP_17", "Cloud DNS: no RSASHA1 DNSSEC keys", ["google_dns_managed_zone"]),
  c("CKV_GCP_18", "GKE: control plane not public", GKE),
  c("CKV_GCP_19", "GKE: basic auth disabled", GKE),
  c("CKV_GCP_20", "GKE: master authorized networks", GKE),
  c("CKV_GCP_21", "GKE: clusters have labels", GKE),
  c("CKV_GCP_22", "GKE: Container-Optimized OS node images", NODE_POOL),
  c("CKV_GCP_23", "GKE: alias IP ranges", GKE),
  c("CKV_GCP_24", "GKE: PodSecurityPolicy controller", GKE),
  c("CKV_GCP_25", "GKE: private cluster", GKE),
  c("CKV_GCP_26", "VPC flow logs on every subnet", SUBNET),
  c("CKV_GCP_27", "The default network does not exist in a project", ["google_project"]),
  c("CKV_GCP_28", "Buckets not anonymously or publicly accessible", [
    "google_storage_bucket_iam_member",
    "google_storage_bucket_iam_binding",
  ]),
  c("CKV_GCP_29", "Buckets have uniform bucket-level access", BUCKET),
  c("CKV_GCP_30", "Instances do not use the default service account", INSTANCE),
  c("CKV_GCP_31", "Instances do not use the default service account with full API access", INSTANCE),
  c("CKV_GCP_32", "Instances block project-wide SSH keys", INSTANCE),
  c("CKV_GCP_33", "OS Login enabled for a project", ["google_compute_project_metadata"]),
  c("CKV_GCP_34", "Instances do not override project OS Login", INSTANCE),
  c("CKV_GCP_35", "Instances: serial port access disabled", INSTANCE),
  c("CKV_GCP_36", "Instances: IP forwarding disabled", INSTANCE),
  c("CKV_GCP_37", "Disks encrypted with customer-supplied keys", ["google_compute_disk"]),
  c(
    "CKV_GCP_38",
    "Boot disks encrypted with customer-supplied keys",
    ["google_compute_instance"],
    `${CMEK_VM}.`,
  ),
  c("CKV_GCP_39", "Instances: Shielded VM", INSTANCE),
  c("CKV_GCP_40", "Instances: no public IP", INSTANCE),
  c("CKV_GCP_41", "No Service Account User or Token Creator role at project level", PROJECT_IAM),
  c("CKV_GCP_42", "Service accounts hold no admin role", ["google_project_iam_member"]),
  c("CKV_GCP_43", "KMS keys rotated within 90 days", ["google_kms_crypto_key"]),
  c("CKV_GCP_44", "No impersonation roles at folder level", FOLDER_IAM),
  c("CKV_GCP_45", "No impersonation roles at organisation level", ORG_IAM),
  c("CKV_GCP_46", "Default service accounts not used at project level", PROJECT_IAM),
  c("CKV_GCP_47", "Default service accounts not used at organisation level", ORG_IAM),
  c("CKV_GCP_48", "Default service accounts not used at folder level", FOLDER_IAM),
  c("CKV_GCP_49", "No roles that impersonate or manage all service accounts at project level", PROJECT_IAM),
  c("CKV_GCP_50", "MySQL local_infile off", SQL, `MySQL flag; ${POSTGRES_ONLY}.`),
  c("CKV_GCP_51", "PostgreSQL log_checkpoints on", SQL),
  c("CKV_GCP_52", "PostgreSQL log_connections on", SQL),
  c("CKV_GCP_53", "PostgreSQL log_disconnections on", SQL),
  c("CKV_GCP_54", "PostgreSQL log_lock_waits on", SQL),
  c("CKV_GCP_55", "PostgreSQL log_min_messages set to a valid level", SQL),
  c("CKV_GCP_56", "PostgreSQL log_temp_files 0", SQL),
  c("CKV_GCP_57", "PostgreSQL log_min_duration_statement -1", SQL),
  c("CKV_GCP_58", "SQL Server cross db ownership chaining off", SQL, `SQL Server flag; ${POSTGRES_ONLY}.`),
  c(
    "CKV_GCP_59",
    "SQL Server contained database authentication off",
    SQL,
    `SQL Server flag; ${POSTGRES_ONLY}.`,
  ),
  c("CKV_GCP_60", "Cloud SQL has no public IP", SQL),
  c("CKV_GCP_61", "GKE: VPC flow logs and intranode visibility", GKE),
  c(
    "CKV_GCP_62",
    "Buckets log access",
    BUCKET,
    "Not adopted: legacy bucket access logs; Data Access audit logs for allServices (gcp-audit-logging-data-access) record every object read and write.",
  ),
  c(
    "CKV_GCP_63",
    "Buckets do not log to themselves",
    BUCKET,
    "No bucket access logs are configured (see CKV_GCP_62), so none can be written to the bucket itself.",
  ),
  c("CKV_GCP_64", "GKE: private nodes", GKE),
  c("CKV_GCP_65", "GKE: RBAC through Google Groups", GKE),
  c("CKV_GCP_66", "GKE: Binary Authorization", GKE),
  c("CKV_GCP_67", "GKE: legacy metadata APIs disabled", GKE),
  c("CKV_GCP_68", "GKE: secure boot for shielded nodes", [...GKE, ...NODE_POOL]),
  c("CKV_GCP_69", "GKE: metadata server enabled", [...GKE, ...NODE_POOL]),
  c("CKV_GCP_70", "GKE: release channel set", GKE),
  c("CKV_GCP_71", "GKE: shielded nodes", GKE),
  c("CKV_GCP_72", "GKE: integrity monitoring", [...GKE, ...NODE_POOL]),
  c("CKV_GCP_73", "Cloud Armor blocks Log4j lookups (cve-canary rule, deny, not in preview)", [
    "google_compute_security_policy",
  ]),
  c("CKV_GCP_74", "Subnets have private Google access", SUBNET),
  c("CKV_GCP_75", "Firewall ingress: no unrestricted FTP", FIREWALL),
  c("CKV_GCP_76", "Dual-stack subnets have private Google access for IPv6", SUBNET),
  c("CKV_GCP_77", "Firewall ingress: no FTP port", FIREWALL),
  c(
    "CKV_GCP_78",
    "Buckets have versioning",
    BUCKET,
    "Not adopted: the only buckets hold Cloud Deploy render and release artefacts, reproducible from source; versions would keep every superseded artefact.",
  ),
  c(
    "CKV_GCP_79",
    "Cloud SQL runs the latest major version",
    SQL,
    "Not adopted: a major upgrade is a planned migration, not a setting; gcp-sql-tier-allowlist keeps instances on a supported version.",
  ),
  c("CKV_GCP_80", "BigQuery tables use customer-managed keys", ["google_bigquery_table"], `${CMEK}.`),
  c("CKV_GCP_81", "BigQuery datasets use customer-managed keys", ["google_bigquery_dataset"], `${CMEK}.`),
  c("CKV_GCP_82", "KMS keys protected from deletion", ["google_kms_crypto_key"]),
  c("CKV_GCP_83", "Pub/Sub topics use customer-managed keys", ["google_pubsub_topic"], `${CMEK}.`),
  c("CKV_GCP_84", "Artifact Registry repositories use customer-managed keys", [
    "google_artifact_registry_repository",
  ]),
  c("CKV_GCP_85", "Bigtable instances use customer-managed keys", ["google_bigtable_instance"]),
  c("CKV_GCP_86", "Cloud Build workers are private", ["google_cloudbuild_worker_pool"]),
  c("CKV_GCP_87", "Data Fusion instances are private", ["google_data_fusion_instance"]),
  c("CKV_GCP_88", "Firewall ingress: no unrestricted MySQL", FIREWALL),
  c("CKV_GCP_89", "Vertex AI notebook instances are private", ["google_notebooks_instance"]),
  c("CKV_GCP_90", "Dataflow jobs use customer-managed keys", ["google_dataflow_job"]),
  c("CKV_GCP_91", "Dataproc clusters use customer-managed keys", ["google_dataproc_cluster"]),
  c("CKV_GCP_92", "Vertex AI datasets use customer-managed keys", ["google_vertex_ai_dataset"]),
  c("CKV_GCP_93", "Spanner databases use customer-managed keys", ["google_spanner_database"]),
  c("CKV_GCP_94", "Dataflow jobs are private", ["google_dataflow_job"]),
  c("CKV_GCP_95", "Memorystore for Redis has AUTH enabled", ["google_redis_instance"]),
  c("CKV_GCP_96", "Vertex AI metadata stores use customer-managed keys", ["google_vertex_ai_metadata_store"]),
  c("CKV_GCP_97", "Memorystore for Redis uses in-transit encryption", ["google_redis_instance"]),
  c("CKV_GCP_98", "Dataproc clusters not publicly accessible", [
    "google_dataproc_cluster_iam_member",
    "google_dataproc_cluster_iam_binding",
  ]),
  c("CKV_GCP_99", "Pub/Sub topics not publicly accessible", [
    "google_pubsub_topic_iam_member",
    "google_pubsub_topic_iam_binding",
  ]),
  c("CKV_GCP_100", "BigQuery tables not publicly accessible", [
    "google_bigquery_table_iam_member",
    "google_bigquery_table_iam_binding",
  ]),
  c("CKV_GCP_101", "Artifact Registry repositories not publicly accessible", [
    "google_artifact_registry_repository_iam_member",
    "google_artifact_registry_repository_iam_binding",
  ]),
  c("CKV_GCP_102", "Cloud Run services not publicly invocable", [
    "google_cloud_run_service_iam_member",
    "google_cloud_run_service_iam_binding",
  ]),
  c("CKV_GCP_103", "Dataproc clusters have no public IPs", ["google_dataproc_cluster"]),
  c("CKV_GCP_104", "Data Fusion has Stackdriver logging", ["google_data_fusion_instance"]),
  c("CKV_GCP_105", "Data Fusion has Stackdriver monitoring", ["google_data_fusion_instance"]),
  c("CKV_GCP_106", "Firewall ingress: no unrestricted HTTP", FIREWALL),
  c("CKV_GCP_107", "Cloud Functions not public", [
    "google_cloudfunctions_function_iam_member",
    "google_cloudfunctions_function_iam_binding",
  ]),
  c("CKV_GCP_108", "PostgreSQL log_hostname on", SQL),
  c("CKV_GCP_109", "PostgreSQL log_min_error_statement ERROR or more verbose", SQL),
  c("CKV_GCP_110", "PostgreSQL pgAudit enabled", SQL),
  c("CKV_GCP_111", "PostgreSQL logs SQL statements (log_statement ddl, mod or all)", SQL),
  c("CKV_GCP_112", "KMS policies allow no public access", ["google_kms_crypto_key_iam_policy"]),
  c("CKV_GCP_113", "IAM policy documents define no public access", ["google_iam_policy"]),
  c("CKV_GCP_114", "Buckets enforce public access prevention", BUCKET),
  c("CKV_GCP_115", "No basic roles at organisation level", ORG_IAM),
  c("CKV_GCP_116", "No basic roles at folder level", FOLDER_IAM),
  c("CKV_GCP_117", "No basic roles at project level", PROJECT_IAM),
  c("CKV_GCP_118", "Workload identity pool providers are restricted", [
    "google_iam_workload_identity_pool_provider",
  ]),
  c("CKV_GCP_119", "Spanner databases have deletion protection", ["google_spanner_database"]),
  c("CKV_GCP_120", "Spanner databases have drop protection", ["google_spanner_database"]),
  c("CKV_GCP_121", "BigQuery tables have deletion protection", ["google_bigquery_table"]),
  c("CKV_GCP_122", "Bigtable instances have deletion protection", ["google_bigtable_instance"]),
  c("CKV_GCP_123", "GKE: no node pools inline in the cluster", GKE),
  c("CKV_GCP_124", "Cloud Functions ingress not overly permissive", ["google_cloudfunctions_function"]),
  c("CKV_GCP_125", "GitHub Actions OIDC trust is restricted", ["google_iam_workload_identity_pool_provider"]),
  c("CKV_GCP_126", "Vertex AI notebooks use Shielded VM", ["google_notebooks_instance"]),
  c("CKV_GCP_127", "Vertex AI notebooks have integrity monitoring", ["google_notebooks_instance"]),
  c("CKV2_GCP_1", "GKE does not run as the Compute Engine default account", [
    "google_project_default_service_accounts",
  ]),
  c("CKV2_GCP_2", "No legacy (auto-mode) networks in a project", [
    "google_project",
    "google_compute_network",
  ]),
  c("CKV2_GCP_3", "Only GCP-managed service account keys", ["google_service_account_key"]),
  c(
    "CKV2_GCP_4",
    "Log sink buckets have a locked retention policy",
    ["google_logging_project_sink", "google_storage_bucket"],
    "No log sink exists in service stacks: the organisation's aggregated sink exports audit logs, so no bucket is a sink destination.",
  ),
  c("CKV2_GCP_5", "Cloud Audit Logging for all services and users of a project", [
    "google_project",
    "google_project_iam_audit_config",
  ]),
  c("CKV2_GCP_6", "KMS crypto keys not publicly accessible", ["google_kms_crypto_key_iam_member"]),
  c(
    "CKV2_GCP_7",
    "MySQL root user cannot connect without a password",
    [...SQL, "google_sql_user"],
    `MySQL setting; ${POSTGRES_ONLY} and its built-in user gets a 32-character generated password.`,
  ),
  c("CKV2_GCP_8", "KMS key rings not publicly accessible", ["google_kms_key_ring_iam_member"]),
  c(
    "CKV2_GCP_9",
    "Container Registry buckets not publicly accessible",
    ["google_container_registry", "google_storage_bucket_iam_member"],
    "The platform creates no Container Registry; public grants on any bucket are refused by gcp-storage-bucket-private (CKV_GCP_28).",
  ),
  c("CKV2_GCP_10", "Cloud Function HTTP triggers are secured", ["google_cloudfunctions_function"]),
  c("CKV2_GCP_11", "GCR vulnerability scanning enabled", ["google_project_services"]),
  c("CKV2_GCP_12", "Firewall ingress not open to all traffic", FIREWALL),
  c(
    "CKV2_GCP_13",
    "PostgreSQL log_duration on",
    SQL,
    "Not adopted: log_duration writes an entry per statement (volume and cost, no audit value); DDL and pgAudit events are logged (CKV_GCP_110, CKV_GCP_111) and log_min_duration_statement stays -1 (CIS 6.2.7).",
  ),
  c("CKV2_GCP_14", "PostgreSQL log_executor_stats off", SQL),
  c("CKV2_GCP_15", "PostgreSQL log_parser_stats off", SQL),
  c("CKV2_GCP_16", "PostgreSQL log_planner_stats off", SQL),
  c("CKV2_GCP_17", "PostgreSQL log_statement_stats off", SQL),
  c(
    "CKV2_GCP_18",
    "Networks define a firewall and do not use the default one",
    ["google_compute_network"],
    "Not adopted: the VPC carries Cloud Run egress to private Cloud SQL and Redis addresses; GCP's implied rules deny all ingress, and the only rules created (DatastreamConnection's, to its proxy VM) admit named ranges, which gcp-firewall-ingress-restricted requires.",
  ),
  c("CKV2_GCP_19", "GKE: alpha cluster features disabled", GKE),
  c(
    "CKV2_GCP_20",
    "MySQL point-in-time recovery (binary logs)",
    SQL,
    `MySQL setting; ${POSTGRES_ONLY}, whose point-in-time recovery gcp-sql-pitr-enabled requires.`,
  ),
  c("CKV2_GCP_21", "Vertex AI instance disks use customer-managed keys", ["google_notebooks_instance"]),
  c("CKV2_GCP_22", "Document AI processors use customer-managed keys", ["google_document_ai_processor"]),
  c("CKV2_GCP_23", "Document AI warehouse uses customer-managed keys", [
    "google_document_ai_warehouse_location",
  ]),
  c("CKV2_GCP_24", "Vertex AI endpoints use customer-managed keys", ["google_vertex_ai_endpoint"]),
  c("CKV2_GCP_25", "Vertex AI featurestores use customer-managed keys", ["google_vertex_ai_featurestore"]),
  c("CKV2_GCP_26", "Vertex AI tensorboards use customer-managed keys", ["google_vertex_ai_tensorboard"]),
  c("CKV2_GCP_27", "Vertex AI workbench disks use customer-managed keys", ["google_workbench_instance"]),
  c("CKV2_GCP_28", "Vertex AI workbench instances are private", ["google_workbench_instance"]),
  c("CKV2_GCP_29", "Dialogflow agents log", ["google_dialogflow_agent"]),
  c("CKV2_GCP_30", "Dialogflow CX agents log", ["google_dialogflow_cx_agent"]),
  c("CKV2_GCP_31", "Dialogflow CX webhooks log", ["google_dialogflow_cx_webhook"]),
  c("CKV2_GCP_32", "TPU v2 VMs are private", ["google_tpu_v2_vm"]),
  c("CKV2_GCP_33", "Vertex AI endpoints are private", ["google_vertex_ai_endpoint"]),
  c("CKV2_GCP_34", "Vertex AI index endpoints are private", ["google_vertex_ai_index_endpoint"]),
  c("CKV2_GCP_35", "Vertex AI runtimes use customer-managed keys", ["google_notebooks_runtime"]),
  c("CKV2_GCP_36", "Vertex AI runtimes are private", ["google_notebooks_runtime"]),
  c("CKV2_GCP_37", "Regional forwarding rules do not use HTTP proxies", ["google_compute_forwarding_rule"]),
  c("CKV2_GCP_38", "Global forwarding rules do not use HTTP proxies", [
    "google_compute_global_forwarding_rule",
  ]),
];

const ORG_SETTING = "An organisation-wide setting, outside service stacks.";
const NO_KMS = "The platform provisions no Cloud KMS keys.";
const NO_API_KEYS =
  "The platform creates no API keys (msp-allowed-resource-types refuses gcp:projects/apiKey).";
const MYSQL = `MySQL control; ${POSTGRES_ONLY}.`;
const SQLSERVER = `SQL Server control; ${POSTGRES_ONLY}.`;
const CENTRAL_MONITORING =
  "Not adopted per project: such changes in service projects come only from the reviewed Pulumi deploy, and the organisation's audit log sink watches them centrally.";

const cis = (id: string, title: string, notApplicable?: string): PeerCheck => ({
  id: `CIS ${id}`,
  title,
  entities: [],
  notApplicable,
});

/** CIS Google Cloud Platform Foundations Benchmark v3.0.0 (numbering and titles of its recommendations). */
export const CIS_GCP: readonly PeerCheck[] = [
  cis("1.1", "Corporate login credentials are used"),
  cis("1.2", "Multi-factor authentication for all non-service accounts", ORG_SETTING),
  cis("1.3", "Security key enforcement for admin accounts", ORG_SETTING),
  cis("1.4", "Only GCP-managed service account keys"),
  cis("1.5", "Service accounts have no admin privileges"),
  cis("1.6", "No Service Account User or Token Creator at project level"),
  cis("1.7", "User-managed service account keys rotated within 90 days"),
  cis("1.8", "Separation of duties for service account roles"),
  cis("1.9", "Cloud KMS keys not publicly accessible", NO_KMS),
  cis("1.10", "KMS keys rotated within 90 days", NO_KMS),
  cis("1.11", "Separation of duties for KMS roles", NO_KMS),
  cis("1.12", "API keys exist only for active services", NO_API_KEYS),
  cis("1.13", "API keys restricted to hosts and apps", NO_API_KEYS),
  cis("1.14", "API keys restricted to the APIs they need", NO_API_KEYS),
  cis("1.15", "API keys rotated every 90 days", NO_API_KEYS),
  cis("1.16", "Essential Contacts configured for the organisation", ORG_SETTING),
  cis("1.17", "Secrets are not stored in function environment variables (Secret Manager instead)"),
  cis("2.1", "Cloud Audit Logging configured for all services and users"),
  cis(
    "2.2",
    "Sinks export all log entries",
    "The organisation's aggregated sink exports the logs of every project labelled collect-security-audit-logs (GcpProject sets it in production categories).",
  ),
  cis(
    "2.3",
    "Log export buckets have locked retention",
    "No log sink bucket exists in service stacks (see 2.2).",
  ),
  cis("2.4", "Log metric and alert for project ownership changes", CENTRAL_MONITORING),
  cis("2.5", "Log metric and alert for audit configuration changes", CENTRAL_MONITORING),
  cis("2.6", "Log metric and alert for custom role changes", CENTRAL_MONITORING),
  cis("2.7", "Log metric and alert for firewall rule changes", CENTRAL_MONITORING),
  cis("2.8", "Log metric and alert for route changes", CENTRAL_MONITORING),
  cis("2.9", "Log metric and alert for network changes", CENTRAL_MONITORING),
  cis("2.10", "Log metric and alert for bucket IAM changes", CENTRAL_MONITORING),
  cis("2.11", "Log metric and alert for SQL instance configuration changes", CENTRAL_MONITORING),
  cis(
    "2.12",
    "Cloud DNS logging for all VPC networks",
    "Not adopted: the VPC only carries Cloud Run egress to private Cloud SQL and Redis addresses; no Cloud DNS server policy is created.",
  ),
  cis(
    "2.13",
    "Cloud Asset Inventory enabled",
    "Cloud Asset Inventory is queried for the whole organisation; enabling its API in each service project adds nothing.",
  ),
  cis("2.14", "Access Transparency enabled", ORG_SETTING),
  cis("2.15", "Access Approval enabled", ORG_SETTING),
  cis(
    "2.16",
    "HTTP(S) load balancer logging",
    "Not adopted by default: the spec chooses it (domain.networking.loadBalancerLogging, off by default as in MSP); Cloud Run logs every request the load balancer forwards.",
  ),
  cis("3.1", "The default network does not exist in a project"),
  cis("3.2", "No legacy networks in a project"),
  cis("3.3", "DNSSEC enabled for Cloud DNS", "DNS is served by Cloudflare: there are no Cloud DNS zones."),
  cis(
    "3.4",
    "No RSASHA1 for DNSSEC key-signing keys",
    "DNS is served by Cloudflare: there are no Cloud DNS zones.",
  ),
  cis(
    "3.5",
    "No RSASHA1 for DNSSEC zone-signing keys",
    "DNS is served by Cloudflare: there are no Cloud DNS zones.",
  ),
  cis("3.6", "SSH restricted from the internet"),
  cis("3.7", "RDP restricted from the internet"),
  cis("3.8", "VPC flow logs on every subnet"),
  cis("3.9", "No weak cipher suites on HTTPS or SSL proxy load balancers"),
  cis(
    "3.10",
    "IAP restricts traffic to Google's addresses",
    "No IAP backends: the load balancer admits only Cloudflare's edge (Cloud Armor, gcp-backend-cloud-armor); the one VM (Datastream's Cloud SQL proxy) admits SSH from exactly Google's IAP range 35.235.240.0/20.",
  ),
  cis("4.1", "Instances do not use the default service account"),
  cis("4.2", "Instances do not use the default service account with full API access"),
  cis("4.3", "Instances block project-wide SSH keys"),
  cis("4.4", "OS Login enabled for a project"),
  cis("4.5", "Serial port access disabled"),
  cis("4.6", "IP forwarding disabled"),
  cis("4.7", "Critical VM disks use customer-supplied keys", `${CMEK_VM}.`),
  cis("4.8", "Shielded VM enabled"),
  cis("4.9", "Instances have no public IP"),
  cis("4.10", "App Engine applications enforce HTTPS", "The platform runs no App Engine applications."),
  cis(
    "4.11",
    "Confidential Computing enabled",
    "Not adopted: the only VM, Datastream's Cloud SQL Auth Proxy (e2-micro), forwards TLS connections and holds no data; Confidential VMs need N2D or C2D machine types.",
  ),
  cis(
    "4.12",
    "Latest OS updates installed",
    "The only VM runs Container-Optimized OS (cos-stable), which installs its updates itself (automatic updates are on by default) and restarts into them.",
  ),
  cis("5.1", "Buckets not anonymously or publicly accessible"),
  cis("5.2", "Buckets have uniform bucket-level access"),
  cis("6.1.1", "MySQL admin cannot connect without a password", MYSQL),
  cis("6.1.2", "MySQL skip_show_database on", MYSQL),
  cis("6.1.3", "MySQL local_infile off", MYSQL),
  cis("6.2.1", "PostgreSQL log_error_verbosity DEFAULT or stricter"),
  cis("6.2.2", "PostgreSQL log_connections on"),
  cis("6.2.3", "PostgreSQL log_disconnections on"),
  cis("6.2.4", "PostgreSQL log_statement set appropriately"),
  cis("6.2.5", "PostgreSQL log_min_messages at least WARNING"),
  cis("6.2.6", "PostgreSQL log_min_error_statement ERROR or stricter"),
  cis("6.2.7", "PostgreSQL log_min_duration_statement -1"),
  cis("6.2.8", "PostgreSQL cloudsql.enable_pgaudit on"),
  cis("6.2.9", "Instance IP assignment is private"),
  cis("6.3.1", "SQL Server external scripts enabled off", SQLSERVER),
  cis("6.3.2", "SQL Server cross db ownership chaining off", SQLSERVER),
  cis("6.3.3", "SQL Server user connections set", SQLSERVER),
  cis("6.3.4", "SQL Server user options not configured", SQLSERVER),
  cis("6.3.5", "SQL Server remote access off", SQLSERVER),
  cis("6.3.6", "SQL Server trace flag 3625 on", SQLSERVER),
  cis("6.3.7", "SQL Server contained database authentication off", SQLSERVER),
  cis("6.4", "Cloud SQL requires SSL for all incoming connections"),
  cis("6.5", "Cloud SQL does not allow all public IP addresses"),
  cis("6.6", "Cloud SQL has no public IPs"),
  cis("6.7", "Cloud SQL automated backups"),
  cis("7.1", "BigQuery datasets not anonymously or publicly accessible"),
  cis("7.2", "BigQuery tables use customer-managed keys", `${CMEK}.`),
  cis("7.3", "BigQuery datasets have a default customer-managed key", `${CMEK}.`),
  cis(
    "7.4",
    "All BigQuery data is classified",
    "A process (Sensitive Data Protection scans), not a resource setting a policy can check.",
  ),
  cis("8.1", "Dataproc clusters use customer-managed keys", "The platform runs no Dataproc clusters."),
];

/** Ids a `frameworks` entry counts as covering: exact Checkov and CIS ids only. */
export const COVERAGE_ID = /^(CKV2?_GCP_\d+|CIS \d+(\.\d+)+)$/;

/** The Pulumi types CREATED_TERRAFORM_TYPES names that the platform does not create (must be empty). */
export const unknownCreatedTypes = () =>
  Object.values(CREATED_TERRAFORM_TYPES).filter((t) => !ALLOWED_TYPES.includes(t));
