import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as time from "@pulumiverse/time";
import { childOptions } from "../options";
import type { AlertDefinition } from "../../plans/alert-definition";

/**
 * How long alerts on a new log-based metric wait after it is created: the Monitoring API answers 404 for "up
 * to 10 minutes" after the metric is created, even when the alert depends on it (terraform-provider-google
 * #11102). The wait runs once, when the metric is created (or recreated), not on later deploys.
 */
export const METRIC_PROPAGATION_WAIT = "10m";

/** The metric type alerts read a log-based metric by. */
export const logMetricType = (metricName: string): string => `logging.googleapis.com/user/${metricName}`;

/** Whether an alert's condition reads the log-based metric `metricName`. */
export function alertReadsLogMetric(alert: AlertDefinition, metricName: string): boolean {
  const c = alert.condition;
  const text = "filter" in c ? c.filter : "query" in c ? c.query : "";
  const type = logMetricType(metricName);
  return (
    text.includes(type) ||
    text.includes(`logging_googleapis_com:user_${metricName.replace(/[^A-Za-z0-9]/g, "_")}`)
  );
}

export interface LogMetricArgs {
  readonly projectId: pulumi.Input<string>;
  /** The metric's name: alerts read it as `logging.googleapis.com/user/<name>`. */
  readonly metricName: string;
  /** Cloud Logging filter of the entries counted. */
  readonly filter: string;
  /** STRING labels of the metric and how each is extracted from an entry (`EXTRACT(...)`). */
  readonly labelExtractors?: Readonly<Record<string, string>>;
}

/** A log-based counter metric: how many log entries match a filter (DELTA, INT64). */
export class LogMetric extends pulumi.ComponentResource {
  public readonly metricName: pulumi.Output<string>;
  /** Alerts on the metric wait for this: the metric exists and has propagated (a bounded wait). */
  public readonly propagated: pulumi.Resource;

  constructor(name: string, args: LogMetricArgs, opts?: pulumi.ComponentResourceOptions) {
    super("msp:monitoring:LogMetric", name, {}, opts);
    const extractors = args.labelExtractors ?? {};
    const metric = new gcp.logging.Metric(
      `${name}-metric`,
      {
        project: args.projectId,
        name: args.metricName,
        filter: args.filter,
        metricDescriptor: {
          metricKind: "DELTA",
          valueType: "INT64",
          labels: Object.keys(extractors).map((key) => ({ key, valueType: "STRING" })),
        },
        labelExtractors: { ...extractors },
      },
      childOptions(this),
    );
    this.metricName = metric.name;
    // A new metric (a new ID) is waited for again; later deploys do not wait.
    this.propagated = new time.Sleep(
      `${name}-propagation`,
      { createDuration: METRIC_PROPAGATION_WAIT, triggers: { metric: metric.id } },
      childOptions(this),
    );
    this.registerOutputs({ metricName: this.metricName, propagated: this.propagated });
  }
}
