/**
 * The environment's monitoring: notification channels, the precondition log metric, the uptime check, the
 * alert policies and their dashboard.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ResolvedEnvironment } from "../../resolve/model";
import { NotificationChannels } from "../../components/monitoring/notification-channels";
import { LogMetric } from "../../components/monitoring/log-metric";
import { UptimeCheck } from "../../components/monitoring/uptime-check";
import { AlertPolicies } from "../../components/monitoring/alert-policies";
import { Dashboard } from "../../components/monitoring/dashboard";
import { PagerDutyPaging } from "../../components/monitoring/pagerduty";
import { movedFrom, type FormerComponent } from "../moved";
import type { Foundation } from "./foundation";

/** Until these parts had their own components, one AlertPolicies component created them all. */
export const FORMER_MONITORING: FormerComponent = {
  name: "monitoring",
  type: "msp:monitoring:AlertPolicies",
};

export interface Monitoring {
  readonly dashboardId: pulumi.Output<string>;
  /** The notification channels alerts of each severity reach, and each owner's paging channel. */
  readonly channels: NotificationChannels;
}

export function buildMonitoring(env: ResolvedEnvironment, base: Foundation): Monitoring {
  const m = env.monitoring;
  const projectId = base.project.projectId;
  const name = "monitoring";
  // Resources that moved out of AlertPolicies keep their state (and their names) through aliases.
  const moved = { ...base.opts, transformations: [movedFrom(FORMER_MONITORING)] };
  const pagerDuty =
    m.pagerDuty &&
    new PagerDutyPaging(
      `${name}-pagerduty`,
      {
        token: base.sharedSecret(m.pagerDuty.tokenSecret),
        services: m.pagerDuty.services,
        allowDestroys: env.allowDestroys,
      },
      base.opts,
    );
  const channels = new NotificationChannels(
    name,
    {
      projectId,
      slackChannels: { env: m.slackChannel, shared: m.sharedSlackChannel },
      slackToken: base.sharedSecret(m.slackTokenSecret),
      pagingWebhooks: Object.fromEntries(
        Object.entries(m.pagingWebhookSecrets).map(([owner, secret]) => [owner, base.sharedSecret(secret)]),
      ),
      pagerDutyKeys: pagerDuty?.integrationKeys,
    },
    moved,
  );
  const preconditionMetric =
    m.preconditionMetric &&
    new LogMetric(
      `${name}-precondition`,
      {
        projectId,
        metricName: m.preconditionMetric.name,
        filter: m.preconditionMetric.filter,
        labelExtractors: m.preconditionMetric.labelExtractors,
      },
      moved,
    );
  const uptime =
    m.uptime &&
    new UptimeCheck(
      name,
      {
        projectId,
        host: m.uptime.host,
        path: m.uptime.path,
        timeoutSeconds: m.uptime.timeoutSeconds,
        bearerToken: m.uptime.authenticated ? base.diagnostics.token : undefined,
      },
      moved,
    );
  const policies = new AlertPolicies(
    name,
    {
      projectId,
      alerts: m.alerts,
      channels: { warning: channels.warningChannels, critical: channels.criticalChannels },
      uptimeCheckId: uptime?.uptimeCheckId,
      logMetrics: preconditionMetric
        ? [{ name: m.preconditionMetric.name, propagated: preconditionMetric.propagated }]
        : [],
    },
    base.opts,
  );
  const dashboard = new Dashboard(
    name,
    {
      projectId,
      title: m.dashboardTitle,
      handbookUrl: m.handbookUrl,
      groups: m.dashboardGroups.map((g) => ({
        title: g.title,
        policies: g.alertIds.map((id) => policies.policyNamesById[id]!),
      })),
    },
    moved,
  );
  return { dashboardId: dashboard.dashboardId, channels };
}
