/**
 * The resolved model: the shapes of everything resolve/ decides about a service, its environments and their
 * parts, in one file. resolve/environment.ts builds them (from the field defaults of resolve/fields.ts and the
 * alert catalogue of resolve/alerts.ts); the program, the handbook, the CLI and delivery read them.
 */
import type { EnvironmentSpec } from "../servicespec/schema";
import type { Category, CategoryDefaults } from "../platform/categories";
import type { lbNames } from "../platform/naming";
import type { AlertCondition, AlertDefinition, Severity } from "../plans/alert-definition";
import type { Publication } from "../plans/postgres-grants-plan";
import type { ArtifactRegistryImage } from "../platform/image-reference";
import type { SentrySlackAlert } from "../plans/sentry-project-plan";
import type { PlannedPagerDutyService } from "../plans/pagerduty-plan";
import type { LogStream } from "../plans/log-export";
import type { StackOutputSecret } from "./stack-outputs";
import type { SpecContainer } from "./container";

export type AuthenticationMode = "public" | "restricted" | "sourcegraph";

export type AlertGroup =
  | "Custom Alerts"
  | "Response Code Ratio Alerts"
  | "Cloud Run Job Alerts"
  | "Cloud Run Service Alerts"
  | "Cloud SQL Alerts"
  | "Container Alerts"
  | "Redis Alerts"
  | "Rollout Alerts"
  | "Uptime Alerts";

/** An alert before its policy text: what the catalogue decides. */
export interface CatalogueAlert {
  /** Stable key (MSP's msp_alert_id), unique per environment. */
  id: string;
  name: string;
  description: string;
  severity: Severity;
  group: AlertGroup;
  resourceKind: string;
  condition: AlertCondition;
}

/** An alert as the environment creates it: the catalogue entry with its policy labels and documentation. */
export type ResolvedAlert = CatalogueAlert & AlertDefinition;

export interface ResolvedProject {
  /** `<svc>-<env>-<suffix>`, from the spec; it can never change after creation. */
  readonly id: string;
  /** `<name> - <env>`. */
  readonly displayName: string;
  /** The platform's folder for the category. */
  readonly folderId: string;
  readonly billingAccount: string;
  /** The MSP labels, plus collect-security-audit-logs where the category asks for it. */
  readonly labels: Readonly<Record<string, string>>;
  /** `service.iam.services`: APIs enabled on top of the platform's. */
  readonly extraApis: readonly string[];
}

export interface ResolvedIdentities {
  readonly workloadAccountId: string;
  readonly workloadEmail: string;
  /** The workload's Cloud SQL IAM user. */
  readonly workloadSqlUser: string;
  readonly operatorAccountId: string;
  readonly operatorEmail: string;
  readonly operatorSqlUser: string;
  /** `service.iam.roles` and `service.iam.permissions`. */
  readonly extraRoles: readonly string[];
  readonly permissions: readonly string[];
  /** Secrets in other projects the workload reads (accessor grants there). */
  readonly crossProjectSecrets: readonly { project: string; name: string }[];
}

export interface ResolvedNetwork {
  readonly networkName: string;
  readonly subnetName: string;
  readonly subnetCidr: string;
  readonly peeringRangeName: string;
}

export interface ResolvedPostgres {
  readonly instanceName: string;
  /** `project:region:instance`. */
  readonly connectionName: string;
  readonly databases: readonly string[];
  readonly cpu: number;
  readonly memoryGB: number;
  /** `db-custom-<cpu>-<memory MiB>`. */
  readonly tier: string;
  readonly maxConnections?: number;
  /** REGIONAL with a standby: the spec's value, else the category's. */
  readonly highAvailability: boolean;
  readonly pointInTimeRecovery: boolean;
  readonly retainedBackups: number;
  readonly transactionLogRetentionDays: number;
  readonly logicalDecoding: boolean;
  /** PostgreSQL major version of the instance. */
  readonly majorVersion: number;
  /**
   * The instance has a public address that only IAM-authorized Cloud SQL connectors can use
   * (connectorEnforcement REQUIRED, client certificates, no authorized network): operators connect from a
   * laptop with `msp pg connect`, and the deployment makes the grants, without a VPN or a private IP.
   */
  readonly connectorOnlyPublicAddress: boolean;
  /** Logical replication publications (with their slots and the msp-replicationuser role). */
  readonly publications: readonly Publication[];
  /**
   * Database users given the break-glass write role (data changes, no DDL). None: break-glass writes go
   * through the workload account (`msp pg connect --write-access`, which needs the write access request).
   */
  readonly breakGlassWriters: readonly string[];
}

export interface ResolvedSentry {
  readonly organization: string;
  readonly team: string;
  /** `<service>-<env>`. */
  readonly slug: string;
  /** `<service name> - <env>`. */
  readonly name: string;
  /** The project's page. */
  readonly url: string;
  /** Secret (in the shared secrets project) holding the Sentry API token. */
  readonly tokenSecret: string;
  /** The issue alert rule posting to the environment's Slack channel, when Sentry has a Slack integration. */
  readonly slackAlert?: SentrySlackAlert;
}

export interface ResolvedRedis {
  readonly name: string;
  readonly tier: "BASIC" | "STANDARD_HA";
  /** The spec's value, else the category's. */
  readonly highAvailability: boolean;
  readonly memoryGB: number;
}

export interface ResolvedBigQuery {
  readonly projectId: string;
  /** The dataset lives in the environment's own project (not `bigQueryDataset.projectID` elsewhere). */
  readonly inEnvironmentProject: boolean;
  readonly datasetId: string;
  /** Multi-region, US or EUROPE. */
  readonly location: string;
  /** Table name to schema JSON, in spec order. */
  readonly tables: Readonly<Record<string, string>>;
}

/** The /-/healthz probes' timing (fields.probesOf). */
/** Logs in BigQuery (extension `logging.exportToBigQuery`): one sink to a dataset of the environment's project. */
export interface ResolvedLogExport {
  readonly projectId: string;
  readonly datasetId: string;
  /** Multi-region, US or EUROPE. */
  readonly location: string;
  /** The sink's name in the project. */
  readonly sinkName: string;
  /** The sink's filter: every stream's entries. */
  readonly filter: string;
  /** What is exported, each with its table. */
  readonly streams: readonly LogStream[];
}

export interface ProbeTiming {
  readonly timeout: number;
  readonly startupInterval: number;
  readonly livenessInterval: number;
  /** MSP's 3, or enough failures to outlast Direct VPC egress's startup delay (fields.startupFailureThreshold). */
  readonly startupFailureThreshold: number;
}

export interface ResolvedProbes extends ProbeTiming {
  readonly path: string;
}

export interface ResolvedScaling {
  readonly minCount: number;
  readonly maxCount: number;
  readonly maxRequestConcurrency: number;
}

/** The spec's scaling with its defaults (fields.scalingOf). */
export interface SpecScaling extends ResolvedScaling {
  /** The spec had a scaling block (MSP creates the instance-count alert only then). */
  readonly declared: boolean;
}

export interface ResolvedWorkload {
  readonly kind: "service" | "job";
  /** `<svc>-<env>-<region>`, at most 49 characters. */
  readonly cloudRunName: string;
  readonly containerName: string;
  /** `<repository>:<tag>`: the image Pulumi sets (a rollout sets later ones itself). */
  readonly image: string;
  readonly imageRepository: string;
  readonly imageTag: string;
  /** Cloud Deploy sets the image: Pulumi ignores it after creation. */
  readonly imageManagedByRollout: boolean;
  /**
   * Subscription deploys run the digest the tag points to when the deploy runs (`<repository>@sha256:...`,
   * read from Artifact Registry), so a deploy pins what it tested and a moved tag is a visible change.
   */
  readonly pinDigest?: ArtifactRegistryImage & { readonly tag: string };
  readonly cpu: number;
  readonly memory: string;
  readonly generation?: 1 | 2;
  readonly container: SpecContainer;
  /** Secrets of the environment's own project the workload reads: the platform creates their containers. */
  readonly ownSecrets: readonly string[];
  readonly service?: {
    /** The port Cloud Run sends requests to (the container contract's). */
    readonly port: number;
    readonly scaling: ResolvedScaling;
    readonly h2c: boolean;
    /** Ingress INTERNAL_LOAD_BALANCER (always, as in MSP): the load balancer and callers inside Google Cloud. */
    readonly internalLoadBalancerOnly: boolean;
    readonly probes?: ResolvedProbes;
    readonly authentication: AuthenticationMode;
    /** Members granted roles/run.invoker. */
    readonly invokers: readonly string[];
  };
  readonly job?: {
    readonly deadlineSeconds: number;
    readonly cron?: string;
    readonly invokerAccountId: string;
  };
}

/** The spec's Cloudflare domain (fields.domainOf). */
export interface SpecDomain {
  readonly subdomain: string;
  readonly zone: string;
  readonly fqdn: string;
  readonly proxied: boolean;
  readonly loadBalancerLogging: boolean;
}

export interface ResolvedDomain extends SpecDomain {
  readonly url: string;
  /** Cloud Armor admits only Cloudflare's edge (proxied domains of categories that ask for it). */
  readonly cloudArmor: boolean;
  readonly loadBalancerNames: ReturnType<typeof lbNames>;
  /** Where the Cloudflare origin certificate and key are kept. */
  readonly originCertificate: { project: string; certificateSecret: string; keySecret: string };
}

export interface ResolvedMonitoring {
  /** Every alert policy, in dashboard order. */
  readonly alerts: readonly ResolvedAlert[];
  readonly dashboardTitle: string;
  /** Dashboard sections: alert IDs per group, in dashboard order. */
  readonly dashboardGroups: readonly { title: string; alertIds: readonly string[] }[];
  readonly handbookUrl: string;
  readonly slackChannel: string;
  readonly sharedSlackChannel: string;
  /** Secret (in the shared secrets project) holding the Slack bot token. */
  readonly slackTokenSecret: string;
  /** CRITICAL alerts page the owners. */
  readonly pagesOwners: boolean;
  /** Owner team to the secret holding its paging webhook; empty when nobody is paged or PagerDuty pages. */
  readonly pagingWebhookSecrets: Readonly<Record<string, string>>;
  /** Provisioned paging (`alerting.paging: pagerduty`): a PagerDuty service per owner. */
  readonly pagerDuty?: {
    /** Secret (in the shared secrets project) holding the PagerDuty API token. */
    readonly tokenSecret: string;
    readonly services: readonly PlannedPagerDutyService[];
  };
  /** The external uptime check, when the service has a public domain. */
  readonly uptime?: {
    readonly host: string;
    readonly path: string;
    readonly timeoutSeconds: number;
    /** Sends the diagnostics bearer token (the path is /-/healthz). */
    readonly authenticated: boolean;
  };
  /** The log-based metric counting Cloud Run precondition failures (services). */
  readonly preconditionMetric?: {
    readonly name: string;
    readonly filter: string;
    readonly labelExtractors: Readonly<Record<string, string>>;
  };
}

export interface ResolvedRolloutStage {
  readonly envId: string;
  readonly projectId: string;
  readonly cloudRunName: string;
  readonly targetName: string;
  /** The stage's workload account, which deploys act as. */
  readonly workloadEmail: string;
  /** Canary phases (extension `rollout.stages[].canary.percentages`): percent of requests per phase. */
  readonly canaryPercentages?: readonly number[];
}

export interface ResolvedRollout {
  readonly pipelineName: string;
  /** Project and region of the final stage, where the pipeline lives. */
  readonly projectId: string;
  readonly region: string;
  readonly stages: readonly ResolvedRolloutStage[];
  readonly suspended: boolean;
  readonly extraReleaser?: string;
  readonly sourceRepo?: string;
  readonly imageRepository: string;
  readonly skaffoldBucket: string;
  /** Secret (in the shared secrets project) holding the notification relay URL. */
  readonly notificationSecret: string;
}

export interface ResolvedEnvironment {
  /** `<service>-<env>`: the Pulumi stack. */
  readonly stack: string;
  readonly serviceId: string;
  readonly serviceName: string;
  readonly envId: string;
  readonly category: Category;
  /** The category table's row for this environment. */
  readonly categoryDefaults: CategoryDefaults;
  /** Policy pack configuration for previews and deploys. */
  readonly policyConfig: string;
  readonly deployType: EnvironmentSpec["deploy"]["type"];
  readonly region: string;
  /** Stateful resources may be deleted (spec `allowDestroys`): no deletion protection, no `protect`. */
  readonly allowDestroys: boolean;
  readonly project: ResolvedProject;
  /** Labels of every labelable resource. */
  readonly labels: Readonly<Record<string, string>>;
  readonly identities: ResolvedIdentities;
  /** Project holding the platform's credentials, read at deploy time. */
  readonly sharedSecretsProject: string;
  readonly network?: ResolvedNetwork;
  readonly postgres?: ResolvedPostgres;
  readonly redis?: ResolvedRedis;
  readonly bigQuery?: ResolvedBigQuery;
  /** Logs routed to BigQuery, when the spec asks for it. */
  readonly logExport?: ResolvedLogExport;
  readonly workload: ResolvedWorkload;
  readonly domain?: ResolvedDomain;
  readonly monitoring: ResolvedMonitoring;
  /** The Sentry project, when the platform has a Sentry organization (`msp:sentryOrganization`). */
  readonly sentry?: ResolvedSentry;
  /** Where this environment sits in the rollout, if it is a stage of one. */
  readonly rolloutStage?: {
    readonly index: number;
    readonly stages: readonly string[];
    /** This stage's canary phases (percent of requests), when it rolls out in phases. */
    readonly canaryPercentages?: readonly number[];
  };
  /** The delivery pipeline, created in the final stage's environment only. */
  readonly rollout?: ResolvedRollout;
  /** MSP's stack outputs, each kept in a Secret Manager secret of the environment's project. */
  readonly stackOutputSecrets: readonly StackOutputSecret[];
}

export interface ResolvedOrganisation {
  readonly slackWorkspaceUrl: string;
  readonly supportChannel: string;
  readonly platformTeam: string;
  readonly platformSupportHandle: string;
  readonly accessRequestProcess: string;
  readonly folderNames: Readonly<Record<ResolvedEnvironment["category"], string>>;
}

export interface ResolvedService {
  readonly id: string;
  readonly name: string;
  readonly owners: readonly string[];
  /** `service.description`, shown on the handbook page (MSP kept it for Opsgenie only). */
  readonly description: string;
  /** The Notion operations page of `service.notionPageID` (MSP publishes its guide there), when set. */
  readonly notionPageUrl?: string;
  readonly kind: "service" | "job";
  readonly image: string;
  /** `build.source`: none when the spec leaves it out (as MSP allows). */
  readonly source?: { readonly repo: string; readonly dir: string };
  readonly specUrl: string;
  readonly handbookUrl: string;
  /** The organisation's names and places the handbook page refers to (platform settings). */
  readonly organisation: ResolvedOrganisation;
  /** The README beside the spec (its body), shown on the handbook page. */
  readonly readme?: string;
  /** The environments' Slack channels, `<env>` standing for the environment ID. */
  readonly slackChannels: string;
  readonly environments: readonly ResolvedEnvironment[];
  /** The rollout pipeline of the service (the same object as its final stage's `rollout`). */
  readonly rollout?: ResolvedRollout;
}
