/** Fixtures of the "Security" policies. */
import { res, UNKNOWN, violation, withValue, type PolicyCase, type Violation } from "../../helpers/policy";

/** A GCP provider resource: the stack's project and region, with `extra` over them. */
const gcpProvider = (extra: Record<string, unknown>) =>
  res(
    "pulumi:providers:gcp",
    { project: PROJECT, region: "us-central1", version: "9.37.0", ...extra },
    { name: "gcp" },
  );
import { T } from "../../../policy/types";
import { AUDIT_FLAGS } from "../../../policy/rules/gcp-sql-postgres-audit-flags";
import { WORKLOAD_ROLES } from "../../../components/identities";
import {
  GCP_PROJECT,
  JOB,
  OTHER,
  PROJECT,
  REDIS,
  RUN,
  SA,
  SQL,
  redisWith,
  runWith,
  sqlFlag,
  sqlWith,
} from "./fixtures";

const PROJECT_IAM = T.projectIam;
const SA_IAM = "gcp:serviceaccount/iAMMember:IAMMember";
const CUSTOM_ROLE = "gcp:projects/iAMCustomRole:IAMCustomRole";
const SECRET_IAM = "gcp:secretmanager/secretIamMember:SecretIamMember";
const BUCKET = "gcp:storage/bucket:Bucket";
const BUCKET_IAM = "gcp:storage/bucketIAMMember:BucketIAMMember";
const NETWORK = "gcp:compute/network:Network";
const SUBNET = "gcp:compute/subnetwork:Subnetwork";
const AUDIT = "gcp:projects/iAMAuditConfig:IAMAuditConfig";

/** A grant made inside the Cloud Deploy pipeline component, as RolloutPipeline makes it. */
const pipelineGrant = (inputs: Record<string, unknown>, name = "rollout-executor-actas-prod") =>
  res(SA_IAM, inputs, {
    name,
    urn: `urn:pulumi:svc-prod::msp::msp:gcp:RolloutPipeline$${SA_IAM}::${name}`,
    parent: "urn:pulumi:svc-prod::msp::msp:gcp:RolloutPipeline::rollout",
  });
const EXECUTOR = `serviceAccount:clouddeploy-executor@${PROJECT}.iam.gserviceaccount.com`;
const customRole = (...permissions: string[]) =>
  res(CUSTOM_ROLE, { project: PROJECT, roleId: "msp_workload_custom_role", permissions });
const grant = (role: string, member = SA, type = PROJECT_IAM) =>
  res(type, { project: PROJECT, role, member });

/** One violation per PostgreSQL logging flag: a wrong value, and (for flags without a safe default) its absence. */
const BAD_FLAG_VALUE: Record<string, string> = {
  log_min_messages: "error",
  log_min_error_statement: "fatal",
  log_min_duration_statement: "0",
  log_temp_files: "1024",
  log_error_verbosity: "verbose",
  log_statement: "none",
};
const flagViolations: Violation[] = Object.entries(AUDIT_FLAGS).flatMap(([flag, rule]) => {
  const bad = BAD_FLAG_VALUE[flag] ?? (rule.ok[0] === "off" ? "on" : "off");
  const out = [
    violation(
      `${flag} = ${bad}`,
      sqlFlag(flag, bad),
      new RegExp(`Flag ${flag.replace(".", "\\.")} is ${bad}`),
      {
        ids: [...rule.ids],
      },
    ),
  ];
  if (!rule.absentOk)
    out.push(
      violation(
        `${flag} absent`,
        sqlFlag(flag, undefined),
        new RegExp(`Flag ${flag.replace(".", "\\.")} is not set`),
        {
          ids: [...rule.ids],
        },
      ),
    );
  return out;
});

const SETTINGS = { sharedSecretsProject: "msp-platform-secrets", secretProjects: ["sourcegraph-secrets"] };
const secretGrant = (project: string, secretId = "X") =>
  res(SECRET_IAM, { project, secretId, role: "roles/secretmanager.secretAccessor", member: SA });
const runReading = (secret: string) =>
  res(T.runService, {
    ...RUN,
    template: {
      ...RUN.template,
      containers: [{ envs: [{ name: "KEY", valueSource: { secretKeyRef: { secret, version: "latest" } } }] }],
    },
  });

const AUDIT_CONFIG = {
  project: PROJECT,
  service: "allServices",
  auditLogConfigs: [{ logType: "ADMIN_READ" }, { logType: "DATA_READ" }, { logType: "DATA_WRITE" }],
};
const SUBNET_OK = {
  name: "svc-sn",
  privateIpGoogleAccess: true,
  logConfig: { aggregationInterval: "INTERVAL_10_MIN", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" },
};
const BUCKET_OK = { name: "b", uniformBucketLevelAccess: true, publicAccessPrevention: "enforced" };

/**
 * The operator-access design PostgresInstance uses: a public address that only IAM-authenticated Cloud SQL
 * connectors can use (connectorEnforcement REQUIRED, client certificates required, no authorized network),
 * optionally with one field changed.
 */
function connectorOnly(path?: string, value?: unknown) {
  const open = withValue(
    withValue(SQL, "settings.ipConfiguration.ipv4Enabled", true),
    "settings.connectorEnforcement",
    "REQUIRED",
  );
  return [res(T.sql, path ? withValue(open, path, value) : open)];
}

const FIREWALL = "gcp:compute/firewall:Firewall";
const INSTANCE = "gcp:compute/instance:Instance";
/** DatastreamConnection's ingress rule to its proxy VM. */
const RULE = {
  project: PROJECT,
  name: "msp-datastream-cloudsqlproxy-datastream-ingress",
  network: `projects/${PROJECT}/global/networks/svc`,
  direction: "INGRESS",
  sourceRanges: ["10.126.0.0/29"],
  allows: [{ protocol: "tcp", ports: ["5432"] }],
  targetTags: ["msp-datastream-cloudsqlproxy"],
};
const ruleWith = (dotted: string, value: unknown) => [res(FIREWALL, withValue(RULE, dotted, value))];
/** DatastreamConnection's proxy VM. */
const VM = {
  project: PROJECT,
  zone: "us-central1-a",
  name: "msp-datastream-cloudsqlproxy",
  machineType: "e2-micro",
  networkInterfaces: [{ network: "svc", subnetwork: "svc-sub" }],
  serviceAccount: {
    email: `datastream-to-cloudsql@${PROJECT}.iam.gserviceaccount.com`,
    scopes: ["cloud-platform"],
  },
  shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
  metadata: { "enable-oslogin": "TRUE", "block-project-ssh-keys": "TRUE" },
  bootDisk: { initializeParams: { image: "cos-cloud/cos-stable" } },
};
const vmWith = (dotted: string, value: unknown) => [res(INSTANCE, withValue(VM, dotted, value))];

export const SECURITY_CASES: Record<string, PolicyCase> = {
  "gcp-firewall-ingress-restricted": {
    compliant: [
      res(FIREWALL, RULE),
      res(FIREWALL, {
        ...RULE,
        sourceRanges: ["35.235.240.0/20"],
        allows: [{ protocol: "tcp", ports: ["22"] }],
      }),
      res(FIREWALL, {
        ...RULE,
        sourceRanges: ["0.0.0.0/0"],
        allows: undefined,
        denies: [{ protocol: "all" }],
      }),
      res(FIREWALL, {
        ...RULE,
        direction: "EGRESS",
        sourceRanges: undefined,
        destinationRanges: ["0.0.0.0/0"],
      }),
    ],
    violations: [
      violation(
        "SSH from anywhere",
        ruleWith("sourceRanges", ["0.0.0.0/0"]),
        /0\.0\.0\.0\/0 admits the whole internet/,
        {
          ids: ["CKV_GCP_2", "CKV_GCP_88", "CKV2_GCP_12", "CIS 3.6"],
        },
      ),
      violation(
        "RDP, FTP and HTTP from anywhere over IPv6",
        [
          res(FIREWALL, {
            ...RULE,
            sourceRanges: ["::/0"],
            allows: [{ protocol: "tcp", ports: ["3389", "20-21", "80"] }],
          }),
        ],
        /::\/0 admits the whole internet/,
        { ids: ["CKV_GCP_3", "CKV_GCP_75", "CKV_GCP_77", "CKV_GCP_106", "CIS 3.7"] },
      ),
      violation("no source at all", ruleWith("sourceRanges", undefined), /admits every address/),
      violation("every instance of the network", ruleWith("targetTags", undefined), /opens every instance/),
    ],
    unknown: ruleWith("sourceRanges", UNKNOWN),
    notApplicable: [OTHER],
  },
  "gcp-compute-instance-hardened": {
    compliant: [res(INSTANCE, VM)],
    violations: [
      violation(
        "default account",
        vmWith("serviceAccount.email", "123456789012-compute@developer.gserviceaccount.com"),
        /default service account/,
        {
          ids: ["CKV_GCP_30", "CKV_GCP_31", "CIS 4.1", "CIS 4.2"],
        },
      ),
      violation("no account given", vmWith("serviceAccount", undefined), /default service account/),
      violation(
        "project SSH keys",
        vmWith("metadata", { "enable-oslogin": "TRUE" }),
        /block-project-ssh-keys/,
        {
          ids: ["CKV_GCP_32", "CIS 4.3"],
        },
      ),
      violation(
        "OS Login off",
        vmWith("metadata", { "enable-oslogin": "FALSE", "block-project-ssh-keys": "TRUE" }),
        /OS Login/,
        {
          ids: ["CKV_GCP_34", "CIS 4.4"],
        },
      ),
      violation(
        "serial port",
        vmWith("metadata", { ...VM.metadata, "serial-port-enable": "true" }),
        /serial port/,
        {
          ids: ["CKV_GCP_35", "CIS 4.5"],
        },
      ),
      violation("IP forwarding", vmWith("canIpForward", true), /IP forwarding/, {
        ids: ["CKV_GCP_36", "CIS 4.6"],
      }),
      violation("no secure boot", vmWith("shieldedInstanceConfig.enableSecureBoot", false), /secure boot/, {
        ids: ["CKV_GCP_39", "CIS 4.8"],
      }),
      violation("shielded VM unset", vmWith("shieldedInstanceConfig", undefined), /secure boot/),
      violation("vTPM off", vmWith("shieldedInstanceConfig.enableVtpm", false), /vTPM/),
      violation(
        "integrity off",
        vmWith("shieldedInstanceConfig.enableIntegrityMonitoring", false),
        /integrity/,
      ),
      violation(
        "external address",
        vmWith("networkInterfaces", [{ network: "svc", subnetwork: "svc-sub", accessConfigs: [{}] }]),
        /external address/,
        { ids: ["CKV_GCP_40", "CIS 4.9"] },
      ),
    ],
    unknown: vmWith("serviceAccount.email", UNKNOWN),
    notApplicable: [OTHER],
  },
  "gcp-sql-no-public-ip": {
    compliant: [res(T.sql, SQL), ...connectorOnly()],
    violations: [
      violation(
        "ipv4 without the connector design",
        sqlWith("settings.ipConfiguration.ipv4Enabled", true),
        /public IPv4/,
        {
          ids: ["CKV_GCP_60", "CIS 6.6", "CIS 6.2.9"],
        },
      ),
      violation(
        "ipv4 unset (Cloud SQL's default is a public address)",
        sqlWith("settings.ipConfiguration.ipv4Enabled", undefined),
        /public IPv4 address is enabled and reachable without the Cloud SQL connector/,
      ),
      violation(
        "public address, connector not enforced",
        connectorOnly("settings.connectorEnforcement", "NOT_REQUIRED"),
        /reachable without the Cloud SQL connector \(connectorEnforcement is NOT_REQUIRED\)/,
      ),
      violation(
        "public address, connectorEnforcement unset",
        connectorOnly("settings.connectorEnforcement", undefined),
        /reachable without the Cloud SQL connector/,
      ),
      violation(
        "public address behind the connector, SSL not required",
        connectorOnly("settings.ipConfiguration.sslMode", "ALLOW_UNENCRYPTED_AND_ENCRYPTED"),
        /accepts connections without SSL \(sslMode is ALLOW_UNENCRYPTED_AND_ENCRYPTED\)/,
      ),
      violation(
        "public address behind the connector, sslMode unset",
        connectorOnly("settings.ipConfiguration.sslMode", undefined),
        /accepts connections without SSL/,
      ),
      violation(
        "no private network",
        sqlWith("settings.ipConfiguration.privateNetwork", undefined),
        /No private network/,
      ),
      violation(
        "authorized network",
        sqlWith("settings.ipConfiguration.authorizedNetworks", [{ value: "0.0.0.0/0" }]),
        /0\.0\.0\.0\/0 opens/,
        { ids: ["CKV_GCP_11", "CIS 6.5"] },
      ),
      violation(
        "authorized network on the connector-only design",
        connectorOnly("settings.ipConfiguration.authorizedNetworks", [{ value: "203.0.113.7/32" }]),
        /203\.0\.113\.7\/32 opens/,
      ),
      violation(
        "data API open on the connector-only design",
        connectorOnly("settings.dataApiAccess", "ALLOW_DATA_API"),
        /data API \(ExecuteSql\) reaches the instance without the Cloud SQL connector/,
      ),
    ],
    unknown: sqlWith("settings.ipConfiguration.ipv4Enabled", UNKNOWN),
    notApplicable: [OTHER],
  },
  "gcp-sql-ssl-enforced": {
    compliant: [res(T.sql, SQL)],
    violations: [
      violation(
        "allow unencrypted",
        sqlWith("settings.ipConfiguration.sslMode", "ALLOW_UNENCRYPTED_AND_ENCRYPTED"),
        /unencrypted connections/,
        { ids: ["CKV_GCP_6", "CIS 6.4"] },
      ),
      violation("unset", sqlWith("settings.ipConfiguration.sslMode", undefined), /unencrypted connections/, {
        ids: ["CKV_GCP_6", "CIS 6.4"],
      }),
      violation(
        "encryption without client certificates (Checkov's reading)",
        sqlWith("settings.ipConfiguration.sslMode", "ENCRYPTED_ONLY"),
        /ENCRYPTED_ONLY; required: TRUSTED_CLIENT_CERTIFICATE_REQUIRED/,
      ),
    ],
    unknown: sqlWith("settings.ipConfiguration.sslMode", UNKNOWN),
    notApplicable: [OTHER],
    config: [
      [
        "CIS/Trivy reading accepts ENCRYPTED_ONLY",
        { allowedSslModes: ["ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"] },
        sqlWith("settings.ipConfiguration.sslMode", "ENCRYPTED_ONLY"),
        false,
      ],
    ],
  },
  "gcp-sql-postgres-audit-flags": {
    compliant: [
      res(T.sql, SQL),
      ...sqlFlag("log_parser_stats", undefined),
      ...sqlFlag("log_statement", "mod"),
    ],
    violations: flagViolations,
    unknown: sqlWith("settings.databaseFlags", UNKNOWN),
    notApplicable: [res(T.sql, { ...SQL, databaseVersion: "MYSQL_8_0" })],
  },
  "gcp-redis-auth-and-tls": {
    compliant: [res(T.redis, REDIS)],
    violations: [
      violation("no auth", redisWith("authEnabled", false), /AUTH is off/, { ids: ["CKV_GCP_95"] }),
      violation("auth unset", redisWith("authEnabled", undefined), /AUTH is off/, { ids: ["CKV_GCP_95"] }),
      violation("no TLS", redisWith("transitEncryptionMode", "DISABLED"), /TLS/, { ids: ["CKV_GCP_97"] }),
      violation("direct peering", redisWith("connectMode", "DIRECT_PEERING"), /PRIVATE_SERVICE_ACCESS/),
    ],
    unknown: redisWith("authEnabled", UNKNOWN),
    notApplicable: [OTHER],
  },
  "gcp-cloudrun-no-public-invoker": {
    compliant: [
      res(T.runService, RUN),
      res(T.runServiceIam, {
        project: PROJECT,
        location: "us-central1",
        name: RUN.name,
        role: "roles/run.invoker",
        member: "allUsers",
      }),
    ],
    violations: [
      violation(
        "directly reachable",
        [
          res(T.runService, { ...RUN, ingress: "INGRESS_TRAFFIC_ALL" }),
          res(T.runServiceIam, {
            project: PROJECT,
            location: "us-central1",
            name: RUN.name,
            role: "roles/run.invoker",
            member: "allUsers",
          }),
        ],
        /reachable directly/,
        { ids: ["CKV_GCP_102"] },
      ),
      violation(
        "same short name, another project (matched by full name)",
        [
          res(T.runService, RUN),
          res(T.runServiceIam, {
            project: "other-prod-1234",
            location: "us-central1",
            name: RUN.name,
            role: "roles/run.invoker",
            member: "allUsers",
          }),
        ],
        /projects\/other-prod-1234\/locations\/us-central1\/services\/svc-prod-us-central1, which is not a Cloud Run service of this stack/,
        { ids: ["CKV_GCP_102"] },
      ),
      violation(
        "same short name, another location",
        [
          res(T.runService, RUN),
          res(T.runServiceIam, {
            project: PROJECT,
            location: "europe-west2",
            name: RUN.name,
            role: "roles/run.invoker",
            member: "allAuthenticatedUsers",
          }),
        ],
        /not a Cloud Run service of this stack/,
      ),
      violation(
        "binding by full name to a directly reachable service",
        [
          res(T.runService, { ...RUN, ingress: "INGRESS_TRAFFIC_ALL" }),
          res(T.runServiceIamBinding, {
            name: `projects/${PROJECT}/locations/us-central1/services/${RUN.name}`,
            role: "roles/run.invoker",
            members: ["allUsers"],
          }),
        ],
        /reachable directly/,
      ),
      violation(
        "another role",
        [res(T.projectIam, { role: "roles/storage.objectViewer", member: "allUsers" })],
        /may only invoke/,
      ),
      violation(
        "public job",
        [res(T.runJobIam, { role: "roles/run.invoker", member: "allAuthenticatedUsers" })],
        /only load-balanced/,
      ),
      // The same risk written as the service's own setting: the same verdict and level as the grant above.
      violation(
        "invokerIamDisabled on a directly reachable service (an allUsers grant by another name)",
        [res(T.runService, { ...RUN, ingress: "INGRESS_TRAFFIC_ALL", invokerIamDisabled: true })],
        /invokerIamDisabled: anyone may invoke it.*reachable directly \(ingress INGRESS_TRAFFIC_ALL\)/,
        { ids: ["CKV_GCP_102"] },
      ),
      violation(
        "invokerIamDisabled with ingress left to Cloud Run's default (all)",
        [res(T.runService, { ...RUN, ingress: undefined, invokerIamDisabled: true })],
        /reachable directly \(ingress INGRESS_TRAFFIC_ALL\)/,
      ),
    ],
    unknown: [
      res(T.runService, RUN),
      res(T.runServiceIam, { name: RUN.name, role: "roles/run.invoker", member: UNKNOWN }),
    ],
    notApplicable: [
      res(T.runServiceIam, { role: "roles/run.invoker", member: "domain:sourcegraph.com" }),
      // Behind the load balancer, as an allUsers grant is allowed there.
      res(T.runService, { ...RUN, invokerIamDisabled: true }),
      res(T.runService, { ...RUN, ingress: "INGRESS_TRAFFIC_ALL", invokerIamDisabled: false }),
    ],
  },
  "gcp-cloudrun-dedicated-sa": {
    compliant: [res(T.runService, RUN), res(T.runJob, JOB)],
    violations: [
      violation("none", runWith("template.serviceAccount", undefined), /No service account/),
      violation(
        "default",
        runWith("template.serviceAccount", "123-compute@developer.gserviceaccount.com"),
        /default account/,
      ),
      violation(
        "job default",
        [
          res(T.runJob, {
            ...JOB,
            template: { template: { serviceAccount: "p@appspot.gserviceaccount.com" } },
          }),
        ],
        /default account/,
      ),
    ],
    unknown: runWith("template.serviceAccount", UNKNOWN),
    notApplicable: [OTHER],
  },
  "gcp-cloudrun-secrets-from-gsm": {
    compliant: [res(T.runService, RUN)],
    violations: [
      violation(
        "plain token",
        runWith("template.containers", [{ envs: [{ name: "GITHUB_TOKEN", value: "ghp_x" }] }]),
        /GITHUB_TOKEN looks like a secret/,
        { ids: ["CIS 1.17"] },
      ),
      violation(
        "plain password in a job",
        [
          res(T.runJob, {
            ...JOB,
            template: {
              template: {
                ...JOB.template.template,
                containers: [{ envs: [{ name: "DB_PASSWORD", value: "x" }] }],
              },
            },
          }),
        ],
        /DB_PASSWORD looks like a secret/,
      ),
    ],
    unknown: runWith("template.containers", UNKNOWN),
    notApplicable: [OTHER],
  },
  "gcp-iam-no-basic-roles": {
    compliant: [grant("roles/cloudtrace.agent")],
    violations: [
      violation("owner", [grant("roles/owner", "group:g@x.com")], /basic role/, { ids: ["CKV_GCP_117"] }),
      violation(
        "folder editor",
        [res(T.folderIam, { folder: "folders/1", role: "roles/editor", member: "group:g@x.com" })],
        /basic role/,
        {
          ids: ["CKV_GCP_116"],
        },
      ),
      violation(
        "organisation viewer",
        [res(T.orgIam, { orgId: "1", role: "roles/viewer", member: "group:g@x.com" })],
        /basic role/,
        {
          ids: ["CKV_GCP_115"],
        },
      ),
    ],
    unknown: [grant(UNKNOWN, "group:g@x.com")],
    notApplicable: [OTHER],
  },
  "gcp-iam-no-user-principals-or-keys": {
    compliant: [grant("roles/cloudtrace.agent", "group:g@x.com")],
    violations: [
      violation("user", [grant("roles/cloudtrace.agent", "user:me@x.com")], /user principal/, {
        ids: ["CIS 1.1"],
      }),
      violation(
        "default SA",
        [grant("roles/cloudtrace.agent", "serviceAccount:1-compute@developer.gserviceaccount.com")],
        /default service account/,
        {
          ids: ["CKV_GCP_46"],
        },
      ),
      violation(
        "default SA on the organisation",
        [
          res(T.orgIam, {
            orgId: "1",
            role: "roles/browser",
            member: "serviceAccount:p@appspot.gserviceaccount.com",
          }),
        ],
        /default service account/,
        { ids: ["CKV_GCP_47"] },
      ),
      violation(
        "default SA on a folder",
        [
          res(T.folderIam, {
            folder: "folders/1",
            role: "roles/browser",
            member: "serviceAccount:1-compute@developer.gserviceaccount.com",
          }),
        ],
        /default service account/,
        { ids: ["CKV_GCP_48"] },
      ),
      violation("key", [res(T.saKey, { serviceAccountId: "a" })], /long-lived/, {
        ids: ["CKV2_GCP_3", "CIS 1.4", "CIS 1.7"],
      }),
      violation(
        "public image repository",
        [
          res("gcp:artifactregistry/repositoryIamMember:RepositoryIamMember", {
            project: "registry",
            location: "us",
            repository: "r",
            role: "roles/artifactregistry.reader",
            member: "allUsers",
          }),
        ],
        /may not read an image repository/,
        { ids: ["CKV_GCP_101"] },
      ),
    ],
    unknown: [grant("roles/cloudtrace.agent", UNKNOWN)],
    notApplicable: [OTHER],
  },
  "gcp-iam-no-privilege-escalation": {
    compliant: [
      ...WORKLOAD_ROLES.map((r) => grant(r)),
      grant("roles/clouddeploy.jobRunner", EXECUTOR),
      grant("roles/run.developer", EXECUTOR),
      pipelineGrant({
        serviceAccountId: `projects/${PROJECT}/serviceAccounts/svc-sa@${PROJECT}.iam.gserviceaccount.com`,
        role: "roles/iam.serviceAccountUser",
        member: EXECUTOR,
      }),
      customRole("bigquery.tables.getData", "storage.buckets.list"),
      grant(
        "roles/servicenetworking.serviceAgent",
        "serviceAccount:service-123456789012@service-networking.iam.gserviceaccount.com",
      ),
      res(SA_IAM, { serviceAccountId: "x", role: "roles/iam.serviceAccountViewer", member: "group:g@x.com" }),
    ],
    violations: [
      violation(
        "spec role: Service Account User at project level",
        [grant("roles/iam.serviceAccountUser")],
        /acts as any service account/,
        {
          ids: ["CKV_GCP_41", "CIS 1.6"],
        },
      ),
      violation(
        "Token Creator at project level",
        [grant("roles/iam.serviceAccountTokenCreator", "group:g@x.com")],
        /mints access/,
        {
          ids: ["CKV_GCP_49", "CKV_GCP_41", "CIS 1.6"],
        },
      ),
      violation("an admin role for a service account", [grant("roles/storage.admin")], /administrator/, {
        ids: ["CKV_GCP_42", "CIS 1.5"],
      }),
      violation(
        "Service Account Admin (separation of duties)",
        [grant("roles/iam.serviceAccountAdmin", "group:g@x.com")],
        /manages service accounts/,
        {
          ids: ["CIS 1.8", "CKV_GCP_49"],
        },
      ),
      violation(
        "a service-agent role for another identity than its own agent",
        [
          grant(
            "roles/servicenetworking.serviceAgent",
            "serviceAccount:service-123456789012@serverless-robot-prod.iam.gserviceaccount.com",
          ),
        ],
        /service-agent role/,
      ),
      violation("spec role: Cloud Build editor", [grant("roles/cloudbuild.builds.editor")], /Cloud Build/),
      violation(
        "spec role: Workload Identity User",
        [grant("roles/iam.workloadIdentityUser")],
        /external identities/,
      ),
      violation(
        "spec role: project IAM admin",
        [grant("roles/resourcemanager.projectIamAdmin")],
        /project's IAM policy/,
      ),
      violation("a data owner role", [grant("roles/bigquery.dataOwner")], /owner/),
      violation(
        "impersonation at folder level",
        [
          res(T.folderIam, {
            folder: "folders/1",
            role: "roles/iam.workloadIdentityUser",
            member: "group:g@x.com",
          }),
        ],
        /at folder level/,
        { ids: ["CKV_GCP_44"] },
      ),
      violation(
        "security admin at organisation level",
        [res(T.orgIam, { orgId: "1", role: "roles/iam.securityAdmin", member: "group:g@x.com" })],
        /at organisation level/,
        { ids: ["CKV_GCP_45"] },
      ),
      violation(
        "a project IAM policy document",
        [
          res("gcp:projects/iAMPolicy:IAMPolicy", {
            project: PROJECT,
            policyData: JSON.stringify({
              bindings: [{ role: "roles/resourcemanager.projectIamAdmin", members: [SA] }],
            }),
          }),
        ],
        /projectIamAdmin at project level/,
      ),
      violation(
        "custom role: setIamPolicy on the project",
        [customRole("resourcemanager.projects.setIamPolicy")],
        /sets an IAM policy/,
      ),
      violation(
        "custom role: setIamPolicy on a secret",
        [customRole("secretmanager.secrets.setIamPolicy")],
        /sets an IAM policy/,
      ),
      violation(
        "custom role: key creation",
        [customRole("iam.serviceAccountKeys.create")],
        /long-lived keys/,
      ),
      violation(
        "custom role: token minting",
        [customRole("iam.serviceAccounts.getAccessToken")],
        /mints access tokens/,
      ),
      violation("custom role: signing", [customRole("iam.serviceAccounts.signJwt")], /signs tokens/),
      violation("custom role: actAs", [customRole("iam.serviceAccounts.actAs")], /attaches service accounts/),
      violation(
        "custom role: implicit delegation",
        [customRole("iam.serviceAccounts.implicitDelegation")],
        /chains impersonation/,
      ),
      violation("custom role: role admin", [customRole("iam.roles.update")], /adds permissions/),
      violation("custom role: org policy", [customRole("orgpolicy.policy.set")], /organisation policy/),
      violation("custom role: Cloud Build", [customRole("cloudbuild.builds.create")], /Cloud Build/),
      violation(
        "organisation custom role",
        [
          res("gcp:organizations/iAMCustomRole:IAMCustomRole", {
            orgId: "1",
            roleId: "r",
            permissions: ["iam.serviceAccounts.getOpenIdToken"],
          }),
        ],
        /mints OpenID tokens/,
      ),
      violation(
        "a direct actAs grant outside the pipeline",
        [
          res(SA_IAM, {
            serviceAccountId: "x",
            role: "roles/iam.serviceAccountUser",
            member: "serviceAccount:attacker@evil.iam.gserviceaccount.com",
          }),
        ],
        /only msp:gcp:RolloutPipeline may grant/,
      ),
      violation(
        "Token Creator on an account",
        [
          pipelineGrant({
            serviceAccountId: "x",
            role: "roles/iam.serviceAccountTokenCreator",
            member: EXECUTOR,
          }),
        ],
        /mints access/,
      ),
      violation(
        "pipeline actAs for a user",
        [
          pipelineGrant({
            serviceAccountId: "x",
            role: "roles/iam.serviceAccountUser",
            member: "user:me@x.com",
          }),
        ],
        /acts as any service account/,
      ),
    ],
    unknown: [grant(UNKNOWN), res(CUSTOM_ROLE, { roleId: "r", permissions: UNKNOWN })],
    notApplicable: [OTHER, grant("roles/owner", "group:g@x.com")],
    config: [
      [
        "no component may delegate",
        { delegationComponents: [] },
        [pipelineGrant({ serviceAccountId: "x", role: "roles/iam.serviceAccountUser", member: EXECUTOR })],
        true,
      ],
    ],
  },
  "gcp-secret-access-allowlist": {
    baseConfig: SETTINGS,
    compliant: [
      res(T.project, GCP_PROJECT),
      secretGrant("sourcegraph-secrets"),
      secretGrant(PROJECT),
      runReading("projects/sourcegraph-secrets/secrets/IDP"),
      runReading(`projects/${PROJECT}/secrets/OWN`),
      runReading("OWN"),
      grant("roles/secretmanager.secretAccessor"),
    ],
    violations: [
      violation(
        "a grant in the shared secrets project",
        [res(T.project, GCP_PROJECT), secretGrant("msp-platform-secrets", "SOURCEGRAPH_WILDCARD_KEY")],
        /platform's shared secrets project/,
      ),
      violation(
        "a grant in another service's project",
        [res(T.project, GCP_PROJECT), secretGrant("pings-prod-2f4f")],
        /neither the environment's project/,
      ),
      violation(
        "a grant by full secret name",
        [
          res(T.project, GCP_PROJECT),
          res(SECRET_IAM, {
            secretId: "projects/msp-platform-secrets/secrets/SLACK_OPERATOR_BOT_TOKEN",
            role: "roles/secretmanager.secretAccessor",
            member: SA,
          }),
        ],
        /shared secrets project/,
      ),
      violation(
        "a variable from the shared project",
        [
          res(T.project, GCP_PROJECT),
          runReading("projects/msp-platform-secrets/secrets/SLACK_OPERATOR_BOT_TOKEN"),
        ],
        /Variable KEY reads secrets of project "msp-platform-secrets"/,
      ),
      violation(
        "a volume from another project",
        [
          res(T.project, GCP_PROJECT),
          res(T.runService, {
            ...RUN,
            template: {
              ...RUN.template,
              volumes: [{ name: "v", secret: { secret: "projects/other-prod-1/secrets/K" } }],
            },
          }),
        ],
        /Volume v reads secrets of project "other-prod-1"/,
      ),
      violation(
        "a job variable from the shared project",
        [
          res(T.project, GCP_PROJECT),
          res(T.runJob, {
            ...JOB,
            template: {
              template: {
                ...JOB.template.template,
                containers: [
                  {
                    envs: [
                      {
                        name: "K",
                        valueSource: { secretKeyRef: { secret: "projects/msp-platform-secrets/secrets/X" } },
                      },
                    ],
                  },
                ],
              },
            },
          }),
        ],
        /shared secrets project/,
      ),
      violation(
        "project-wide accessor in the shared project",
        [
          res(T.project, GCP_PROJECT),
          res(PROJECT_IAM, {
            project: "msp-platform-secrets",
            role: "roles/secretmanager.secretAccessor",
            member: SA,
          }),
        ],
        /on a whole project reads secrets/,
      ),
    ],
    unknown: [
      res(T.project, GCP_PROJECT),
      res(SECRET_IAM, {
        project: UNKNOWN,
        secretId: "X",
        role: "roles/secretmanager.secretAccessor",
        member: SA,
      }),
    ],
    notApplicable: [OTHER],
    config: [
      [
        "the allowlist emptied",
        { secretProjects: [] },
        [res(T.project, GCP_PROJECT), secretGrant("sourcegraph-secrets")],
        true,
      ],
      [
        "another project allowlisted",
        { secretProjects: ["pings-prod-2f4f"] },
        [res(T.project, GCP_PROJECT), secretGrant("pings-prod-2f4f")],
        false,
      ],
      [
        "no generated config: only the own project",
        { sharedSecretsProject: "", secretProjects: [] },
        [res(T.project, GCP_PROJECT), secretGrant("msp-platform-secrets")],
        true,
      ],
    ],
  },
  "cloudflare-dns-safe-hostname": {
    compliant: [
      res(T.dnsRecord, { name: "svc-1.sgdev.org", type: "A" }),
      res(T.dnsRecord, { name: "_acme-challenge.svc.sgdev.org", type: "TXT" }),
    ],
    violations: [
      violation(
        "wildcard",
        [res(T.dnsRecord, { name: "*.sourcegraph.com", type: "A", proxied: true })],
        /wildcard/,
      ),
      violation("wildcard label", [res(T.dnsRecord, { name: "a*.sgdev.org", type: "CNAME" })], /wildcard/),
      violation("punycode", [res(T.dnsRecord, { name: "xn--80ak6aa92e.sgdev.org", type: "A" })], /punycode/),
      violation(
        "Cyrillic look-alike",
        [res(T.dnsRecord, { name: "\u0430ccounts.sourcegraph.com", type: "A" })],
        /non-ASCII/,
      ),
      violation("not a label", [res(T.dnsRecord, { name: "-svc.sgdev.org", type: "A" })], /not a DNS label/),
      violation(
        "underscore in a host name",
        [res(T.dnsRecord, { name: "_svc.sgdev.org", type: "A" })],
        /not a DNS label/,
      ),
    ],
    unknown: [res(T.dnsRecord, { name: UNKNOWN, type: "A" })],
    notApplicable: [OTHER],
  },
  "gcp-bigquery-not-public": {
    compliant: [res(T.dataset, { accesses: [{ role: "READER", groupByEmail: "g@x.com" }] })],
    violations: [
      violation(
        "dataset access",
        [res(T.dataset, { accesses: [{ role: "READER", specialGroup: "allAuthenticatedUsers" }] })],
        /allAuthenticatedUsers/,
        {
          ids: ["CKV_GCP_15", "CIS 7.1"],
        },
      ),
      violation(
        "dataset IAM member",
        [res(T.datasetIam, { role: "roles/bigquery.dataViewer", member: "allUsers" })],
        /allUsers is granted/,
        {
          ids: ["CIS 7.1"],
        },
      ),
      violation(
        "table IAM member",
        [res(T.tableIam, { role: "roles/bigquery.dataViewer", member: "allUsers" })],
        /allUsers is granted/,
        {
          ids: ["CKV_GCP_100"],
        },
      ),
    ],
    unknown: [res(T.dataset, { accesses: UNKNOWN })],
    notApplicable: [OTHER],
  },
  "gcp-storage-bucket-private": {
    compliant: [
      res(BUCKET, BUCKET_OK),
      res(BUCKET_IAM, { bucket: "b", role: "roles/storage.admin", member: SA }),
    ],
    violations: [
      violation(
        "public access prevention inherited",
        [res(BUCKET, { ...BUCKET_OK, publicAccessPrevention: "inherited" })],
        /publicAccessPrevention is inherited/,
        {
          ids: ["CKV_GCP_114"],
        },
      ),
      violation(
        "public access prevention unset",
        [res(BUCKET, { name: "b", uniformBucketLevelAccess: true })],
        /publicAccessPrevention/,
        {
          ids: ["CKV_GCP_114"],
        },
      ),
      violation(
        "fine-grained ACLs",
        [res(BUCKET, { ...BUCKET_OK, uniformBucketLevelAccess: false })],
        /Uniform bucket-level access is off/,
        {
          ids: ["CKV_GCP_29", "CIS 5.2"],
        },
      ),
      violation(
        "uniform bucket-level access unset (GCS's fine-grained default)",
        [res(BUCKET, { name: "b", publicAccessPrevention: "enforced" })],
        /Uniform bucket-level access is off/,
      ),
      violation(
        "allUsers reads the bucket",
        [res(BUCKET_IAM, { bucket: "b", role: "roles/storage.objectViewer", member: "allUsers" })],
        /allUsers is granted/,
        {
          ids: ["CKV_GCP_28", "CIS 5.1"],
        },
      ),
      violation(
        "a binding with allAuthenticatedUsers",
        [
          res("gcp:storage/bucketIAMBinding:BucketIAMBinding", {
            bucket: "b",
            role: "roles/storage.objectViewer",
            members: ["group:g@x.com", "allAuthenticatedUsers"],
          }),
        ],
        /allAuthenticatedUsers is granted/,
        { ids: ["CKV_GCP_28", "CIS 5.1"] },
      ),
    ],
    unknown: [res(BUCKET, { ...BUCKET_OK, publicAccessPrevention: UNKNOWN })],
    notApplicable: [OTHER],
  },
  "gcp-network-no-default-network": {
    compliant: [res(T.project, GCP_PROJECT), res(NETWORK, { name: "svc", autoCreateSubnetworks: false })],
    violations: [
      violation(
        "project creates the default network",
        [res(T.project, { ...GCP_PROJECT, autoCreateNetwork: true })],
        /default network/,
        {
          ids: ["CKV_GCP_27", "CIS 3.1"],
        },
      ),
      violation(
        "autoCreateNetwork unset (GCP's default is true)",
        [res(T.project, { projectId: PROJECT })],
        /default network/,
        {
          ids: ["CKV_GCP_27", "CIS 3.1"],
        },
      ),
      violation(
        "auto-mode network",
        [res(NETWORK, { name: "svc", autoCreateSubnetworks: true })],
        /auto-mode network/,
        {
          ids: ["CKV2_GCP_2", "CIS 3.2"],
        },
      ),
      violation("autoCreateSubnetworks unset", [res(NETWORK, { name: "svc" })], /auto-mode network/),
    ],
    unknown: [res(NETWORK, { name: "svc", autoCreateSubnetworks: UNKNOWN })],
    notApplicable: [OTHER],
  },
  "gcp-subnet-flow-logs-private-access": {
    compliant: [res(SUBNET, SUBNET_OK)],
    violations: [
      violation("no flow logs", [res(SUBNET, { ...SUBNET_OK, logConfig: undefined })], /flow logs are off/, {
        ids: ["CKV_GCP_26", "CIS 3.8"],
      }),
      violation(
        "flow logs without metadata",
        [res(SUBNET, { ...SUBNET_OK, logConfig: { metadata: "EXCLUDE_ALL_METADATA" } })],
        /exclude all metadata/,
      ),
      violation(
        "no private Google access",
        [res(SUBNET, { ...SUBNET_OK, privateIpGoogleAccess: false })],
        /privateIpGoogleAccess is off/,
        {
          ids: ["CKV_GCP_74"],
        },
      ),
      violation(
        "private Google access unset",
        [res(SUBNET, { name: "s", logConfig: SUBNET_OK.logConfig })],
        /privateIpGoogleAccess is off/,
        {
          ids: ["CKV_GCP_74"],
        },
      ),
      violation(
        "dual-stack without IPv6 private access",
        [
          res(SUBNET, {
            ...SUBNET_OK,
            stackType: "IPV4_IPV6",
            privateIpv6GoogleAccess: "DISABLE_GOOGLE_ACCESS",
          }),
        ],
        /Dual-stack subnet/,
        { ids: ["CKV_GCP_76"] },
      ),
    ],
    unknown: [res(SUBNET, { ...SUBNET_OK, privateIpGoogleAccess: UNKNOWN })],
    notApplicable: [OTHER, res(SUBNET, { name: "proxy", purpose: "REGIONAL_MANAGED_PROXY" })],
  },
  "gcp-audit-logging-data-access": {
    compliant: [res(T.project, GCP_PROJECT), res(AUDIT, AUDIT_CONFIG)],
    violations: [
      violation(
        "no audit config",
        [res(T.project, GCP_PROJECT)],
        /no ADMIN_READ, DATA_READ, DATA_WRITE audit logging/,
        {
          ids: ["CKV2_GCP_5", "CIS 2.1"],
        },
      ),
      violation(
        "DATA_READ missing",
        [
          res(T.project, GCP_PROJECT),
          res(AUDIT, {
            ...AUDIT_CONFIG,
            auditLogConfigs: [{ logType: "ADMIN_READ" }, { logType: "DATA_WRITE" }],
          }),
        ],
        /no DATA_READ audit logging/,
        { ids: ["CKV2_GCP_5", "CIS 2.1"] },
      ),
      violation(
        "only one service",
        [res(T.project, GCP_PROJECT), res(AUDIT, { ...AUDIT_CONFIG, service: "storage.googleapis.com" })],
        /for allServices/,
        { ids: ["CKV2_GCP_5"] },
      ),
      violation(
        "another project's config",
        [res(T.project, GCP_PROJECT), res(AUDIT, { ...AUDIT_CONFIG, project: "other" })],
        /has no ADMIN_READ/,
      ),
      violation(
        "an exempted member",
        [
          res(T.project, GCP_PROJECT),
          res(AUDIT, {
            ...AUDIT_CONFIG,
            auditLogConfigs: [
              { logType: "ADMIN_READ" },
              { logType: "DATA_READ", exemptedMembers: ["user:me@x.com"] },
              { logType: "DATA_WRITE" },
            ],
          }),
        ],
        /exempts user:me@x.com/,
        { ids: ["CKV2_GCP_5", "CIS 2.1"] },
      ),
    ],
    unknown: [res(T.project, GCP_PROJECT), res(AUDIT, { ...AUDIT_CONFIG, auditLogConfigs: UNKNOWN })],
    notApplicable: [OTHER],
  },
  "msp-provider-settings": {
    // The platform's own providers (program/builders/foundation.ts): the stack's project and region only.
    compliant: [
      res(T.project, GCP_PROJECT),
      gcpProvider({}),
      res("pulumi:providers:cloudflare", { version: "6.22.1" }, { name: "cloudflare" }),
      // A billing project that is the stack's own (Service Networking bills the caller: issue 21).
      gcpProvider({ billingProject: PROJECT, userProjectOverride: "true" }),
    ],
    violations: [
      violation(
        "another project",
        [res(T.project, GCP_PROJECT), gcpProvider({ project: "accounts-prod-1234" })],
        /project is "accounts-prod-1234", not this stack's \(svc-prod-ab12\)/,
      ),
      violation(
        "no project (the ambient one)",
        [res(T.project, GCP_PROJECT), gcpProvider({ project: undefined })],
        /project is unset/,
      ),
      violation(
        "impersonation",
        [
          res(T.project, GCP_PROJECT),
          gcpProvider({ impersonateServiceAccount: "admin@other.iam.gserviceaccount.com" }),
        ],
        /sets impersonateServiceAccount: the deploy would act as another identity/,
      ),
      violation(
        "its own credentials",
        [res(T.project, GCP_PROJECT), gcpProvider({ credentials: '{"type":"service_account"}' })],
        /sets credentials/,
      ),
      violation(
        "an access token",
        [res(T.project, GCP_PROJECT), gcpProvider({ accessToken: "ya29.x" })],
        /sets accessToken/,
      ),
      violation(
        "another billing project",
        [res(T.project, GCP_PROJECT), gcpProvider({ billingProject: "platform-billing" })],
        /bills API calls to "platform-billing"/,
      ),
      violation(
        "a custom endpoint",
        [
          res(T.project, GCP_PROJECT),
          gcpProvider({ secretManagerCustomEndpoint: "https://evil.example/v1/" }),
        ],
        /sets secretManagerCustomEndpoint: its API calls, with the deploy's token, would go elsewhere/,
      ),
      violation(
        "the default provider configured by the stack file",
        [
          res(T.project, GCP_PROJECT),
          res(
            "pulumi:providers:gcp",
            { project: "other-1234", version: "9.37.0" },
            { name: "default_9_37_0" },
          ),
        ],
        /project is "other-1234"/,
      ),
      violation(
        "a Cloudflare token in the program",
        [res("pulumi:providers:cloudflare", { apiToken: "cf-token" }, { name: "cloudflare" })],
        /Cloudflare provider sets apiToken/,
      ),
    ],
    unknown: [res(T.project, GCP_PROJECT), gcpProvider({ project: UNKNOWN })],
    notApplicable: [OTHER, res(T.project, GCP_PROJECT), res(T.runService, RUN)],
  },
};
