import * as gcp from "@pulumi/gcp";
import { typeOf } from "./define";

/** Pulumi type tokens of the resources the policies inspect (tests and type allowlists use them). */
export const T = {
  project: "gcp:organizations/project:Project",
  projectIam: "gcp:projects/iAMMember:IAMMember",
  projectIamBinding: "gcp:projects/iAMBinding:IAMBinding",
  folderIam: "gcp:folder/iAMMember:IAMMember",
  orgIam: "gcp:organizations/iAMMember:IAMMember",
  saKey: "gcp:serviceaccount/key:Key",
  sql: "gcp:sql/databaseInstance:DatabaseInstance",
  sqlDatabase: "gcp:sql/database:Database",
  redis: "gcp:redis/instance:Instance",
  dataset: "gcp:bigquery/dataset:Dataset",
  table: "gcp:bigquery/table:Table",
  datasetIam: "gcp:bigquery/datasetIamMember:DatasetIamMember",
  tableIam: "gcp:bigquery/iamMember:IamMember",
  secret: "gcp:secretmanager/secret:Secret",
  runService: "gcp:cloudrunv2/service:Service",
  runJob: "gcp:cloudrunv2/job:Job",
  runServiceIam: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
  runServiceIamBinding: "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding",
  runJobIam: "gcp:cloudrunv2/jobIamMember:JobIamMember",
  sslPolicy: "gcp:compute/sSLPolicy:SSLPolicy",
  httpsProxy: "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
  httpProxy: "gcp:compute/targetHttpProxy:TargetHttpProxy",
  urlMap: "gcp:compute/uRLMap:URLMap",
  forwardingRule: "gcp:compute/globalForwardingRule:GlobalForwardingRule",
  backend: "gcp:compute/backendService:BackendService",
  securityPolicy: "gcp:compute/securityPolicy:SecurityPolicy",
  dnsRecord: "cloudflare:index/dnsRecord:DnsRecord",
  zoneSetting: "cloudflare:index/zoneSetting:ZoneSetting",
  ruleset: "cloudflare:index/ruleset:Ruleset",
} as const;

/** Resources that hold data or identity: losing them loses something (Pulumi `protect` is required). */
export const STATEFUL_CLASSES = [
  gcp.organizations.Project,
  gcp.sql.DatabaseInstance,
  gcp.sql.Database,
  gcp.redis.Instance,
  gcp.bigquery.Dataset,
  gcp.bigquery.Table,
  gcp.secretmanager.Secret,
] as const;

export const STATEFUL_TYPES: readonly string[] = STATEFUL_CLASSES.map(typeOf);
