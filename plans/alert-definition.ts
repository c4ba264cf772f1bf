/**
 * A Cloud Monitoring alert policy as plain data: what AlertPolicies creates. Which alerts an environment gets,
 * their thresholds and their text are decided by the resolver (resolve/alerts.ts); this is only their shape.
 */

export type Severity = "WARNING" | "CRITICAL";

export interface Aggregation {
  alignmentPeriod: string;
  perSeriesAligner: string;
  crossSeriesReducer?: string;
  groupByFields?: string[];
}

export type AlertCondition =
  | {
      kind: "threshold";
      filter: string;
      aggregation: Aggregation;
      comparison: "COMPARISON_GT" | "COMPARISON_LT";
      threshold: number;
      durationSeconds: number;
      /** Trigger when this share of series violates (100 for "all"); otherwise one series is enough. */
      triggerPercent?: number;
    }
  | { kind: "absence"; filter: string; aggregation: Aggregation; durationSeconds: number }
  | { kind: "mql"; query: string; durationSeconds: number }
  | { kind: "promql"; query: string; durationSeconds: number }
  /** The uptime check's pass ratio; its filter needs the check ID, known only once the check exists. */
  | { kind: "uptime"; host: string; threshold: number; durationSeconds: number }
  /**
   * A log-based alert: any entry matching the filter opens an incident, at most one notification per
   * `notifyEverySeconds` (Cloud Monitoring requires the limit on log-match conditions). No time series: the
   * dashboard does not chart it.
   */
  | { kind: "log"; filter: string; notifyEverySeconds: number };

export interface AlertDefinition {
  /** Stable key, unique per environment: the policy's resource is named `<component>-<id>`. */
  readonly id: string;
  /** The policy's display name. */
  readonly name: string;
  /** CRITICAL alerts notify the critical channels (paging included), WARNING ones the warning channels. */
  readonly severity: Severity;
  readonly condition: AlertCondition;
  /** The policy's user labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** The notification's subject and Markdown body. */
  readonly documentation: { readonly subject: string; readonly content: string };
}
