/** The alert catalogue and the container contract, pure (they moved from the components to the resolver). */
import * as assert from "node:assert/strict";
import {
  ALERT_GROUPS,
  alertCatalogue,
  byGroup,
  responseCodeRatioQuery,
  alertDocumentation,
  alertLabels,
} from "../../resolve/alerts";
import {
  containerEnv,
  crossProjectSecrets,
  renderEnvTemplate,
  secretMounts,
  specContainer,
} from "../../resolve/container";
import { parsePlatformSettings } from "../../platform/settings";
import { mqlAlertingProblems, mqlDurationSeconds, MQL_ALERT_PERIOD_SECONDS } from "../../platform/mql";
import { exampleServices } from "../helpers/stacks";

const svc = (id: string) => exampleServices().find((s) => s.spec.service.id === id)!.spec;

describe("alert catalogue (pure)", () => {
  it("lists the built-in alerts with MSP's thresholds", () => {
    const spec = svc("accounts");
    const alerts = alertCatalogue(spec, spec.environments[0]!, "accounts-prod-us-west1");
    const byId = Object.fromEntries(alerts.map((a) => [a.id, a]));
    const t = (id: string) => byId[id]!.condition as { threshold: number; durationSeconds: number };
    assert.equal(t("cpu").threshold, 0.9);
    assert.equal(t("cpu").durationSeconds, 600);
    assert.equal(t("memory").threshold, 0.8);
    assert.equal(t("startup").threshold, 9000, "3 x startupInterval (3s) in ms");
    assert.equal(t("instance_count").threshold, 19);
    assert.equal(t("cloud_sql_connections").threshold, 180, "90% of maxConnections 200");
    assert.equal(byId.external_health_check, undefined, "authentication disables the uptime check");
    assert.equal(byId["custom_token-issuance-failures"]!.severity, "CRITICAL");
    assert.equal(alerts[0]!.group, "Custom Alerts");
    const cody = svc("cody-analytics");
    const codyAlerts = alertCatalogue(cody, cody.environments[1]!, "cody-analytics-prod-us-central1");
    const uptime = codyAlerts.find((a) => a.id === "external_health_check")!;
    assert.equal(uptime.severity, "CRITICAL");
    // MSP's condition: fraction of passing checks (mean over the checker regions) below 0.4, at once.
    assert.deepEqual(uptime.condition, {
      kind: "uptime",
      host: "cody-analytics.sourcegraph.com",
      threshold: 0.4,
      durationSeconds: 0,
    });
    assert.equal(
      codyAlerts.filter((a) => a.severity === "CRITICAL").length,
      1,
      "only the uptime check is CRITICAL",
    );
  });

  it("labels a long custom alert within GCP's 63 characters, apart from its neighbour", () => {
    const spec = svc("accounts");
    const ctx = {
      serviceId: "accounts",
      serviceName: "Accounts",
      envId: "prod",
      handbookUrl: "h",
      supportChannel: "s",
    };
    const alert = (name: string) => ({
      id: `custom_${name}`,
      name,
      description: "",
      severity: "WARNING" as const,
      group: "Custom Alerts" as const,
      resourceKind: "cloud_run_revision",
      condition: alertCatalogue(spec, spec.environments[0]!, "accounts-prod-us-west1")[0]!.condition,
    });
    const a = alertLabels(ctx, alert("token-issuance-failures-in-the-eu-region-for-enterprise-customers"));
    const b = alertLabels(ctx, alert("token-issuance-failures-in-the-eu-region-for-enterprise-customers-2"));
    assert.equal(a.msp_alert_id!.length, 63);
    assert.notEqual(a.msp_alert_id, b.msp_alert_id);
    assert.equal(alertLabels(ctx, alert("short")).msp_alert_id, "custom_short");
  });

  it("orders groups one way on the dashboard and another on the handbook page (one table)", () => {
    const groups = Object.keys(ALERT_GROUPS) as (keyof typeof ALERT_GROUPS)[];
    const alerts = groups.map((group) => ({ id: group, group }));
    assert.deepEqual(
      byGroup(alerts, "dashboard").map((a) => a.group),
      [
        "Custom Alerts",
        "Response Code Ratio Alerts",
        "Cloud Run Job Alerts",
        "Cloud Run Service Alerts",
        "Cloud SQL Alerts",
        "Container Alerts",
        "Redis Alerts",
        "Uptime Alerts",
        "Rollout Alerts",
      ],
    );
    assert.deepEqual(
      byGroup(alerts, "page").map((a) => a.group),
      [
        "Container Alerts",
        "Cloud Run Service Alerts",
        "Cloud Run Job Alerts",
        "Uptime Alerts",
        "Response Code Ratio Alerts",
        "Redis Alerts",
        "Cloud SQL Alerts",
        "Custom Alerts",
        "Rollout Alerts",
      ],
    );
    for (const order of ["dashboard", "page"] as const)
      assert.equal(
        new Set(groups.map((g) => ALERT_GROUPS[g][order])).size,
        groups.length,
        `${order}: no ties`,
      );
  });

  it("writes the response-code ratio query and alert documentation", () => {
    const q = responseCodeRatioQuery("svc-prod-us-central1", {
      codeClass: "5xx",
      excludeCodes: ["503"],
      ratio: 0.05,
    });
    assert.match(q, /response_code_class == '5xx' && metric.response_code != '503'/);
    assert.match(q, /condition ratio > 0.05/);
    assert.match(
      alertDocumentation("Desc", "https://h/x.md", "prod", "platform-help"),
      /^Desc\n\nSee https:\/\/h\/x\.md -> \*\*prod\*\*.* reach out to #platform-help\.$/,
    );
  });
});

describe("alerts evaluate as written (Google's alerting rules, pure)", () => {
  // Every environment of every example service, plus one with both kinds of response-code ratio.
  const catalogues = () => {
    const base = svc("accounts");
    const ratios = {
      ...base,
      monitoring: {
        alerts: {
          responseCodeRatios: [
            { id: "a", name: "A", code: 401, ratio: 0.3, durationMinutes: 10, excludeCodes: ["403"] },
            { id: "b", name: "B", codeClass: "5xx", ratio: 0.05, durationMinutes: 1 },
          ],
        },
      },
    } as typeof base;
    return [
      ...exampleServices().flatMap(({ spec }) =>
        spec.environments.map((env) => ({ label: `${spec.service.id}-${env.id}`, spec, env })),
      ),
      { label: "response-code ratios", spec: ratios, env: ratios.environments[0]! },
    ].map((c) => ({ label: c.label, alerts: alertCatalogue(c.spec, c.env, `${c.label}-us-central1`) }));
  };

  it("MQL conditions say every 30s and use no operation Google says to avoid", () => {
    const mql = catalogues().flatMap((c) =>
      c.alerts.flatMap((a) =>
        a.condition.kind === "mql" ? [{ at: `${c.label} ${a.id}`, ...a.condition }] : [],
      ),
    );
    assert.ok(mql.length >= 2, "the synthetic environment's ratios are MQL alerts");
    for (const c of mql) {
      assert.deepEqual(mqlAlertingProblems(c.query), [], c.at);
      assert.match(c.query, /\| every 30s$/m, `${c.at}: the period Google evaluates, stated`);
      // The alignment window is the output window: every request is counted once, none skipped.
      const window = /align delta_gauge\((\w+)\)/.exec(c.query)?.[1];
      assert.equal(window && mqlDurationSeconds(window), MQL_ALERT_PERIOD_SECONDS, c.at);
    }
  });

  it("durations and alignment periods are ones the Monitoring API evaluates (whole minutes, periods >= 60s)", () => {
    for (const c of catalogues())
      for (const a of c.alerts) {
        const at = `${c.label} ${a.id}`;
        // A log-based alert fires on an entry: it has no duration.
        if (a.condition.kind === "log") continue;
        assert.equal(a.condition.durationSeconds % 60, 0, `${at}: duration ${a.condition.durationSeconds}s`);
        if (a.condition.kind === "threshold" || a.condition.kind === "absence") {
          const period = Number(/^(\d+)s$/.exec(a.condition.aggregation.alignmentPeriod)?.[1]);
          assert.ok(
            period >= 60 && period % 60 === 0,
            `${at}: alignment ${a.condition.aggregation.alignmentPeriod}`,
          );
        }
      }
  });

  it("finds what Google does not evaluate as written", () => {
    assert.deepEqual(
      mqlAlertingProblems("fetch x | align delta_gauge(30s) | every 30s | condition val() > 1"),
      [],
    );
    assert.deepEqual(mqlAlertingProblems("fetch x | group_by sliding(1h) | every 0.5m"), []);
    const old = mqlAlertingProblems("fetch x\n| align delta(15s)\n| every 15s\n| condition val() > 1");
    assert.equal(old.length, 2);
    assert.match(old[0]!, /says "every 15s" but Cloud Monitoring evaluates .* every 30s/);
    assert.match(old[1]!, /uses delta, .*use delta_gauge/);
    assert.match(mqlAlertingProblems("fetch x | align adjacent_rate(1m)")[0]!, /use rate/);
    assert.match(mqlAlertingProblems("fetch x | align adjacent_delta")[0]!, /use delta_gauge/);
    assert.match(mqlAlertingProblems("fetch x | align delta")[0]!, /use delta_gauge/);
    assert.match(mqlAlertingProblems("fetch x | group_by window(5m)")[0]!, /use sliding/);
    assert.match(mqlAlertingProblems("fetch x | every 1m")[0]!, /"every 1m"/);
    assert.deepEqual(
      mqlAlertingProblems("fetch x | filter metric.window == 'delta'"),
      [],
      "labels and strings",
    );
  });
});

describe("container contract (pure)", () => {
  it("renders MSP's env templates and rejects unknown variables", () => {
    assert.equal(
      renderEnvTemplate("https://{{ .ServiceDnsName }}/{{.ProjectID}}", {
        ProjectID: "p",
        ServiceDnsName: "x.y",
      }),
      "https://x.y/p",
    );
    assert.throws(
      () => renderEnvTemplate("{{ .Nope }}", { ProjectID: "p", ServiceDnsName: "" }),
      /unknown template variable/,
    );
  });

  it("puts secrets in secretKeyRef only, and the Redis endpoint never in plain text", () => {
    const spec = svc("accounts");
    const env = spec.environments[0]!;
    const container = specContainer(env, {
      ProjectID: env.projectID,
      ServiceDnsName: "accounts.sourcegraph.com",
    });
    const contract = {
      projectId: env.projectID,
      envId: env.id,
      dnsName: "accounts.sourcegraph.com",
      diagnosticsSecret: "DIAGNOSTICS_SECRET",
      redis: { endpointSecret: "REDIS_ENDPOINT", caSecret: "REDIS_CA_CERT" },
    };
    const entries = containerEnv(container, contract);
    const byName = Object.fromEntries(entries.map((e) => [e.name, e]));
    assert.deepEqual(byName.REDIS_ENDPOINT, { name: "REDIS_ENDPOINT", secret: "REDIS_ENDPOINT" });
    assert.deepEqual(byName.SESSION_KEY, { name: "SESSION_KEY", secret: "ACCOUNTS_SESSION_KEY" });
    assert.deepEqual(byName.EXTERNAL_URL, {
      name: "EXTERNAL_URL",
      value: "https://accounts.sourcegraph.com",
    });
    assert.deepEqual(byName.SSL_CERT_DIR, {
      name: "SSL_CERT_DIR",
      value: "/etc/ssl/certs:/etc/ssl/custom-certs",
    });
    assert.deepEqual(
      entries.slice(0, 5).map((e) => e.name),
      ["MSP", "ENVIRONMENT_ID", "GOOGLE_CLOUD_PROJECT", "SSL_CERT_DIR", "DIAGNOSTICS_SECRET"],
      "the contract first, in MSP's order",
    );
    const mounts = secretMounts(container, contract);
    assert.deepEqual(
      mounts.map((m) => `${m.mountDir}/${m.fileName}`),
      ["/etc/accounts/signing-key.pem", "/etc/ssl/custom-certs/redis-ca-cert.pem"],
    );
    assert.deepEqual(crossProjectSecrets(env), [
      { project: "sourcegraph-secrets", name: "ACCOUNTS_IDP_CLIENT_SECRET" },
    ]);
  });

  it("rejects incomplete platform settings with the config key", () => {
    assert.throws(() => parsePlatformSettings({ billingAccount: "b" }), /Pulumi config msp:folders/);
  });
});
