/** Fixtures of the "Backups and data safety" policies. */
import { res, UNKNOWN, violation, type PolicyCase } from "../../helpers/policy";
import { T } from "../../../policy/types";
import { COMPONENT, GCP_PROJECT, LABELS, OTHER, REDIS, RUN, SQL, redisWith, sqlWith } from "./fixtures";
import { ALLOW_DESTROYS_LABEL } from "../../../policy/allow-destroys";

/** The labels allowDestroys gives a stateful resource (components/options.ts statefulLabels). */
const ALLOWED = { ...LABELS, [ALLOW_DESTROYS_LABEL]: "true" };
/** A PostgresInstance component: the parent of an instance and its databases. */
const PG = res(
  "msp:postgres:PostgresInstance",
  {},
  { urn: "urn:pulumi:svc-prod::msp::msp:postgres:PostgresInstance::pg", name: "pg" },
);

export const DATA_CASES: Record<string, PolicyCase> = {
  "gcp-sql-backups-enabled": {
    compliant: [res(T.sql, SQL)],
    violations: [
      violation("off", sqlWith("settings.backupConfiguration.enabled", false), /backups are off/, {
        ids: ["CKV_GCP_14", "CIS 6.7"],
      }),
      violation(
        "unset (required booleans fail when missing)",
        sqlWith("settings.backupConfiguration", {}),
        /backups are off/,
        {
          ids: ["CKV_GCP_14", "CIS 6.7"],
        },
      ),
    ],
    unknown: sqlWith("settings.backupConfiguration", UNKNOWN),
    notApplicable: [res(T.sql, { ...SQL, masterInstanceName: "primary", settings: {} })],
  },
  "gcp-sql-pitr-enabled": {
    compliant: [res(T.sql, SQL)],
    violations: [
      violation(
        "off",
        sqlWith("settings.backupConfiguration.pointInTimeRecoveryEnabled", false),
        /Point-in-time recovery is off/,
      ),
      violation(
        "unset",
        sqlWith("settings.backupConfiguration.pointInTimeRecoveryEnabled", undefined),
        /Point-in-time recovery is off/,
      ),
      violation(
        "short logs",
        sqlWith("settings.backupConfiguration.transactionLogRetentionDays", 2),
        /kept 2 days/,
      ),
    ],
    unknown: sqlWith("settings.backupConfiguration.pointInTimeRecoveryEnabled", UNKNOWN),
    notApplicable: [res(T.sql, { ...SQL, databaseVersion: "MYSQL_8_0" }), OTHER],
    config: [["longer logs required", { minTransactionLogRetentionDays: 14 }, [res(T.sql, SQL)], true]],
  },
  "gcp-sql-backup-retention": {
    compliant: [res(T.sql, SQL)],
    violations: [
      violation(
        "too few",
        sqlWith("settings.backupConfiguration.backupRetentionSettings.retainedBackups", 3),
        /3 backups are kept/,
      ),
    ],
    unknown: sqlWith("settings.backupConfiguration.backupRetentionSettings.retainedBackups", UNKNOWN),
    notApplicable: [OTHER],
    config: [
      ["stricter", { minRetainedBackups: 100 }, [res(T.sql, SQL)], true],
      [
        "looser",
        { minRetainedBackups: 1 },
        sqlWith("settings.backupConfiguration.backupRetentionSettings.retainedBackups", 3),
        false,
      ],
      [
        "unset counts as Cloud SQL's 7",
        { minRetainedBackups: 8 },
        sqlWith("settings.backupConfiguration.backupRetentionSettings", undefined),
        true,
      ],
    ],
  },
  "gcp-sql-deletion-protection": {
    compliant: [
      res(T.sql, SQL),
      // allowDestroys: both protections lifted on an instance labelled so.
      res(T.sql, {
        ...SQL,
        deletionProtection: false,
        settings: { ...SQL.settings, deletionProtectionEnabled: false, userLabels: ALLOWED },
      }),
    ],
    violations: [
      violation("pulumi", sqlWith("deletionProtection", false), /deletionProtection is off/),
      violation(
        "api",
        sqlWith("settings.deletionProtectionEnabled", false),
        /deletionProtectionEnabled is off/,
      ),
      violation(
        "lifted without the allowDestroys label",
        sqlWith("settings.userLabels", { ...LABELS, [ALLOW_DESTROYS_LABEL]: "false" }).map((r) => ({
          ...r,
          inputs: { ...r.inputs, deletionProtection: false },
        })),
        /deletionProtection is off/,
      ),
      violation(
        "api unset",
        sqlWith("settings.deletionProtectionEnabled", undefined),
        /deletionProtectionEnabled is off/,
      ),
    ],
    unknown: sqlWith("deletionProtection", UNKNOWN),
    notApplicable: [OTHER],
  },
  "msp-stateful-resources-protected": {
    compliant: [
      res(T.sql, SQL, { protect: true }),
      res(T.secret, {}, { protect: true }),
      // allowDestroys: unprotected, and labelled so; a database (no labels) by its instance beside it.
      res(T.project, { ...GCP_PROJECT, labels: ALLOWED }, { protect: false }),
      PG,
      res(T.sql, { ...SQL, settings: { ...SQL.settings, userLabels: ALLOWED } }, { parent: PG.urn }),
      res(T.sqlDatabase, { name: "db" }, { parent: PG.urn }),
    ],
    violations: [
      violation("unprotected", [res(T.dataset, {}, { name: "ds", protect: false })], /"ds" is not protected/),
      violation("project", [res(T.project, GCP_PROJECT, { name: "prj" })], /"prj" is not protected/),
      violation(
        "a database whose instance is not labelled",
        [
          PG,
          res(T.sql, SQL, { parent: PG.urn, protect: true }),
          res(T.sqlDatabase, { name: "db" }, { name: "db", parent: PG.urn }),
        ],
        /"db" is not protected/,
      ),
      violation(
        "a database beside a labelled instance of another component",
        [
          PG,
          COMPONENT, // the parent of the labelled instance
          res(T.sql, { ...SQL, settings: { ...SQL.settings, userLabels: ALLOWED } }),
          res(T.sqlDatabase, { name: "db" }, { name: "db", parent: PG.urn }),
        ],
        /"db" is not protected/,
      ),
      violation(
        "a secret labelled by another resource's intent only",
        [
          res(T.project, { ...GCP_PROJECT, labels: ALLOWED }),
          res(T.secret, { labels: LABELS }, { name: "s" }),
        ],
        /"s" is not protected/,
      ),
    ],
    notApplicable: [res(T.runService, RUN)],
  },
  "gcp-bigquery-table-deletion-protection": {
    compliant: [
      res(T.table, { deletionProtection: true }),
      // Unset: the provider's default, true.
      res(T.table, {}),
      res(T.table, { deletionProtection: false, labels: ALLOWED }),
      res(T.dataset, { deleteContentsOnDestroy: false }),
    ],
    violations: [
      violation("table", [res(T.table, { deletionProtection: false })], /Table deletion protection is off/, {
        ids: ["CKV_GCP_121"],
      }),
      violation("dataset", [res(T.dataset, { deleteContentsOnDestroy: true })], /deletes its tables/),
    ],
    unknown: [res(T.table, { deletionProtection: UNKNOWN })],
    notApplicable: [OTHER],
  },
  "gcp-sql-high-availability": {
    compliant: [res(T.sql, SQL)],
    violations: [
      violation("zonal", sqlWith("settings.availabilityType", "ZONAL"), /ZONAL/),
      violation("unset", sqlWith("settings.availabilityType", undefined), /ZONAL/),
    ],
    unknown: sqlWith("settings.availabilityType", UNKNOWN),
    notApplicable: [OTHER],
  },
  "gcp-redis-ha-persistence": {
    compliant: [res(T.redis, REDIS)],
    violations: [
      violation("basic", redisWith("tier", "BASIC"), /no replica/),
      violation("tier unset (BASIC)", redisWith("tier", undefined), /Tier is BASIC: no replica/),
      violation(
        "persistence unset",
        redisWith("persistenceConfig.persistenceMode", undefined),
        /RDB persistence is off/,
      ),
      violation(
        "no RDB",
        redisWith("persistenceConfig.persistenceMode", "DISABLED"),
        /RDB persistence is off/,
      ),
    ],
    unknown: redisWith("tier", UNKNOWN),
    notApplicable: [OTHER],
  },
};
