import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOptions } from "../options";
import { GROUP_ORDER, PRECONDITION_METRIC, type AlertDefinition, type AlertGroup } from "./catalogue";
import { alertDocumentation, alertLabels, dashboardLayout } from "./policy-shape";

/** Alerts close themselves a day after the condition clears (MSP). */
export const AUTO_CLOSE_SECONDS = 86400;

export interface AlertPoliciesArgs {
  readonly projectId: pulumi.Input<string>;
  readonly serviceId: string;
  readonly serviceName: string;
  readonly envId: string;
  /** The catalogue entries to create (see alertCatalogue). */
  readonly alerts: readonly AlertDefinition[];
  /** Environment Slack channel (`alerts-<svc>-<env>`) and the platform's shared one. */
  readonly slackChannel: string;
  readonly sharedSlackChannel: string;
  /** Slack bot token for the notification channels (a Pulumi secret). */
  readonly slackToken: pulumi.Input<string>;
  /** Paging webhook per owner team; only CRITICAL alerts go there. Empty: nobody is paged. */
  readonly pagingWebhooks: Readonly<Record<string, pulumi.Input<string>>>;
  /** The handbook page linked from every alert. */
  readonly handbookUrl: string;
  /** Uptime check target; required when the catalogue holds the uptime alert. */
  readonly uptime?: {
    host: string;
    path: string;
    timeoutSeconds: number;
    bearerToken?: pulumi.Input<string>;
  };
  /** Log-based metric for Cloud Run precondition failures (services only). */
  readonly preconditionMetric?: boolean;
}

/** Notification channels, alert policies, the uptime check and the dashboard of one environment. */
export class AlertPolicies extends pulumi.ComponentResource {
  public readonly policyNames: pulumi.Output<string[]>;
  public readonly dashboardId: pulumi.Output<string>;
  public readonly uptimeCheckId?: pulumi.Output<string>;

  constructor(name: string, args: AlertPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("msp:monitoring:AlertPolicies", name, {}, opts);
    const project = args.projectId;
    const slack = (key: string, channel: string) =>
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
      );
    const warning = [slack("env", args.slackChannel).name, slack("shared", args.sharedSlackChannel).name];
    const paging = Object.keys(args.pagingWebhooks)
      .sort()
      .map(
        (owner) =>
          new gcp.monitoring.NotificationChannel(
            `${name}-page-${owner}`,
            {
              project,
              type: "webhook_tokenauth",
              displayName: `Paging: ${owner}`,
              // The URL carries the integration key.
              labels: { url: pulumi.secret(args.pagingWebhooks[owner]!) },
            },
            childOptions(this),
          ).name,
      );
    const critical = [...warning, ...paging];

    if (args.preconditionMetric)
      new gcp.logging.Metric(
        `${name}-precondition-metric`,
        {
          project,
          name: PRECONDITION_METRIC,
          filter: `resource.type = "cloud_run_revision" AND protoPayload.status.code = "9" AND resource.labels.service_name =~ "^${args.serviceId}.*"`,
          metricDescriptor: {
            metricKind: "DELTA",
            valueType: "INT64",
            labels: [{ key: "service_name", valueType: "STRING" }],
          },
          labelExtractors: { service_name: "EXTRACT(resource.labels.service_name)" },
        },
        childOptions(this),
      );

    let uptimeCheck: gcp.monitoring.UptimeCheckConfig | undefined;
    if (args.uptime)
      uptimeCheck = new gcp.monitoring.UptimeCheckConfig(
        `${name}-uptime`,
        {
          project,
          displayName: `External Uptime Check for ${args.uptime.host}`,
          period: "60s",
          timeout: `${args.uptime.timeoutSeconds}s`,
          monitoredResource: { type: "uptime_url", labels: { host: args.uptime.host, project_id: project } },
          httpCheck: {
            path: args.uptime.path,
            port: 443,
            useSsl: true,
            validateSsl: true,
            acceptedResponseStatusCodes: [{ statusClass: "STATUS_CLASS_2XX" }],
            maskHeaders: true,
            headers: args.uptime.bearerToken
              ? { Authorization: pulumi.secret(pulumi.interpolate`Bearer ${args.uptime.bearerToken}`) }
              : undefined,
          },
        },
        childOptions(this),
      );

    const policies = args.alerts.map((alert) => {
      const channels = alert.severity === "CRITICAL" ? critical : warning;
      return {
        group: alert.group,
        policy: new gcp.monitoring.AlertPolicy(
          `${name}-${alert.id}`,
          {
            project,
            displayName: alert.name,
            combiner: "OR",
            severity: alert.severity,
            enabled: true,
            notificationChannels: channels,
            userLabels: alertLabels(args.serviceId, args.envId, alert),
            alertStrategy: { autoClose: `${AUTO_CLOSE_SECONDS}s` },
            documentation: {
              subject: `${args.serviceName} (${args.envId}): ${alert.name}`,
              mimeType: "text/markdown",
              content: alertDocumentation(alert.description, args.handbookUrl, args.envId),
            },
            conditions: [conditionFor(alert, uptimeCheck)],
          },
          childOptions(this),
        ),
      };
    });

    const byGroup = new Map<AlertGroup, pulumi.Output<string>[]>();
    for (const { group, policy } of policies)
      byGroup.set(group, [...(byGroup.get(group) ?? []), policy.name]);
    const groups = GROUP_ORDER.filter((g) => byGroup.has(g)).map((g) => ({
      title: g,
      policies: byGroup.get(g)!,
    }));
    const dashboard = new gcp.monitoring.Dashboard(
      `${name}-dashboard`,
      {
        project,
        dashboardJson: pulumi.all(groups.map((g) => pulumi.all(g.policies))).apply((names) =>
          JSON.stringify(
            dashboardLayout(
              `MSP Alerts - ${args.serviceName} (${args.envId})`,
              args.handbookUrl,
              groups.map((g, i) => ({ title: g.title, policies: names[i]! })),
            ),
          ),
        ),
      },
      childOptions(this),
    );

    this.policyNames = pulumi.all(policies.map((p) => p.policy.name));
    this.dashboardId = dashboard.id;
    this.uptimeCheckId = uptimeCheck?.uptimeCheckId;
    this.registerOutputs({
      policyNames: this.policyNames,
      dashboardId: this.dashboardId,
      uptimeCheckId: this.uptimeCheckId,
    });
  }
}

function conditionFor(
  alert: AlertDefinition,
  uptime: gcp.monitoring.UptimeCheckConfig | undefined,
): gcp.types.input.monitoring.AlertPolicyCondition {
  const c = alert.condition;
  const duration = `${c.durationSeconds}s`;
  switch (c.kind) {
    case "threshold":
      return {
        displayName: alert.name,
        conditionThreshold: {
          filter: c.filter,
          aggregations: [c.aggregation],
          comparison: c.comparison,
          thresholdValue: c.threshold,
          duration,
          trigger: c.triggerPercent ? { percent: c.triggerPercent } : { count: 1 },
        },
      };
    case "absence":
      return {
        displayName: alert.name,
        conditionAbsent: { filter: c.filter, aggregations: [c.aggregation], duration },
      };
    case "mql":
      return {
        displayName: alert.name,
        conditionMonitoringQueryLanguage: { query: c.query, duration, trigger: { count: 1 } },
      };
    case "promql":
      return { displayName: alert.name, conditionPrometheusQueryLanguage: { query: c.query, duration } };
    case "uptime":
      if (!uptime) throw new Error(`alert ${alert.id} needs the uptime check`);
      return {
        displayName: alert.name,
        conditionThreshold: {
          filter: pulumi.interpolate`metric.type = "monitoring.googleapis.com/uptime_check/check_passed" AND resource.type = "uptime_url" AND metric.labels.check_id = "${uptime.uptimeCheckId}"`,
          aggregations: [
            {
              alignmentPeriod: "180s",
              perSeriesAligner: "ALIGN_FRACTION_TRUE",
              crossSeriesReducer: "REDUCE_MEAN",
              groupByFields: ["metric.labels.host"],
            },
          ],
          comparison: "COMPARISON_LT",
          thresholdValue: c.threshold,
          duration,
          // Six checker regions each report; alert only when all agree, to avoid one flaky region paging.
          trigger: { percent: 100 },
        },
      };
  }
}
