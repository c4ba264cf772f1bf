import { resourcePolicy, levels, at, list } from "../define";
import { T } from "../types";

/** Flag -> acceptable values (lowercase). */
export const AUDIT_FLAGS: Record<string, string[]> = {
  log_connections: ["on"],
  log_disconnections: ["on"],
  log_checkpoints: ["on"],
  log_lock_waits: ["on"],
  log_min_messages: ["warning", "notice", "info", "debug1", "debug2", "debug3", "debug4", "debug5"],
  log_min_error_statement: [
    "error",
    "warning",
    "notice",
    "info",
    "debug1",
    "debug2",
    "debug3",
    "debug4",
    "debug5",
  ],
  log_min_duration_statement: ["-1"],
  log_temp_files: ["0"],
  log_error_verbosity: ["default", "terse"],
  "cloudsql.enable_pgaudit": ["on"],
};

export const gcpSqlPostgresAuditFlags = resourcePolicy({
  name: "gcp-sql-postgres-audit-flags",
  description:
    "Cloud SQL PostgreSQL logs connections, disconnections, checkpoints, lock waits and errors, without statement text.",
  severity: "medium",
  remediation: "Keep the flags PostgresInstance sets (components/postgres-settings.ts).",
  meta: {
    group: "Security",
    levels: levels("A", "A", "M"),
    frameworks: ["CIS 6.2.1-6.2.8", "CKV_GCP_51-57", "CKV_GCP_109-111", "AVD-GCP-0014/16/18/20/21/22/25"],
  },
  types: [T.sql],
  validate: (props, report, args) => {
    if (!String(props.databaseVersion ?? "").startsWith("POSTGRES")) args.notApplicable("not PostgreSQL");
    const flags = new Map(
      list(at(props, "settings", "databaseFlags")).map((f) => [
        String(at(f, "name")),
        String(at(f, "value")).toLowerCase(),
      ]),
    );
    for (const [flag, ok] of Object.entries(AUDIT_FLAGS)) {
      const v = flags.get(flag);
      if (v === undefined) report(`Flag ${flag} is not set.`);
      else if (!ok.includes(v)) report(`Flag ${flag} is ${v}; expected ${ok[0]}.`);
    }
  },
});
