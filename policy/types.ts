import * as gcp from "@pulumi/gcp";
import { typeOf, type ResourceClass } from "./define";
import { PROTECTED_TYPES } from "../platform/resource-types";

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

/** The provider class of a `gcp:` type token: `gcp:sql/databaseInstance:DatabaseInstance` is gcp.sql.DatabaseInstance. */
function gcpClass(token: string): ResourceClass<unknown> {
  const [pkg, module, name] = token.split(":");
  const namespace = (gcp as unknown as Record<string, Record<string, unknown> | undefined>)[
    module!.split("/")[0]!
  ];
  const cls = pkg === "gcp" && name ? namespace?.[name] : undefined;
  if (cls === undefined || typeOf(cls) !== token)
    throw new Error(`${token} is not a resource class of @pulumi/gcp`);
  return cls as ResourceClass<unknown>;
}

/**
 * Resources that hold data or identity and must carry Pulumi's `protect`: the `protect` entries of the one
 * resource type table (platform/resource-types.ts), as the provider classes typed policies check.
 */
export const STATEFUL_CLASSES: readonly ResourceClass<unknown>[] = PROTECTED_TYPES.map(gcpClass);
