/**
 * The defaults, asserted where they are decided and as literals (never read back from the constant under test):
 * what resolve/fields.ts gives a field the spec leaves out, the category table's rows, the alert thresholds
 * derived from a default, the platform settings' defaults. No example spec varies most of these, so only these
 * rows catch a default that changes.
 */
import * as assert from "node:assert/strict";
import * as f from "../../resolve/fields";
import { alertCatalogue, uptimeTimeoutSeconds } from "../../resolve/alerts";
import { CATEGORY_DEFAULTS } from "../../platform/categories";
import { parsePlatformSettings } from "../../platform/settings";
import type { Category } from "../../platform/categories";
import { demoSpec } from "../helpers/demo-spec";

const envOf = (category: Category, extra = "", service = "") =>
  demoSpec(category, extra, service).spec.environments[0]!;

describe("defaults: resolve/fields.ts when the spec is silent", () => {
  it("scaling: 5 instances at most, 1000 concurrent requests, none kept warm outside external", () => {
    assert.deepEqual(f.scalingOf(envOf("test")), {
      minCount: 0,
      maxCount: 5,
      maxRequestConcurrency: 1000,
      declared: false,
    });
    assert.equal(f.scalingOf(envOf("internal")).minCount, 0);
    assert.equal(f.scalingOf(envOf("external")).minCount, 1);
    assert.deepEqual(f.scalingOf(envOf("test", "      scaling: { maxCount: 3 }\n")), {
      minCount: 0,
      maxCount: 3,
      maxRequestConcurrency: 1000,
      declared: true,
    });
  });

  it("location: us-central1, multi-region US", () => {
    assert.equal(f.regionOf(envOf("test")), "us-central1");
    assert.equal(f.multiRegionOf(envOf("test")), "US");
    assert.equal(
      f.multiRegionOf(envOf("test", "    locations: { gcpRegion: europe-west2, gcpLocation: europe }\n")),
      "EUROPE",
    );
  });

  it("a job's deadline: 300 s", () => {
    const job = envOf("test", "", "  kind: job\n");
    assert.equal(f.deadlineSecondsOf(job), 300);
  });

  it("probes: timeout 3 s, startup every 3 s, liveness every 30 s, threshold 3; Cloud Run's 240 s without them", () => {
    const probed = envOf("test", "    healthProbes: { healthzProbes: true }\n");
    assert.deepEqual(f.probesOf(probed), {
      timeout: 3,
      startupInterval: 3,
      livenessInterval: 30,
      startupFailureThreshold: 3,
    });
    assert.equal(f.maxStartupLatencySeconds(probed), 9);
    assert.equal(f.probesOf(envOf("test")), undefined);
    assert.equal(f.maxStartupLatencySeconds(envOf("test")), 240);
    assert.equal(uptimeTimeoutSeconds(envOf("test")), 10, "Cloud Monitoring's 10 s without probes");
    const older = envOf("test", "    startupProbe: { timeout: 4 }\n");
    assert.deepEqual(f.probesOf(older), {
      timeout: 4,
      startupInterval: 4,
      livenessInterval: 40,
      startupFailureThreshold: 3,
    });
  });

  it("with Direct VPC egress, the startup threshold covers the 60 s egress delay: (60 - 3) / 3 = 19", () => {
    const egress = envOf(
      "test",
      "    healthProbes: { healthzProbes: true }\n    resources:\n      redis: { memoryGB: 1 }\n",
    );
    assert.equal(f.probesOf(egress)!.startupFailureThreshold, 19);
    const slow = envOf(
      "test",
      "    healthProbes: { timeout: 7 }\n    resources:\n      redis: { memoryGB: 1 }\n",
    );
    assert.equal(f.probesOf(slow)!.startupFailureThreshold, 8, "(60 - 7) / 7 = 7.6, rounded up");
  });

  it("the image tag: insiders when a manual deploy or a rollout names none", () => {
    const manual = demoSpec("test").spec;
    const untagged = { ...manual.environments[0]!, deploy: { type: "manual" as const } };
    assert.equal(f.imageTagOf(manual, untagged), "insiders");
    assert.equal(f.imageTagOf(manual, manual.environments[0]!), "v1");
  });

  it("paging: off in test, on in production, and the spec's opsgenie wins", () => {
    assert.equal(f.pagesOwners(envOf("test")), false);
    assert.equal(f.pagesOwners(envOf("internal")), true);
    assert.equal(f.pagesOwners(envOf("external", "    alerting: { opsgenie: false }\n")), false);
  });

  it("a scheduled job alerts 10 minutes after its largest cron gap", () => {
    const hourly = envOf("test", '    schedule: { cron: "0 * * * *" }\n', "  kind: job\n");
    assert.equal(f.executionAbsenceMinutes(hourly), 70);
  });
});

describe("defaults: the Cloud SQL connection alert", () => {
  const threshold = (extra: string) => {
    const env = envOf("test", `    resources:\n      postgreSQL: { databases: [a]${extra} }\n`);
    const alert = alertCatalogue(demoSpec("test").spec, env, "demo").find(
      (a) => a.id === "cloud_sql_connections",
    )!;
    return (alert.condition as { threshold: number }).threshold;
  };

  it("fires above 90% of 100 connections when maxConnections is unset", () => {
    assert.equal(threshold(""), 90);
  });

  it("rounds 90% down: 13 of 15 connections (13.5), 12 of 14 (12.6)", () => {
    assert.equal(threshold(", maxConnections: 15"), 13);
    assert.equal(threshold(", maxConnections: 14"), 12);
  });
});

describe("defaults: the category table's rows, as literals", () => {
  const row = (c: Category) => {
    const d = CATEGORY_DEFAULTS[c];
    return [
      d.production,
      d.highAvailabilityByDefault,
      d.retainedBackups,
      d.pointInTimeRecovery,
      d.transactionLogRetentionDays,
      d.minInstancesByDefault,
      d.cloudArmorWhenProxied,
      d.pageOwnersByDefault,
      d.securityAuditLogs,
      d.refusesMovingTags,
    ];
  };

  it("test: not production, 90 backups, PITR with HA, 7 days of log, cold starts, no Armor, no paging", () => {
    assert.deepEqual(row("test"), [
      false,
      false,
      90,
      "with-high-availability",
      7,
      0,
      false,
      false,
      false,
      false,
    ]);
  });

  it("internal: production, 90 backups, PITR always, 7 days of log, cold starts, Armor, paging, audit logs", () => {
    assert.deepEqual(row("internal"), [true, false, 90, "always", 7, 0, true, true, true, false]);
  });

  it("external: as internal, with one warm instance and no moving tags", () => {
    assert.deepEqual(row("external"), [true, false, 90, "always", 7, 1, true, true, true, true]);
  });
});

describe("defaults: platform settings", () => {
  it("the names the platform chooses itself", () => {
    const s = parsePlatformSettings({
      folders: { test: "folders/1", internal: "folders/2", external: "folders/3" },
      folderNames: { test: "T", internal: "I", external: "E" },
      billingAccount: "B",
      sharedSecretsProject: "shared",
      originCertificateSecret: "CERT",
      originKeySecret: "KEY",
      handbookUrl: "https://h.example",
      specRepositoryUrl: "https://r.example",
      slackWorkspaceUrl: "https://w.slack.com",
      supportChannel: "help",
      platformTeam: "Platform",
      platformSupportHandle: "@platform",
      accessRequestProcess: "Access",
      staffDomain: "example.com",
    });
    assert.deepEqual(
      [
        s.sharedSlackChannel,
        s.slackTokenSecret,
        s.pagingWebhookSecretPrefix,
        s.allowedZones,
        s.rolloutNotificationSecret,
        s.sentryTokenSecret,
        s.secretProjects,
        s.imageRegistries,
        s.datasetProjects,
      ],
      [
        "alerts-msp",
        "SLACK_OPERATOR_BOT_TOKEN",
        "OPSGENIE_WEBHOOK_",
        ["sourcegraph.com", "sgdev.org"],
        "MSP_ROLLOUT_NOTIFICATIONS_RELAY_URL",
        "SENTRY_AUTH_TOKEN",
        [],
        [],
        [],
      ],
    );
  });
});
