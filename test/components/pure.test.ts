import * as assert from "node:assert/strict";
import { cloudflareOnlyRules, RANGES_PER_RULE } from "../../components/cloud-armor";
import { postgresDatabaseFlags, postgresTier } from "../../components/postgres-settings";
import {
  containerEnv,
  crossProjectSecrets,
  renderEnvTemplate,
  secretMounts,
} from "../../components/container";
import { alertCatalogue, responseCodeRatioQuery } from "../../components/alerts/catalogue";
import { dashboardLayout, alertDocumentation } from "../../components/alerts/policy-shape";
import { imageProject } from "../../components/identities";
import { parsePlatformSettings } from "../../components/platform";
import { exampleServices } from "../helpers/stacks";
import { CLOUDFLARE_IPV4 } from "../../engine/cloud-model";

const svc = (id: string) => exampleServices().find((s) => s.spec.service.id === id)!.spec;

describe("component helpers (pure)", () => {
  it("builds Cloud Armor rules: Cloudflare ranges in groups of 10, then deny all", () => {
    const rules = cloudflareOnlyRules(CLOUDFLARE_IPV4);
    const allow = rules.filter((r) => r.action === "allow");
    assert.equal(allow.length, Math.ceil(CLOUDFLARE_IPV4.length / RANGES_PER_RULE));
    assert.deepEqual(
      allow.map((r) => r.priority),
      [4000, 4001],
    );
    assert.equal(allow[0]!.description, "Allow Cloudflare edge nodes 0");
    const last = rules.at(-1)!;
    assert.equal(last.priority, 2147483647);
    assert.equal(last.action, "deny(403)");
  });

  it("computes the Cloud SQL tier and audit flags", () => {
    assert.equal(postgresTier(2, 8), "db-custom-2-8192");
    const flags = Object.fromEntries(
      postgresDatabaseFlags({ maxConnections: 200, logicalDecoding: true }).map((f) => [f.name, f.value]),
    );
    assert.equal(flags["cloudsql.iam_authentication"], "on");
    assert.equal(flags["max_connections"], "200");
    assert.equal(flags["cloudsql.logical_decoding"], "on");
    assert.equal(flags["log_min_duration_statement"], "-1");
    assert.equal(
      postgresDatabaseFlags({}).some((f) => f.name === "max_connections"),
      false,
    );
  });

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
    const entries = containerEnv(env, {
      projectId: env.projectID,
      envId: env.id,
      dnsName: "accounts.sourcegraph.com",
      diagnosticsSecret: "DIAGNOSTICS_SECRET",
      redis: { endpointSecret: "REDIS_ENDPOINT", caSecret: "REDIS_CA_CERT" },
    });
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
    const mounts = secretMounts(env, {
      projectId: "p",
      envId: "prod",
      diagnosticsSecret: "d",
      redis: { endpointSecret: "e", caSecret: "c" },
    });
    assert.deepEqual(
      mounts.map((m) => `${m.mountDir}/${m.fileName}`),
      ["/etc/accounts/signing-key.pem", "/etc/ssl/custom-certs/redis-ca-cert.pem"],
    );
    assert.deepEqual(crossProjectSecrets(env), [
      { project: "sourcegraph-secrets", name: "ACCOUNTS_IDP_CLIENT_SECRET" },
    ]);
  });

  it("finds the registry project of private images", () => {
    assert.equal(imageProject("us.gcr.io/sourcegraph-dev/releaseregistry"), "sourcegraph-dev");
    assert.equal(
      imageProject("us-central1-docker.pkg.dev/sourcegraph-dev/cody-analytics/service"),
      "sourcegraph-dev",
    );
    assert.equal(imageProject("index.docker.io/sourcegraph/x"), undefined);
  });

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
    assert.equal(
      codyAlerts.filter((a) => a.severity === "CRITICAL").length,
      1,
      "only the uptime check is CRITICAL",
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
      alertDocumentation("Desc", "https://h/x.md", "prod"),
      /^Desc\n\nSee https:\/\/h\/x\.md -> \*\*prod\*\*/,
    );
    const layout = dashboardLayout("MSP Alerts - X (prod)", "h", [
      { title: "Container Alerts", policies: ["a", "b", "c"] },
    ]);
    assert.equal(layout.mosaicLayout.columns, 48);
    assert.equal(layout.mosaicLayout.tiles.length, 1 + 1 + 3);
  });

  it("rejects incomplete platform settings with the config key", () => {
    assert.throws(() => parsePlatformSettings({ billingAccount: "b" }), /Pulumi config msp:folders/);
  });
});
