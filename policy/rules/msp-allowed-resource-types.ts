import { stackPolicy, levels } from "../define";

/** Every resource type the msp components create. */
export const ALLOWED_TYPES = [
  "pulumi:pulumi:Stack",
  "pulumi:providers:gcp",
  "pulumi:providers:cloudflare",
  "pulumi:providers:random",
  "gcp:organizations/project:Project",
  "gcp:projects/service:Service",
  "gcp:projects/iAMMember:IAMMember",
  "gcp:projects/iAMCustomRole:IAMCustomRole",
  "gcp:projects/iAMAuditConfig:IAMAuditConfig",
  "gcp:serviceaccount/account:Account",
  "gcp:serviceaccount/iAMMember:IAMMember",
  "gcp:secretmanager/secret:Secret",
  "gcp:secretmanager/secretVersion:SecretVersion",
  "gcp:secretmanager/secretIamMember:SecretIamMember",
  "gcp:compute/network:Network",
  "gcp:compute/subnetwork:Subnetwork",
  "gcp:compute/globalAddress:GlobalAddress",
  "gcp:servicenetworking/connection:Connection",
  "gcp:sql/databaseInstance:DatabaseInstance",
  "gcp:sql/database:Database",
  "gcp:sql/user:User",
  "gcp:redis/instance:Instance",
  "gcp:bigquery/dataset:Dataset",
  "gcp:bigquery/table:Table",
  "gcp:bigquery/datasetIamMember:DatasetIamMember",
  "gcp:cloudrunv2/service:Service",
  "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
  "gcp:cloudrunv2/job:Job",
  "gcp:cloudrunv2/jobIamMember:JobIamMember",
  "gcp:cloudscheduler/job:Job",
  "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup",
  "gcp:compute/backendService:BackendService",
  "gcp:compute/uRLMap:URLMap",
  "gcp:compute/sSLPolicy:SSLPolicy",
  "gcp:compute/sSLCertificate:SSLCertificate",
  "gcp:compute/managedSslCertificate:ManagedSslCertificate",
  "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
  "gcp:compute/targetHttpProxy:TargetHttpProxy",
  "gcp:compute/globalForwardingRule:GlobalForwardingRule",
  "gcp:compute/securityPolicy:SecurityPolicy",
  "cloudflare:index/dnsRecord:DnsRecord",
  "gcp:monitoring/notificationChannel:NotificationChannel",
  "gcp:monitoring/alertPolicy:AlertPolicy",
  "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig",
  "gcp:monitoring/dashboard:Dashboard",
  "gcp:logging/metric:Metric",
  "gcp:clouddeploy/deliveryPipeline:DeliveryPipeline",
  "gcp:clouddeploy/target:Target",
  "gcp:clouddeploy/customTargetType:CustomTargetType",
  "gcp:storage/bucket:Bucket",
  "gcp:storage/bucketIAMMember:BucketIAMMember",
  "gcp:pubsub/topic:Topic",
  "gcp:pubsub/subscription:Subscription",
  "random:index/randomId:RandomId",
  "random:index/randomPassword:RandomPassword",
];

export const mspAllowedResourceTypes = stackPolicy({
  name: "msp-allowed-resource-types",
  description: "Stacks contain only the resource types the msp components create.",
  severity: "medium",
  remediation:
    "Add the capability to a component (and this allowlist) in a reviewed change instead of declaring resources directly.",
  meta: {
    group: "Cost and hygiene",
    levels: levels("A", "M", "M"),
    frameworks: ["pulumi/examples prohibited-resource pattern"],
  },
  validate: (args, report) => {
    const allowed = new Set(ALLOWED_TYPES);
    for (const r of args.resources)
      if (!allowed.has(r.type) && !r.type.startsWith("msp:"))
        report(`${r.type} "${r.name}" is not a type the platform creates.`, r.urn);
  },
});
