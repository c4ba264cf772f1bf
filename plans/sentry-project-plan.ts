/** Sentry per service environment (reference §2.3 "Sentry", §5): names and links, pure. */

/** MSP's Sentry project slug: `<service>-<env>`. */
export const sentryProjectSlug = (serviceId: string, envId: string) => `${serviceId}-${envId}`;

/** The project's name as MSP shows it: `<service name> - <env>`. */
export const sentryProjectName = (serviceName: string, envId: string) => `${serviceName} - ${envId}`;

/** The project's page in the organization's Sentry (the handbook's Errors row). */
export const sentryProjectUrl = (organization: string, slug: string) =>
  `https://${organization}.sentry.io/projects/${slug}/`;

/** MSP names the client key after the platform. */
export const SENTRY_KEY_NAME = "Managed Services Platform";

/** Secret Manager secret holding the DSN; the container reads it as SENTRY_DSN. */
export const SENTRY_DSN_SECRET = "SENTRY_DSN";

/** Where a project's Slack issue alert posts: the Sentry Slack integration's name and the channel. */
export interface SentrySlackAlert {
  /** Name of the organization's Slack integration in Sentry (resolved to its ID at deploy time). */
  readonly integration: string;
  /** `#alerts-<service>-<env>`. */
  readonly channel: string;
  /** Tags shown in the Slack message (MSP: `msp-<service>-<env>`). */
  readonly tags: string;
}

/** MSP's tags on the Slack message of an issue. */
export const sentrySlackAlertTags = (serviceId: string, envId: string) => `msp-${serviceId}-${envId}`;

// Sentry's rule registry (https://github.com/getsentry/sentry/tree/master/src/sentry/rules): the condition and
// action IDs the issue alert API takes (https://docs.sentry.io/api/alerts/create-an-issue-alert-rule-for-a-project/).
export const EVENT_FREQUENCY_CONDITION = "sentry.rules.conditions.event_frequency.EventFrequencyCondition";
export const SLACK_NOTIFY_ACTION = "sentry.integrations.slack.notify_action.SlackNotifyServiceAction";

/** The inputs of a SentryIssueAlert (maps of strings, as the provider takes them), minus organization and project. */
export interface SentryIssueAlertPlan {
  name: string;
  actionMatch: "any" | "all";
  filterMatch: "any" | "all" | "none";
  /** Minutes between two notifications for one issue (Sentry accepts 5 to 43200). */
  frequency: number;
  conditions: Record<string, string>[];
  actions: Record<string, string>[];
}

/**
 * MSP's "Notify in Slack" rule (monitoring stack, createSentryAlerts): any issue seen in the last 15 minutes
 * (seen more than 0 times) is posted to the channel, at most once every 15 minutes per issue. `filterMatch` is
 * "all" with no filters, as MSP sets it: Sentry defaults it and the provider would otherwise plan a change.
 * `workspace` is the Slack integration's ID; Sentry resolves the channel name to its ID when it saves the rule.
 */
export function sentrySlackAlertRule(alert: SentrySlackAlert, workspaceId: string): SentryIssueAlertPlan {
  return {
    name: "Notify in Slack",
    actionMatch: "any",
    filterMatch: "all",
    frequency: 15,
    conditions: [{ id: EVENT_FREQUENCY_CONDITION, value: "0", interval: "15m" }],
    actions: [{ id: SLACK_NOTIFY_ACTION, workspace: workspaceId, channel: alert.channel, tags: alert.tags }],
  };
}
