/**
 * What Cloud Monitoring does with an MQL query in an alerting policy, where that differs from what the query
 * says. Source: Cloud Monitoring, "Best practices for alerting policies with MQL"
 * (https://cloud.google.com/monitoring/mql/best-practices-alerts):
 * - alerting policies evaluate their condition every 30 seconds (the output window); a query saved with another
 *   `every` period is still evaluated every 30 s, so `every 30s` is the only period that says what happens;
 * - some operations interact badly with alert evaluation ("if you use delta instead of delta_gauge, then alerts
 *   may trigger at incorrect times"): adjacent_rate -> rate, adjacent_delta and delta -> delta_gauge,
 *   window -> sliding.
 * Pure: the alert catalogue (resolve/alerts.ts) writes queries that pass it, and the spec rules refuse custom
 * MQL alerts that do not.
 */

/** Cloud Monitoring's output window for MQL alerting conditions. */
export const MQL_ALERT_PERIOD_SECONDS = 30;

/** Operations Google asks alerting queries to avoid, with the one to use instead. */
export const MQL_ALERTING_REPLACEMENTS: Readonly<Record<string, string>> = {
  adjacent_rate: "rate",
  adjacent_delta: "delta_gauge",
  delta: "delta_gauge",
  window: "sliding",
};

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 604800,
};

/** Seconds of an MQL duration literal (`15s`, `1m`, `1h30m`), or undefined when it is not one. */
export function mqlDurationSeconds(literal: string): number | undefined {
  const parts = [...literal.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)];
  if (!parts.length || parts.map((p) => p[0]).join("") !== literal) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_SECONDS[p[2]!]!, 0);
}

/**
 * Where an alerting query says something Cloud Monitoring will not do, each with the fix. An empty list means
 * the query is evaluated as written.
 */
export function mqlAlertingProblems(query: string): string[] {
  const problems: string[] = [];
  for (const m of query.matchAll(/\bevery\s+([0-9][0-9a-z.]*)/g)) {
    const seconds = mqlDurationSeconds(m[1]!);
    if (seconds !== MQL_ALERT_PERIOD_SECONDS)
      problems.push(
        `says "every ${m[1]}" but Cloud Monitoring evaluates MQL alerting conditions every ${MQL_ALERT_PERIOD_SECONDS}s whatever "every" says: write "every ${MQL_ALERT_PERIOD_SECONDS}s" or drop it`,
      );
  }
  // An operation is a word followed by "(" or used bare after "|" / "," / "align" (MQL allows `align delta`).
  for (const [avoid, use] of Object.entries(MQL_ALERTING_REPLACEMENTS)) {
    const pattern = new RegExp(`(?:\\b${avoid}\\s*\\(|(?:\\||\\balign)\\s+${avoid}\\b(?!\\s*\\())`);
    if (pattern.test(query))
      problems.push(
        `uses ${avoid}, which Google's MQL alerting guidance says to avoid (alerts may trigger at incorrect times): use ${use}`,
      );
  }
  return problems;
}
