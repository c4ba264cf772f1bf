/**
 * The resolver, pure: one spec per category, and what each category decides when the spec is silent, and
 * that the spec wins when it is not. No Pulumi runtime.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseServiceSpec, type LoadedService } from "../../servicespec/loader";
import type { Category } from "../../platform/categories";
import { CATEGORY_DEFAULTS, categoryRank } from "../../platform/categories";
import { parsePlatformSettings, type PlatformSettings } from "../../platform/settings";
import { resolveEnvironment, resolveService } from "../../resolve/environment";
import type { ResolvedEnvironment } from "../../resolve/model";
import { startupFailureThreshold } from "../../resolve/fields";
import {
  DIRECT_VPC_EGRESS_STARTUP_DELAY_SECONDS,
  MSP_PROBE_FAILURE_THRESHOLD,
  startupProbeBudgetSeconds,
} from "../../platform/probes";
import { REPO } from "../helpers/cli";
import { DEMO_FILE, demoSpec } from "../helpers/demo-spec";

const SETTINGS: PlatformSettings = parsePlatformSettings({
  folders: { test: "folders/t", internal: "folders/i", external: "folders/e" },
  billingAccount: "BILLING",
  sharedSecretsProject: "shared-secrets",
  handbookUrl: "https://handbook.example/services",
  specRepositoryUrl: "https://git.example/acme/platform/blob/main/services",
  folderNames: { test: "Acme Test", internal: "Acme Internal", external: "Acme Production" },
  originCertificateSecret: "ACME_ORIGIN_CERT",
  originKeySecret: "ACME_ORIGIN_KEY",
  slackWorkspaceUrl: "https://acme.slack.com",
  supportChannel: "platform-help",
  platformTeam: "Platform",
  platformSupportHandle: "@platform-oncall",
  accessRequestProcess: "Acme Access",
  staffDomain: "acme.example",
});

const spec = demoSpec;

const resolved = (s: LoadedService): ResolvedEnvironment =>
  resolveEnvironment(s, s.spec.environments[0]!, SETTINGS);

const DATA = `    resources:
      postgreSQL: { databases: [primary] }
      redis: { memoryGB: 2 }
`;
const DOMAIN = `    domain:
      type: cloudflare
      cloudflare: { subdomain: demo, zone: sourcegraph.com }
`;

describe("resolver: what each category decides", () => {
  const expected: Record<
    Category,
    { ha: boolean; pitr: boolean; min: number; armor: boolean; pages: boolean }
  > = {
    test: { ha: false, pitr: false, min: 0, armor: false, pages: false },
    internal: { ha: false, pitr: true, min: 0, armor: true, pages: true },
    // HA is MSP's default (off) in every category: an adopted MSP environment keeps its BASIC Redis.
    external: { ha: false, pitr: true, min: 1, armor: true, pages: true },
  };

  for (const category of ["test", "internal", "external"] as const) {
    const want = expected[category];
    it(`${category}: HA ${want.ha}, PITR ${want.pitr}, min ${want.min} instances, Cloud Armor ${want.armor}, paging ${want.pages}`, () => {
      const env = resolved(spec(category, DATA + DOMAIN));
      assert.equal(env.postgres!.highAvailability, want.ha, "PostgreSQL HA");
      assert.equal(
        env.redis!.highAvailability,
        want.ha,
        "Redis HA: the category's default, as the table says",
      );
      assert.equal(env.redis!.tier, want.ha ? "STANDARD_HA" : "BASIC");
      assert.equal(env.redis!.name, want.ha ? "redis" : "redis-basic", "a tier change is a new instance");
      assert.equal(env.postgres!.pointInTimeRecovery, want.pitr, "PITR");
      assert.equal(env.postgres!.retainedBackups, 90);
      assert.equal(env.workload.service!.scaling.minCount, want.min);
      assert.equal(env.domain!.cloudArmor, want.armor);
      assert.equal(env.monitoring.pagesOwners, want.pages);
      assert.deepEqual(
        Object.keys(env.monitoring.pagingWebhookSecrets),
        want.pages ? ["team-a", "team-b"] : [],
      );
      assert.equal(env.project.folderId, SETTINGS.folders[category]);
      assert.equal(env.project.labels["collect-security-audit-logs"], want.pages ? "true" : undefined);
      assert.equal(env.policyConfig, `policy/config/${category}.json`);
    });
  }

  it("PITR without HA only where the category says always; HA turns it on in test", () => {
    const test = resolved(
      spec("test", `    resources:\n      postgreSQL: { databases: [a], highAvailability: true }\n`),
    );
    assert.equal(test.postgres!.pointInTimeRecovery, true, "test: PITR comes with HA");
    const internal = resolved(spec("internal", `    resources:\n      postgreSQL: { databases: [a] }\n`));
    assert.equal(internal.postgres!.highAvailability, false);
    assert.equal(internal.postgres!.pointInTimeRecovery, true, "internal: always");
  });

  it("an external environment that omits HA gets MSP's defaults: Redis BASIC (redis-basic), Cloud SQL ZONAL", () => {
    const env = resolved(spec("external", DATA));
    assert.equal(env.postgres!.highAvailability, false, "Cloud SQL: MSP's ZONAL");
    assert.equal(env.redis!.tier, "BASIC", "Redis: MSP's BASIC, no replacement of an adopted instance");
    assert.equal(env.redis!.name, "redis-basic", "MSP's name of the BASIC instance");
    const optedIn = resolved(
      spec(
        "external",
        `    resources:\n      postgreSQL: { databases: [a], highAvailability: true }\n      redis: { highAvailability: true }\n`,
      ),
    );
    assert.equal(optedIn.postgres!.highAvailability, true);
    assert.equal(optedIn.redis!.tier, "STANDARD_HA");
    assert.equal(optedIn.redis!.name, "redis");
  });

  it("the spec wins over the category: highAvailability false stays zonal in external", () => {
    const env = resolved(
      spec(
        "external",
        `    resources:\n      postgreSQL: { databases: [a], highAvailability: false }\n      redis: { highAvailability: false }\n`,
      ),
    );
    assert.equal(env.postgres!.highAvailability, false);
    assert.equal(env.redis!.highAvailability, false);
    assert.equal(env.redis!.tier, "BASIC");
    assert.equal(env.redis!.name, "redis-basic");
    const test = resolved(spec("test", `    resources:\n      redis: { highAvailability: true }\n`));
    assert.equal(test.redis!.tier, "STANDARD_HA");
  });

  it("ranks categories from least to most protected", () => {
    assert.deepEqual(
      (["external", "test", "internal"] as const).map((c) => categoryRank(c)),
      [2, 0, 1],
    );
    assert.equal(categoryRank("production"), undefined);
    assert.equal(categoryRank("toString"), undefined, "only the table's own keys");
    assert.deepEqual(
      Object.keys(CATEGORY_DEFAULTS).map((c) => categoryRank(c)),
      [0, 1, 2],
      "test, internal, external: the table's own order",
    );
  });
});

describe("resolver: names, ids and derived values", () => {
  it("names every resource from the service, environment and region", () => {
    const env = resolved(spec("external", DATA + DOMAIN));
    assert.equal(env.stack, "demo-env");
    assert.equal(env.project.id, "demo-env-a1b2");
    assert.equal(env.project.displayName, "Demo - env");
    assert.equal(env.workload.cloudRunName, "demo-env-us-central1");
    assert.equal(env.workload.image, "us.gcr.io/sourcegraph-dev/demo:v1");
    assert.equal(env.identities.workloadEmail, "demo-sa@demo-env-a1b2.iam.gserviceaccount.com");
    assert.equal(env.identities.workloadSqlUser, "demo-sa@demo-env-a1b2.iam");
    assert.match(env.identities.operatorAccountId, /^operatoraccess-[0-9a-f]{6}$/);
    assert.match(env.postgres!.instanceName, /^postgresql-[0-9a-f]{4}$/);
    assert.equal(env.postgres!.connectionName, `demo-env-a1b2:us-central1:${env.postgres!.instanceName}`);
    assert.equal(env.postgres!.tier, "db-custom-1-4096");
    assert.equal(env.domain!.fqdn, "demo.sourcegraph.com");
    assert.equal(env.domain!.url, "https://demo.sourcegraph.com");
    assert.equal(env.domain!.loadBalancerNames.securityPolicy, "demo-env-us-central1-security-policy");
    assert.equal(env.monitoring.dashboardTitle, "MSP Alerts - Demo (env)");
    assert.equal(env.monitoring.handbookUrl, "https://handbook.example/services/demo.md");
    assert.equal(env.monitoring.slackChannel, "alerts-demo-env");
    assert.deepEqual(env.labels, { service: "demo", environment: "env", category: "external", msp: "true" });
  });

  it("Cloud SQL memory left out: 4 GB, or 1 GB per vCPU above 4 (issue 25.2: MSP's 4 GB for 8 vCPUs fails)", () => {
    const tier = (pg: string) =>
      resolved(spec("test", `    resources:\n      postgreSQL: { databases: [primary], ${pg} }\n`)).postgres!
        .tier;
    assert.equal(tier("cpu: 2"), "db-custom-2-4096");
    assert.equal(tier("cpu: 8"), "db-custom-8-8192");
    assert.equal(tier("cpu: 8, memoryGB: 16"), "db-custom-8-16384");
  });

  it("an environment ID with '-' names its stack's resources as any other (issue 25.2)", () => {
    const text = `service: { id: demo, owners: [t], description: Demo. }
build: { image: us.gcr.io/sourcegraph-dev/demo, source: { repo: github.com/sourcegraph/demo, dir: "." } }
environments:
  - id: prod-eu
    projectID: demo-prod-eu-a1b2
    category: test
    deploy: { type: manual, manual: { tag: v1 } }
    instances: { resources: { cpu: 1, memory: 1Gi } }
`;
    const env = resolved(parseServiceSpec(DEMO_FILE, new TextEncoder().encode(text)));
    assert.equal(env.stack, "demo-prod-eu");
    assert.equal(env.workload.cloudRunName, "demo-prod-eu-us-central1");
    assert.equal(env.monitoring.slackChannel, "alerts-demo-prod-eu");
  });

  it("the dataset ID defaults to the service ID with underscores; the spec's ID and project win", () => {
    const file = path.join(REPO, "services", "usage-exporter", "service.yaml");
    const text = fs.readFileSync(file, "utf8");
    const parse = (t: string) => resolved(parseServiceSpec(file, new TextEncoder().encode(t)));
    const own = parse(text).bigQuery!;
    assert.equal(own.datasetId, "usage_exporter");
    assert.equal(own.projectId, "usage-exporter-prod-3f1c");
    assert.equal(own.inEnvironmentProject, true);
    assert.deepEqual(Object.keys(own.tables), ["usage_events", "export_runs"]);
    const other = parse(
      text.replace(
        "      bigQueryDataset:\n",
        "      bigQueryDataset:\n        datasetID: events\n        projectID: shared-analytics\n",
      ),
    ).bigQuery!;
    assert.equal(other.datasetId, "events");
    assert.equal(other.projectId, "shared-analytics");
    assert.equal(other.inEnvironmentProject, false);
  });

  it("alerts: the uptime check only with a public domain, the dashboard grouped in MSP's order", () => {
    const env = resolved(spec("internal", DATA + DOMAIN));
    const ids = env.monitoring.alerts.map((a) => a.id);
    assert.ok(ids.includes("external_health_check"));
    assert.deepEqual(env.monitoring.uptime, {
      host: "demo.sourcegraph.com",
      path: "/",
      timeoutSeconds: 10,
      authenticated: false,
    });
    assert.deepEqual(
      env.monitoring.dashboardGroups.map((g) => g.title),
      ["Cloud Run Service Alerts", "Cloud SQL Alerts", "Container Alerts", "Redis Alerts", "Uptime Alerts"],
    );
    assert.deepEqual(
      env.monitoring.dashboardGroups.flatMap((g) => g.alertIds),
      ids,
      "every alert in one section, in catalogue order",
    );
    const restricted = resolved(spec("internal", DOMAIN + "    authentication: {}\n"));
    assert.equal(restricted.monitoring.uptime, undefined);
    assert.ok(!restricted.monitoring.alerts.some((a) => a.id === "external_health_check"));
    assert.deepEqual(restricted.workload.service!.invokers, []);
  });

  it("everything that names the organisation comes from the platform settings", () => {
    const staff = resolved(spec("internal", DOMAIN + "    authentication: { sourcegraph: true }\n"));
    assert.deepEqual(staff.workload.service!.invokers, ["domain:acme.example"]);
    for (const alert of staff.monitoring.alerts)
      assert.match(alert.documentation.content, /reach out to #platform-help\.$/, alert.id);
    assert.deepEqual(staff.domain!.originCertificate, {
      project: "shared-secrets",
      certificateSecret: "ACME_ORIGIN_CERT",
      keySecret: "ACME_ORIGIN_KEY",
    });
    const svc = resolveService(spec("test"), SETTINGS);
    assert.equal(svc.specUrl, "https://git.example/acme/platform/blob/main/services/demo/service.yaml");
    assert.deepEqual(svc.organisation, {
      slackWorkspaceUrl: "https://acme.slack.com",
      supportChannel: "platform-help",
      platformTeam: "Platform",
      platformSupportHandle: "@platform-oncall",
      accessRequestProcess: "Acme Access",
      folderNames: SETTINGS.folderNames,
    });
  });

  it("labels and documents every alert policy", () => {
    const env = resolved(spec("test"));
    const cpu = env.monitoring.alerts.find((a) => a.id === "cpu")!;
    assert.deepEqual(cpu.labels, {
      source: "managed-services-platform",
      msp_alert_id: "cpu",
      msp_service_id: "demo",
      msp_environment_id: "env",
      resource_kind: "cloud_run_service",
    });
    assert.equal(cpu.documentation.subject, "Demo (env): High Container CPU Utilization");
    assert.match(
      cpu.documentation.content,
      /See https:\/\/handbook\.example\/services\/demo\.md -> \*\*env\*\*/,
    );
  });

  it("jobs: no domain, no precondition metric, a scheduler invoker and the deadline", () => {
    const s = spec(
      "test",
      "    schedule: { cron: '0 * * * *' }\n    deadlineSeconds: 600\n",
      "  kind: job\n",
    );
    const env = resolved(s);
    assert.equal(env.workload.kind, "job");
    assert.equal(env.workload.service, undefined);
    assert.deepEqual(env.workload.job, {
      deadlineSeconds: 600,
      cron: "0 * * * *",
      invokerAccountId: "demo-job-sa",
    });
    assert.equal(env.monitoring.preconditionMetric, undefined);
    assert.ok(env.monitoring.alerts.some((a) => a.id === "job_execution_absence"));
  });

  it("a service resolves once: the rollout pipeline lives with its final stage", () => {
    const text = `service:
  id: demo
  owners: [team-a]
  description: Demo.
  notionPageID: 0123456789abcdef0123456789abcdef
build:
  image: us.gcr.io/sourcegraph-dev/demo
  source: { repo: github.com/sourcegraph/demo, dir: "." }
environments:
  - id: dev
    projectID: demo-dev-a1b2
    category: test
    deploy: { type: rollout }
    instances: { resources: { cpu: 1, memory: 1Gi } }
  - id: prod
    projectID: demo-prod-a1b2
    category: internal
    deploy: { type: rollout }
    locations: { gcpRegion: us-west1, gcpLocation: US }
    instances: { resources: { cpu: 1, memory: 1Gi } }
rollout:
  stages: [{ environment: dev }, { environment: prod }]
`;
    const s = resolveService(parseServiceSpec(DEMO_FILE, new TextEncoder().encode(text)), SETTINGS);
    const [dev, prod] = s.environments;
    assert.equal(dev!.rollout, undefined);
    assert.equal(prod!.rollout, s.rollout);
    assert.equal(s.rollout!.pipelineName, "demo-us-west1-rollout");
    assert.deepEqual(
      s.rollout!.stages.map((st) => [st.envId, st.cloudRunName, st.targetName]),
      [
        ["dev", "demo-dev-us-central1", "dev-us-west1"],
        ["prod", "demo-prod-us-west1", "prod-us-west1"],
      ],
    );
    assert.deepEqual(dev!.rolloutStage, { index: 0, stages: ["dev", "prod"] });
    assert.equal(dev!.workload.imageManagedByRollout, true);
  });
});

describe("resolver: startup probes that outlast Direct VPC egress's startup delay", () => {
  const PROBES = `    healthProbes: { healthzProbes: true }
`;
  const budget = (
    env: ResolvedEnvironment,
    failureThreshold = env.workload.service!.probes!.startupFailureThreshold,
  ) => {
    const p = env.workload.service!.probes!;
    return startupProbeBudgetSeconds({
      initialDelaySeconds: 0,
      periodSeconds: p.startupInterval,
      failureThreshold,
      timeoutSeconds: p.timeout,
    });
  };

  it("with a database or Redis, the platform's default probe waits at least the documented minute, and no longer than it must", () => {
    for (const resources of [DATA, "    resources:\n      redis: { memoryGB: 1 }\n"]) {
      const env = resolved(spec("internal", PROBES + resources));
      assert.ok(env.network, "Cloud Run reaches the data through Direct VPC egress");
      const p = env.workload.service!.probes!;
      assert.deepEqual([p.timeout, p.startupInterval], [3, 3], "MSP's timeout and period stay");
      assert.equal(p.startupFailureThreshold, 19, "(60 s - 3 s timeout) / 3 s period");
      assert.ok(budget(env) >= DIRECT_VPC_EGRESS_STARTUP_DELAY_SECONDS, `budget ${budget(env)} s`);
      assert.ok(
        budget(env, p.startupFailureThreshold - 1) < DIRECT_VPC_EGRESS_STARTUP_DELAY_SECONDS,
        "the boundary",
      );
    }
  });

  it("the boundary, for other periods and timeouts (never below MSP's 3)", () => {
    const cases: [number, number, number][] = [
      // timeout, period, threshold
      [3, 3, 19],
      [5, 5, 11],
      [1, 59, 3],
      [10, 20, 3],
      [4, 7, 8],
    ];
    for (const [timeout, startupInterval, want] of cases) {
      const ft = startupFailureThreshold({ timeout, startupInterval }, true, false);
      assert.equal(ft, want, `timeout ${timeout}, period ${startupInterval}`);
      const b = (n: number) =>
        startupProbeBudgetSeconds({
          periodSeconds: startupInterval,
          failureThreshold: n,
          timeoutSeconds: timeout,
        });
      assert.ok(b(ft) >= DIRECT_VPC_EGRESS_STARTUP_DELAY_SECONDS);
      if (ft > MSP_PROBE_FAILURE_THRESHOLD) assert.ok(b(ft - 1) < DIRECT_VPC_EGRESS_STARTUP_DELAY_SECONDS);
    }
  });

  it("without the private network, or with a startup interval the spec sets, MSP's threshold of 3", () => {
    assert.equal(resolved(spec("internal", PROBES)).workload.service!.probes!.startupFailureThreshold, 3);
    assert.equal(resolved(spec("internal", PROBES)).network, undefined);
    const explicit = resolved(
      spec("internal", "    healthProbes: { timeout: 5, startupInterval: 10 }\n" + DATA),
    ).workload.service!.probes!;
    assert.deepEqual(
      [explicit.startupInterval, explicit.startupFailureThreshold],
      [10, 3],
      "the spec's 3 x 10 s",
    );
    const older = resolved(spec("internal", "    startupProbe: { interval: 4 }\n" + DATA)).workload.service!
      .probes!;
    assert.equal(older.startupFailureThreshold, 3, "the older startupProbe.interval is explicit too");
    const olderDefault = resolved(spec("internal", "    startupProbe: { timeout: 4 }\n" + DATA)).workload
      .service!.probes!;
    assert.equal(olderDefault.startupFailureThreshold, 14, "(60 - 4) / 4, rounded up");
  });

  it("keeps MSP's startup-latency alert threshold (3 x the interval) whatever the probe's budget", () => {
    const env = resolved(spec("internal", PROBES + DATA));
    const startup = env.monitoring.alerts.find((a) => a.id === "startup")!;
    assert.equal((startup.condition as { threshold: number }).threshold, 9000);
  });
});
