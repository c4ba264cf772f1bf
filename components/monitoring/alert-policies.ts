import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOptions } from "../options";
import type { AlertDefinition } from "../../plans/alert-definition";
import { alertReadsLogMetric } from "./log-metric";

/** Alerts close themselves a day after the condition clears (MSP). */
export const AUTO_CLOSE_SECONDS = 86400;

export interface AlertPoliciesArgs {
  readonly projectId: pulumi.Input<string>;
  /** The policies to create; each is named `<name>-<id>`. */
  readonly alerts: readonly AlertDefinition[];
  /** Notification channels (resource names) of WARNING and of CRITICAL alerts. */
  readonly channels: {
    readonly warning: readonly pulumi.Input<string>[];
    readonly critical: readonly pulumi.Input<string>[];
  };
  /** The uptime check whose results `uptime` conditions watch; required when an alert has one. */
  readonly uptimeCheckId?: pulumi.Input<string>;
  /**
   * Log-based metrics created with the policies: a policy reading one waits for `propagated` (the metric
   * created, then a bounded wait; see LogMetric).
   */
  readonly logMetrics?: readonly { readonly name: string; readonly propagated: pulumi.Resource }[];
}

/** Cloud Monitoring alert policies, enabled, closing themselves a day after they clear. */
export class AlertPolicies extends pulumi.ComponentResource {
  /** Resource names of the policies, in the order of `alerts`. */
  public readonly policyNames: pulumi.Output<string[]>;
  /** Resource name of each policy by alert ID (dashboards chart them). */
  public readonly policyNamesById: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: AlertPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("msp:monitoring:AlertPolicies", name, {}, opts);
    const byId: Record<string, pulumi.Output<string>> = {};
    for (const alert of args.alerts) {
      const waitFor = (args.logMetrics ?? [])
        .filter((m) => alertReadsLogMetric(alert, m.name))
        .map((m) => m.propagated);
      byId[alert.id] = new gcp.monitoring.AlertPolicy(
        `${name}-${alert.id}`,
        {
          project: args.projectId,
          displayName: alert.name,
          combiner: "OR",
          severity: alert.severity,
          enabled: true,
          notificationChannels: [
            ...(alert.severity === "CRITICAL" ? args.channels.critical : args.channels.warning),
          ],
          userLabels: { ...alert.labels },
          alertStrategy: {
            autoClose: `${AUTO_CLOSE_SECONDS}s`,
            ...(alert.condition.kind === "log"
              ? { notificationRateLimit: { period: `${alert.condition.notifyEverySeconds}s` } }
              : {}),
          },
          documentation: {
            subject: alert.documentation.subject,
            mimeType: "text/markdown",
            content: alert.documentation.content,
          },
          conditions: [conditionFor(alert, args.uptimeCheckId)],
        },
        childOptions(this, waitFor.length ? { dependsOn: waitFor } : {}),
      ).name;
    }
    this.policyNamesById = byId;
    this.policyNames = pulumi.all(args.alerts.map((a) => byId[a.id]!));
    this.registerOutputs({ policyNames: this.policyNames, policyNamesById: this.policyNamesById });
  }
}

/** The Cloud Monitoring condition of an alert. */
export function conditionFor(
  alert: AlertDefinition,
  uptimeCheckId: pulumi.Input<string> | undefined,
): gcp.types.input.monitoring.AlertPolicyCondition {
  const c = alert.condition;
  if (c.kind === "log") return { displayName: alert.name, conditionMatchedLog: { filter: c.filter } };
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
      if (uptimeCheckId === undefined) throw new Error(`alert ${alert.id} needs the uptime check`);
      return {
        displayName: alert.name,
        conditionThreshold: {
          filter: pulumi.interpolate`metric.type = "monitoring.googleapis.com/uptime_check/check_passed" AND resource.type = "uptime_url" AND metric.labels.check_id = "${uptimeCheckId}"`,
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
