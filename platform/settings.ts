/**
 * Platform settings shared by every stack (organisation folders, billing, shared secrets, Slack, zones): the
 * Pulumi project config namespace `msp` (Pulumi.yaml, overridable per stack), read by program/config.ts and
 * applied to each environment by the resolver. No secret lives here: secret material is read from Secret
 * Manager in the shared secrets project at deploy time.
 *
 * Everything that names the organisation (its folders, billing account, Slack workspace, teams, access process,
 * repositories, Google Workspace domain) is a setting without a default: another organisation adopting msp sets
 * its own in Pulumi.yaml (README "Adopting msp in your organisation"; `msp doctor` checks them). Defaults are
 * kept only for names the platform itself chooses (the Slack token's secret, the paging secrets' prefix).
 */
import { z } from "zod";

export const platformSettingsSchema = z.object({
  /** GCP folder per category, `folders/<numeric ID>`. */
  folders: z.object({ test: z.string(), internal: z.string(), external: z.string() }),
  /** The folders' names as the organisation's access requests name them (handbook pages' access tables). */
  folderNames: z.object({ test: z.string(), internal: z.string(), external: z.string() }),
  billingAccount: z.string(),
  /**
   * Project holding the platform's own credentials (Cloudflare origin certificate, Slack token, paging hooks).
   * Only the deployment reads it, through data sources; workloads may never be granted access to it.
   */
  sharedSecretsProject: z.string(),
  /**
   * Projects, besides the environment's own, whose secrets workloads may read (`secretEnv`, `secretVolumes`
   * with projects/<p>/secrets/<name>). Read from Pulumi.yaml by the spec checks and written into the policy
   * configuration by `msp policy docs`, so set it at project level.
   */
  secretProjects: z.array(z.string()).default([]),
  /**
   * Where images may come from: registry prefixes `<host>/<project>` (Artifact Registry `<location>-docker.pkg.dev`
   * or gcr.io hosts, the project being the registry's) or `<host>/<namespace>` for other registries. A spec's
   * build.image must start with one, and the Cloud Run service agent gets read access to that image's repository
   * only. Project-level: the spec checks read it from Pulumi.yaml.
   */
  imageRegistries: z.array(z.string()).default([]),
  /**
   * Projects, besides the environment's own, where `bigQueryDataset.projectID` may put a dataset (and its grants).
   * Project-level: the spec checks read it from Pulumi.yaml.
   */
  datasetProjects: z.array(z.string()).default([]),
  /** Shared Slack channel every environment also notifies. */
  sharedSlackChannel: z.string().default("alerts-msp"),
  /** Secret (in sharedSecretsProject) holding the Slack bot token used by notification channels. */
  slackTokenSecret: z.string().default("SLACK_OPERATOR_BOT_TOKEN"),
  /** Secrets (in sharedSecretsProject) of the Cloudflare origin certificate and key. */
  originCertificateSecret: z.string(),
  originKeySecret: z.string(),
  /** Prefix of the secret holding each owner team's paging webhook URL (e.g. OPSGENIE_WEBHOOK_core-services). */
  pagingWebhookSecretPrefix: z.string().default("OPSGENIE_WEBHOOK_"),
  /**
   * Secret (in sharedSecretsProject) holding the PagerDuty REST API token, read by environments that set
   * `alerting.paging: pagerduty` to create their owners' PagerDuty services.
   */
  pagerdutyTokenSecret: z.string().default("PAGERDUTY_API_TOKEN"),
  /** Cloudflare zones services may use: the spec checks and the DNS zone policy's configuration read it. */
  allowedZones: z.array(z.string()).default(["sourcegraph.com", "sgdev.org"]),
  /** Base URL of the generated handbook pages (alert documentation links there). */
  handbookUrl: z.string().url(),
  /** Base URL of the specs' folder in the repository (the handbook pages link each spec). */
  specRepositoryUrl: z.string().url(),
  /** The organisation's Slack workspace, `https://<workspace>.slack.com` (channel links in handbook pages). */
  slackWorkspaceUrl: z.string().url(),
  /** Slack channel (without `#`) where service owners ask the platform team for help (pages, alert text). */
  supportChannel: z.string(),
  /** The platform team's name, as the handbook pages name it ("reach out to the <team> team"). */
  platformTeam: z.string(),
  /** Slack handle that reaches the platform team's on-call in platform-wide incidents (`@...`). */
  platformSupportHandle: z.string(),
  /** The organisation's process for requesting infrastructure access, named on the handbook pages. */
  accessRequestProcess: z.string(),
  /**
   * Google Workspace domain of the organisation's staff: `authentication.sourcegraph: true` (MSP's field name)
   * lets every account of this domain invoke the service (`domain:<staffDomain>`).
   */
  staffDomain: z.string(),
  /** Webhook that relays Cloud Deploy notifications to Slack (a URL stored in Secret Manager). */
  rolloutNotificationSecret: z.string().default("MSP_ROLLOUT_NOTIFICATIONS_RELAY_URL"),
  /**
   * Sentry organization slug: each environment gets a Sentry project `<service>-<env>` there and SENTRY_DSN.
   * Unset turns Sentry off (no project, no SENTRY_DSN, no Errors row in the handbook).
   */
  sentryOrganization: z.string().optional(),
  /** Sentry team owning the projects (required with sentryOrganization). */
  sentryTeam: z.string().optional(),
  /**
   * Name of the organisation's Slack integration in Sentry (Settings > Integrations > Slack; MSP's is
   * "Sourcegraph"). Set, each environment's Sentry project gets MSP's "Notify in Slack" issue alert rule, posting
   * its issues to the environment's Slack channel; unset, no rule (Sentry cannot post without the integration).
   */
  sentrySlackIntegration: z.string().optional(),
  /** Secret (in sharedSecretsProject) holding the Sentry API token the deployment uses. */
  sentryTokenSecret: z.string().default("SENTRY_AUTH_TOKEN"),
});

export type PlatformSettings = z.output<typeof platformSettingsSchema>;

export const PLATFORM_CONFIG_KEYS = Object.keys(platformSettingsSchema.shape) as (keyof PlatformSettings)[];

/** Parses the `msp:*` config values (plain JSON values) into settings, failing with the key at fault. */
export function parsePlatformSettings(values: Record<string, unknown>): PlatformSettings {
  const parsed = platformSettingsSchema.safeParse(values);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new Error(
      `Pulumi config msp:${first.path.join(".")}: ${first.message} (set it in Pulumi.yaml or the stack file)`,
    );
  }
  if (parsed.data.sentryOrganization !== undefined && parsed.data.sentryTeam === undefined)
    throw new Error(
      "Pulumi config msp:sentryTeam: required with msp:sentryOrganization (the Sentry team owning the projects) (set it in Pulumi.yaml)",
    );
  if (parsed.data.secretProjects.includes(parsed.data.sharedSecretsProject))
    throw new Error(
      `Pulumi config msp:secretProjects: must not list the shared secrets project "${parsed.data.sharedSecretsProject}" (msp:sharedSecretsProject holds platform credentials)`,
    );
  const shared = parsed.data.sharedSecretsProject;
  if (parsed.data.datasetProjects.includes(shared))
    throw new Error(
      `Pulumi config msp:datasetProjects: must not list the shared secrets project "${shared}" (msp:sharedSecretsProject holds platform credentials)`,
    );
  if (parsed.data.imageRegistries.some((r) => r.split("/")[1] === shared))
    throw new Error(
      `Pulumi config msp:imageRegistries: must not list the shared secrets project "${shared}" (msp:sharedSecretsProject holds platform credentials)`,
    );
  return parsed.data;
}

/** The value of every setting with a default, for readers that see only part of the config. */
export const PLATFORM_DEFAULTS = {
  allowedZones: platformSettingsSchema.shape.allowedZones.parse(undefined),
  secretProjects: platformSettingsSchema.shape.secretProjects.parse(undefined),
  imageRegistries: platformSettingsSchema.shape.imageRegistries.parse(undefined),
  datasetProjects: platformSettingsSchema.shape.datasetProjects.parse(undefined),
} as const;
