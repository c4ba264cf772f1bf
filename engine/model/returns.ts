/**
 * What the APIs store and return where it differs from what the program sent, and how the provider compares what
 * is stored with what the program plans next. After `pulumi up` the provider reads the resource back, so the
 * state holds the API's copy; the next `pulumi preview` diffs the program's inputs against that copy, through the
 * provider's own comparison (its DiffSuppressFunc, set semantics). An input the API rewrites and the provider
 * does not forgive is an update on every preview, forever: the idempotence test (test/engine/idempotence.test.ts)
 * plans each stack against its own applied state and requires zero changes.
 *
 * Each entry cites where the behaviour comes from. Inputs not listed are stored as sent and compared as equal
 * JSON values.
 */
import type * as gcp from "@pulumi/gcp";
import { apiReturns, hash, projectOf, type ReturnsModel, type SameInput } from "./define";
import { dashboardName } from "./monitoring";
import { canonicalDuration, withoutProtoDefaults } from "./proto-json";
import { sameJson } from "./same-json";

/**
 * Enum values numbered 0 in the Monitoring API's dashboard schema that dashboards commonly carry
 * (google/monitoring/v3/common.proto: `ALIGN_NONE = 0`, `REDUCE_NONE = 0`); `*_UNSPECIFIED` values are zero too.
 * chainguard-dev/terraform-infra-common's modules/dashboard/json strips exactly these, with `xPos: 0`, `yPos: 0`,
 * `collapsed: false` and empty lists, "to remove defaulted values that are known to generate no-op diffs".
 */
const DASHBOARD_ENUM_ZEROS = new Set(["ALIGN_NONE", "REDUCE_NONE"]);

const parseJson = (v: unknown): unknown => {
  if (typeof v !== "string") return undefined;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return undefined;
  }
};

/** Top-level keys the Monitoring API adds to a dashboard's JSON (the resource name and its etag). */
const DASHBOARD_COMPUTED = ["name", "etag"] as const;

const withoutKeys = (v: unknown, keys: readonly string[]): unknown => {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return v;
  const copy = { ...(v as Record<string, unknown>) };
  for (const k of keys) delete copy[k];
  return copy;
};

/**
 * The durations of an alert policy, each in the API's canonical form (google.protobuf.Duration fields): only
 * the inputs with a duration the API rewrites, so the usual policy (already canonical) costs no copy.
 */
function alertPolicyDurations(inputs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const rewrite = (v: unknown, paths: readonly (readonly string[])[]): unknown =>
    paths.reduce((copy, path) => rewriteAt(copy, path), v);
  const conditions = rewrite(inputs.conditions, CONDITION_DURATIONS);
  if (conditions !== inputs.conditions) out.conditions = conditions;
  const strategy = rewrite(inputs.alertStrategy, STRATEGY_DURATIONS);
  if (strategy !== inputs.alertStrategy) out.alertStrategy = strategy;
  return out;
}

const CONDITION_DURATIONS = [
  ["*", "conditionThreshold", "duration"],
  ["*", "conditionThreshold", "aggregations", "*", "alignmentPeriod"],
  ["*", "conditionAbsent", "duration"],
  ["*", "conditionAbsent", "aggregations", "*", "alignmentPeriod"],
  ["*", "conditionMonitoringQueryLanguage", "duration"],
  ["*", "conditionPrometheusQueryLanguage", "duration"],
  ["*", "conditionPrometheusQueryLanguage", "evaluationInterval"],
  ["*", "conditionMatchedLog", "duration"],
] as const;
const STRATEGY_DURATIONS = [["autoClose"], ["notificationRateLimit", "period"]] as const;

/**
 * `v` with the duration at `path` (`*`: every element of a list) canonical. Copies only what changes: `v`
 * itself comes back when the duration is absent or already canonical.
 */
function rewriteAt(v: unknown, path: readonly string[]): unknown {
  if (!path.length) return canonicalDuration(v);
  const [head, ...rest] = path;
  if (head === "*") {
    if (!Array.isArray(v)) return v;
    const items = v.map((x) => rewriteAt(x, rest));
    return items.every((x, i) => x === v[i]) ? v : items;
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) return v;
  const o = v as Record<string, unknown>;
  if (!(head! in o)) return v;
  const inner = rewriteAt(o[head!], rest);
  return inner === o[head!] ? v : { ...o, [head!]: inner };
}

/** A Cloud Armor rule as the provider stores it: `preview` always present (false unless set). */
const storedRule = (rule: unknown): unknown =>
  typeof rule === "object" && rule !== null ? { preview: false, ...rule } : rule;

/** A rule for the set comparison: `preview` defaulted, source ranges sorted (they are a set too). */
function ruleKey(rule: unknown): string {
  const r = storedRule(rule) as Record<string, unknown>;
  const match = r.match as { config?: { srcIpRanges?: unknown } } | undefined;
  const ranges = match?.config?.srcIpRanges;
  const normal = Array.isArray(ranges)
    ? {
        ...r,
        match: { ...match, config: { ...match!.config, srcIpRanges: [...(ranges as string[])].sort() } },
      }
    : r;
  return JSON.stringify(sortKeys(normal));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v !== "object" || v === null) return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
  );
}

/** A BigQuery field as the API stores it: the mode it defaults to filled in, nested fields too. */
function storedField(field: unknown): unknown {
  if (typeof field !== "object" || field === null) return field;
  const f = field as Record<string, unknown>;
  return {
    ...f,
    mode: f.mode || "NULLABLE",
    ...(Array.isArray(f.fields) ? { fields: f.fields.map(storedField) } : {}),
  };
}

/** Standard SQL type names and the legacy names the API also takes (TableFieldSchema.type). */
const BIGQUERY_TYPE_ALIASES: Readonly<Record<string, string>> = {
  INT64: "INTEGER",
  FLOAT64: "FLOAT",
  BOOL: "BOOLEAN",
  STRUCT: "RECORD",
};
const bigQueryType = (t: unknown) => (typeof t === "string" ? (BIGQUERY_TYPE_ALIASES[t] ?? t) : t);

/**
 * Two BigQuery fields as the provider compares them (magic-modules resource_bigquery_table.go,
 * bigQueryTableMapKeyOverride): a missing or empty mode is NULLABLE, a missing description equals "", types
 * match through their aliases, nested fields the same way, in order.
 */
function sameBigQueryField(a: unknown, b: unknown): boolean {
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) return sameJson(a, b);
  const [x, y] = [a as Record<string, unknown>, b as Record<string, unknown>];
  for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) {
    if (k === "mode" && (x.mode || "NULLABLE") === (y.mode || "NULLABLE")) continue;
    if (k === "description" && (x.description ?? "") === (y.description ?? "")) continue;
    if (k === "type" && bigQueryType(x.type) === bigQueryType(y.type)) continue;
    if (k === "fields" && Array.isArray(x.fields) && Array.isArray(y.fields)) {
      if (sameBigQueryFields(x.fields, y.fields)) continue;
      return false;
    }
    if (!sameJson(x[k], y[k])) return false;
  }
  return true;
}
const sameBigQueryFields = (a: unknown[], b: unknown[]) =>
  a.length === b.length && a.every((f, i) => sameBigQueryField(f, b[i]));

/** Resource type to what the API returns for the inputs it rewrites. */
export const API_RETURNS: Readonly<Record<string, ReturnsModel>> = {
  // The Monitoring API stores the dashboard as a proto and writes it back in proto3 JSON: every zero-valued field
  // (`xPos: 0`, `yPos: 0`, `collapsed: false`, empty lists, REDUCE_NONE) is gone, and it adds `name` and `etag`.
  // The provider keeps that copy in the state (magic-modules resource_monitoring_dashboard.go, Read:
  // `d.Set("dashboard_json", str)` of the API's response).
  "gcp:monitoring/dashboard:Dashboard": apiReturns<typeof gcp.monitoring.Dashboard>()((inputs, ctx) => {
    const sent = parseJson(inputs.dashboardJson);
    if (sent === undefined) return {};
    const stored = withoutProtoDefaults(sent, DASHBOARD_ENUM_ZEROS) as Record<string, unknown>;
    const text = String(inputs.dashboardJson);
    return {
      dashboardJson: JSON.stringify({
        ...stored,
        name: dashboardName(projectOf(inputs, ctx), ctx.name),
        etag: hash(text, 32),
      }),
    };
  }),
  // Alert policies' durations are google.protobuf.Duration fields, written back in canonical seconds.
  "gcp:monitoring/alertPolicy:AlertPolicy": apiReturns<typeof gcp.monitoring.AlertPolicy>()(
    alertPolicyDurations as never,
  ),
  // Uptime checks' `period` and `timeout` are Durations too (monitoring/v3/uptime.proto).
  "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": apiReturns<typeof gcp.monitoring.UptimeCheckConfig>()(
    (inputs) => ({
      ...(inputs.period !== undefined ? { period: canonicalDuration(inputs.period) as string } : {}),
      ...(inputs.timeout !== undefined ? { timeout: canonicalDuration(inputs.timeout) as string } : {}),
    }),
  ),
  // BigQuery fills a field's mode when the schema leaves it out: "The default value is NULLABLE" (REST reference,
  // TableFieldSchema.mode), and the provider stores the schema it reads back.
  "gcp:bigquery/table:Table": apiReturns<typeof gcp.bigquery.Table>()((inputs) => {
    const fields = parseJson(inputs.schema);
    return Array.isArray(fields) ? { schema: JSON.stringify(fields.map(storedField)) } : {};
  }),
  // The provider flattens every Cloud Armor rule with `preview` (magic-modules
  // resource_compute_security_policy.go, flattenSecurityPolicyRules: `"preview": rule.Preview`), so the state's
  // rules carry `preview: false` where the program set none.
  "gcp:compute/securityPolicy:SecurityPolicy": apiReturns<typeof gcp.compute.SecurityPolicy>()((inputs) =>
    Array.isArray(inputs.rules) ? { rules: inputs.rules.map(storedRule) as never } : {},
  ),
};

/** Resource type to input to how the provider compares the stored input with the planned one. */
export const PROVIDER_COMPARISONS: Readonly<Record<string, Readonly<Record<string, SameInput>>>> = {
  // bigQueryTableSchemaDiffSuppress (magic-modules resource_bigquery_table.go): the schemas' JSON compared
  // field by field with the equivalences above; a stored "null" schema is [].
  "gcp:bigquery/table:Table": {
    schema: (stored, planned) => {
      const [a, b] = [stored === "null" ? [] : parseJson(stored), parseJson(planned)];
      if (!Array.isArray(a) || !Array.isArray(b)) return stored === planned;
      return sameBigQueryFields(a, b);
    },
  },
  // monitoringDashboardDiffSuppress (magic-modules resource_monitoring_dashboard.go) parses both JSON texts,
  // deletes `etag` and `name` from both and compares the rest with reflect.DeepEqual: a key the program sends
  // and the API dropped (`"xPos":0`) is a difference, on every plan (hashicorp/terraform-provider-google #16173,
  // open; the fix, magic-modules #18515, was closed unmerged).
  "gcp:monitoring/dashboard:Dashboard": {
    dashboardJson: (stored, planned) => {
      const [a, b] = [parseJson(stored), parseJson(planned)];
      if (a === undefined || b === undefined) return stored === planned;
      return sameJson(withoutKeys(a, DASHBOARD_COMPUTED), withoutKeys(b, DASHBOARD_COMPUTED));
    },
  },
  // A VM's network_interface fields network_ip and name are Computed (network_ip also Optional) in the provider's
  // schema (terraform-provider-google resource_compute_instance.go): the SDK plans no change for a computed
  // value the configuration leaves unset, so only the keys the program sets are compared.
  "gcp:compute/instance:Instance": {
    networkInterfaces: (stored, planned) => {
      if (!Array.isArray(stored) || !Array.isArray(planned) || stored.length !== planned.length)
        return sameJson(stored, planned);
      return planned.every((nic, i) => {
        const kept = stored[i] as Record<string, unknown> | undefined;
        if (typeof nic !== "object" || nic === null || typeof kept !== "object" || kept === null)
          return sameJson(kept, nic);
        return Object.entries(nic as Record<string, unknown>).every(([k, v]) => sameJson(kept[k], v));
      });
    },
  },
  // `rule` is a TypeSet of the provider's schema: order does not matter, and an unset `preview` is the zero
  // value false (resource_compute_security_policy.go; hashicorp/terraform-provider-google #8251 shows rules
  // re-created when an element differed).
  "gcp:compute/securityPolicy:SecurityPolicy": {
    rules: (stored, planned) => {
      if (!Array.isArray(stored) || !Array.isArray(planned)) return sameJson(stored, planned);
      const [a, b] = [stored.map(ruleKey).sort(), planned.map(ruleKey).sort()];
      return a.length === b.length && a.every((k, i) => k === b[i]);
    },
  },
};
