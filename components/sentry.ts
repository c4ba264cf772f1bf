import * as pulumi from "@pulumi/pulumi";
import * as sentry from "@pulumiverse/sentry";
import { childOptions, statefulOptions } from "./options";
import { createSecret } from "./secret";
import {
  SENTRY_DSN_SECRET,
  SENTRY_KEY_NAME,
  sentryProjectUrl,
  sentrySlackAlertRule,
  type SentrySlackAlert,
} from "../plans/sentry-project-plan";

export interface ErrorReportingArgs {
  /** Sentry organization slug (the platform's `msp:sentryOrganization`). */
  readonly organization: string;
  /** Team the project belongs to. */
  readonly team: string;
  /** Project slug, `<service>-<env>`. */
  readonly slug: string;
  /** Project name, `<service name> - <env>`. */
  readonly name: string;
  /** Sentry API token, read from the shared secrets project at deploy time (a Pulumi secret). */
  readonly token: pulumi.Input<string>;
  /** GCP project where the DSN secret is kept. */
  readonly projectId: pulumi.Input<string>;
  readonly labels: Record<string, string>;
  /** Lift `protect` from the project and the secret (spec `allowDestroys`). Defaults to false. */
  readonly allowDestroys?: boolean;
  /**
   * Post the project's issues to a Slack channel through the organization's Slack integration (MSP's "Notify
   * in Slack" issue alert rule). Defaults to none.
   */
  readonly slackAlert?: SentrySlackAlert;
}

/**
 * A Sentry project per service environment with a client key (reference §2.3): the DSN is stored in Secret
 * Manager and given to the container as SENTRY_DSN through a secret reference, never as a plain value. With
 * `slackAlert`, an issue alert rule posts new and recurring issues to the environment's Slack channel.
 */
export class ErrorReporting extends pulumi.ComponentResource {
  /** Secret Manager secret ID of the DSN. */
  public readonly dsnSecretId: pulumi.Output<string>;
  public readonly projectSlug: pulumi.Output<string>;
  /** The project's page in Sentry. */
  public readonly url: pulumi.Output<string>;

  constructor(name: string, args: ErrorReportingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("msp:sentry:ErrorReporting", name, {}, opts);
    const allowDestroys = args.allowDestroys ?? false;
    const provider = new sentry.Provider(
      `${name}-provider`,
      { token: pulumi.secret(args.token) },
      { parent: this },
    );
    const project = new sentry.SentryProject(
      `${name}-project`,
      { organization: args.organization, teams: [args.team], name: args.name, slug: args.slug },
      statefulOptions(this, allowDestroys, { provider }),
    );
    const key = new sentry.SentryKey(
      `${name}-key`,
      { organization: args.organization, project: project.slug, name: SENTRY_KEY_NAME },
      childOptions(this, { provider, additionalSecretOutputs: ["dsnPublic", "dsnSecret", "dsnCsp"] }),
    );
    this.dsnSecretId = createSecret(this, `${name}-dsn`, {
      projectId: args.projectId,
      secretId: SENTRY_DSN_SECRET,
      data: key.dsnPublic,
      labels: args.labels,
      allowDestroys,
    });
    if (args.slackAlert) {
      const alert = args.slackAlert;
      // The integration's ID, looked up by name: it is the `workspace` of Slack actions.
      const slack = sentry.getSentryOrganizationIntegrationOutput(
        { organization: args.organization, providerKey: "slack", name: alert.integration },
        { parent: this, provider },
      );
      const rule = slack.id.apply((workspace) => sentrySlackAlertRule(alert, workspace));
      new sentry.SentryIssueAlert(
        `${name}-slack-alert`,
        {
          organization: args.organization,
          project: project.slug,
          name: rule.name,
          actionMatch: rule.actionMatch,
          filterMatch: rule.filterMatch,
          frequency: rule.frequency,
          conditions: rule.conditions,
          actions: rule.actions,
        },
        childOptions(this, { provider }),
      );
    }
    this.projectSlug = project.slug;
    this.url = project.slug.apply((slug) => sentryProjectUrl(args.organization, slug));
    this.registerOutputs({ dsnSecretId: this.dsnSecretId, projectSlug: this.projectSlug, url: this.url });
  }
}
