import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOptions } from "../options";

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
    this.registerOutputs({ metricName: this.metricName });
  }
}
