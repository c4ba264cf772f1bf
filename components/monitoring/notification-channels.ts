import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOptions } from "../options";

export interface NotificationChannelsArgs {
  readonly projectId: pulumi.Input<string>;
  /** Slack channels every alert reaches, by a key that names the resource (`{ env: "alerts-x-prod" }`). */
  readonly slackChannels: Readonly<Record<string, string>>;
  /** Slack bot token of the Slack channels (kept a Pulumi secret). */
  readonly slackToken: pulumi.Input<string>;
  /** Paging webhook URL per owner team (kept a Pulumi secret: it carries the integration key). Empty: none. */
  readonly pagingWebhooks: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * PagerDuty Events API v2 integration key per owner team (kept a Pulumi secret), each fed to a Cloud
   * Monitoring `pagerduty` channel. Defaults to none. An owner is paged through one or the other, not both.
   */
  readonly pagerDutyKeys?: Readonly<Record<string, pulumi.Input<string>>>;
}

/**
 * Cloud Monitoring notification channels: Slack channels for every alert; for critical ones, each owner's
 * paging webhook or PagerDuty service.
 */
export class NotificationChannels extends pulumi.ComponentResource {
  /** Channels WARNING alerts notify: the Slack channels. */
  public readonly warningChannels: pulumi.Output<string>[];
  /** Channels CRITICAL alerts notify: the Slack channels and the paging webhooks. */
  public readonly criticalChannels: pulumi.Output<string>[];
  /** Each owner's paging channel, by owner (none when nobody is paged). */
  public readonly pagingChannels: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: NotificationChannelsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("msp:monitoring:NotificationChannels", name, {}, opts);
    const project = args.projectId;
    this.warningChannels = Object.entries(args.slackChannels).map(
      ([key, channel]) =>
        new gcp.monitoring.NotificationChannel(
          `${name}-slack-${key}`,
          {
            project,
            type: "slack",
            displayName: `#${channel}`,
            labels: { channel_name: `#${channel}` },
            sensitiveLabels: { authToken: pulumi.secret(args.slackToken) },
          },
          childOptions(this),
        ).name,
    );
    const pagerDuty = args.pagerDutyKeys ?? {};
    const twice = Object.keys(pagerDuty).filter((o) => Object.hasOwn(args.pagingWebhooks, o));
    if (twice.length)
      throw new Error(`${name}: ${twice.join(", ")} paged through both a webhook and PagerDuty`);
    const owners = [...Object.keys(args.pagingWebhooks), ...Object.keys(pagerDuty)].sort();
    const paging = owners.map((owner) =>
      Object.hasOwn(pagerDuty, owner)
        ? // Cloud Monitoring's PagerDuty channel takes the integration key as its sensitive service_key.
          new gcp.monitoring.NotificationChannel(
            `${name}-pagerduty-${owner}`,
            {
              project,
              type: "pagerduty",
              displayName: `PagerDuty: ${owner}`,
              sensitiveLabels: { serviceKey: pulumi.secret(pagerDuty[owner]!) },
            },
            childOptions(this),
          ).name
        : new gcp.monitoring.NotificationChannel(
            `${name}-page-${owner}`,
            {
              project,
              type: "webhook_tokenauth",
              displayName: `Paging: ${owner}`,
              labels: { url: pulumi.secret(args.pagingWebhooks[owner]!) },
            },
            childOptions(this),
          ).name,
    );
    this.criticalChannels = [...this.warningChannels, ...paging];
    this.pagingChannels = Object.fromEntries(owners.map((owner, i) => [owner, paging[i]!]));
    this.registerOutputs({
      warningChannels: this.warningChannels,
      criticalChannels: this.criticalChannels,
      pagingChannels: this.pagingChannels,
    });
  }
}
