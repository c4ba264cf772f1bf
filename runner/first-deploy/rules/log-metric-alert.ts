/**
 * An alert policy on a log-based metric (`logging.googleapis.com/user/<metric>`) created in the same run: the
 * Monitoring API answers 404 until the new metric has propagated, "up to 10 minutes" after it is created,
 * even when the alert waits for the metric (terraform-provider-google #11102). The alert must be ordered after
 * the metric and after a wait of at least that long that itself starts once the metric exists.
 */
import { finding, type FirstDeployFinding, type FirstDeployRule } from "../finding";
import { str, type PlanGraph, type PlannedResource } from "../plan-graph";

const ALERT_TYPE = "gcp:monitoring/alertPolicy:AlertPolicy";
const METRIC_TYPE = "gcp:logging/metric:Metric";
export const SLEEP_TYPE = "time:index/sleep:Sleep";
/** Cloud Monitoring: "If a metric was created recently, it could take up to 10 minutes to become available". */
export const METRIC_PROPAGATION_SECONDS = 600;

/** The log-based metrics a policy's conditions read (filters, MQL and PromQL forms). */
export function logMetricsRead(conditions: unknown): string[] {
  const text = JSON.stringify(conditions ?? []);
  const names = new Set<string>();
  for (const m of text.matchAll(/logging\.googleapis\.com\/user\/([A-Za-z0-9_.\-/]+?)(?=[\\"' )|]|$)/g))
    names.add(m[1]!);
  for (const m of text.matchAll(/logging_googleapis_com:user_([A-Za-z0-9_]+)/g)) names.add(m[1]!);
  return [...names].sort();
}

/** Seconds of a Go duration as time's Sleep takes it (`10m`, `600s`, `1m30s`); undefined when unreadable. */
export function durationSeconds(v: unknown): number | undefined {
  const s = str(v);
  if (!s || !/^(\d+(\.\d+)?(h|m|s|ms))+$/.test(s)) return undefined;
  const unit = { h: 3600, m: 60, s: 1, ms: 0.001 } as const;
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g))
    total += Number(m[1]) * unit[m[2] as keyof typeof unit];
  return total;
}

export const logMetricAlert: FirstDeployRule = {
  name: "log-metric-before-alert",
  source:
    "hashicorp/terraform-provider-google#11102 (an alert on a log-based metric created moments before fails with 404 for up to 10 minutes)",
  check(graph: PlanGraph) {
    const out: FirstDeployFinding[] = [];
    const metrics = graph.ofType(METRIC_TYPE);
    const sleeps = graph.ofType(SLEEP_TYPE);
    for (const alert of graph.ofType(ALERT_TYPE)) {
      const project = graph.projectOf(alert);
      for (const name of logMetricsRead(alert.inputs?.conditions)) {
        const metric = metrics.find((m) => str(m.inputs?.name) === name && graph.projectOf(m) === project);
        const report = (problem: string, fix: string) =>
          out.push(finding(this, alert, { key: name, problem, fix }));
        if (!metric) {
          if (graph.createsProject(project))
            report(
              `reads the log-based metric ${name}, which nothing creates in ${project} (a project this deploy creates): the API answers 404.`,
              `create the metric (LogMetric) in the same stack and order the alert after it.`,
            );
          continue;
        }
        if (!graph.isOrderedAfter(alert, metric)) {
          report(
            `reads the log-based metric ${name}, created in the same deploy, without waiting for it: the API answers 404 if the alert comes first.`,
            `make the alert depend on the metric and on a wait of ${METRIC_PROPAGATION_SECONDS / 60} minutes after it (time.Sleep).`,
          );
          continue;
        }
        const waited = (s: PlannedResource) =>
          graph.isOrderedAfter(s, metric) &&
          graph.isOrderedAfter(alert, s) &&
          (durationSeconds(s.inputs?.createDuration) ?? 0) >= METRIC_PROPAGATION_SECONDS;
        if (!sleeps.some(waited))
          report(
            `waits for the log-based metric ${name} but not for it to propagate: the API answers 404 for up to ${METRIC_PROPAGATION_SECONDS / 60} minutes after the metric is created.`,
            `order the alert after a wait (time.Sleep, createDuration >= ${METRIC_PROPAGATION_SECONDS / 60}m) that starts once the metric exists.`,
          );
      }
    }
    return out;
  },
};
