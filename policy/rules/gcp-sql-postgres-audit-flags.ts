import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check, listOf, stringOf } from "../define";

const LEVELS_FROM = (lowest: string) => {
  const all = ["debug5", "debug4", "debug3", "debug2", "debug1", "info", "notice", "warning", "error"];
  return all.slice(0, all.indexOf(lowest) + 1);
};

interface FlagRule {
  /** Acceptable values (lower case). */
  ok: readonly string[];
  /** Checkov and CIS ids of the flag's check. */
  ids: readonly string[];
  /** PostgreSQL's default is compliant, so an absent flag passes (Checkov's *_stats checks do the same). */
  absentOk?: boolean;
}

/** Every PostgreSQL logging flag Checkov and CIS GCP Foundations v3.0.0 check, with the values they accept. */
export const AUDIT_FLAGS: Readonly<Record<string, FlagRule>> = {
  log_connections: { ok: ["on"], ids: ["CKV_GCP_52", "CIS 6.2.2"] },
  log_disconnections: { ok: ["on"], ids: ["CKV_GCP_53", "CIS 6.2.3"] },
  log_checkpoints: { ok: ["on"], ids: ["CKV_GCP_51"] },
  log_lock_waits: { ok: ["on"], ids: ["CKV_GCP_54"] },
  log_hostname: { ok: ["on"], ids: ["CKV_GCP_108"] },
  // CIS 6.2.5: WARNING or more verbose (Checkov CKV_GCP_55 only asks for a valid level).
  log_min_messages: { ok: LEVELS_FROM("warning"), ids: ["CKV_GCP_55", "CIS 6.2.5"] },
  log_min_error_statement: { ok: LEVELS_FROM("error"), ids: ["CKV_GCP_109", "CIS 6.2.6"] },
  log_min_duration_statement: { ok: ["-1"], ids: ["CKV_GCP_57", "CIS 6.2.7"] },
  log_temp_files: { ok: ["0"], ids: ["CKV_GCP_56"] },
  log_error_verbosity: { ok: ["default", "terse"], ids: ["CIS 6.2.1"] },
  log_statement: { ok: ["ddl", "mod", "all"], ids: ["CKV_GCP_111", "CIS 6.2.4"] },
  "cloudsql.enable_pgaudit": { ok: ["on"], ids: ["CKV_GCP_110", "CIS 6.2.8"] },
  log_parser_stats: { ok: ["off"], ids: ["CKV2_GCP_15"], absentOk: true },
  log_planner_stats: { ok: ["off"], ids: ["CKV2_GCP_16"], absentOk: true },
  log_executor_stats: { ok: ["off"], ids: ["CKV2_GCP_14"], absentOk: true },
  log_statement_stats: { ok: ["off"], ids: ["CKV2_GCP_17"], absentOk: true },
};

export const gcpSqlPostgresAuditFlags = resourcePolicy({
  name: "gcp-sql-postgres-audit-flags",
  description:
    "Cloud SQL PostgreSQL logs connections, disconnections, host names, checkpoints, lock waits, errors, DDL and pgAudit events, without per-statement statistics or statement durations.",
  severity: "medium",
  remediation: "Keep the flags PostgresInstance sets (plans/postgres-settings.ts).",
  meta: {
    group: "Security",
    levels: levels("A", "A", "M"),
    frameworks: [...new Set(Object.values(AUDIT_FLAGS).flatMap((f) => f.ids))],
  },
  checks: [
    check(gcp.sql.DatabaseInstance, (db, report, args) => {
      if (!String(db.databaseVersion ?? "").startsWith("POSTGRES")) args.notApplicable("not PostgreSQL");
      const flags = new Map(
        listOf(db.settings?.databaseFlags, "settings.databaseFlags", report).map((f) => [
          f.name,
          stringOf(f.value)?.toLowerCase() ?? "(no value)",
        ]),
      );
      for (const [flag, rule] of Object.entries(AUDIT_FLAGS)) {
        const v = flags.get(flag);
        if (v === undefined) {
          if (!rule.absentOk) report(`Flag ${flag} is not set (expected ${rule.ok.at(-1)}).`);
        } else if (!rule.ok.includes(v)) report(`Flag ${flag} is ${v}; expected ${rule.ok.join(" or ")}.`);
      }
    }),
  ],
});
