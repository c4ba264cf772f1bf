import * as assert from "node:assert/strict";
import * as n from "../../platform/naming";
import { sqlIamUserName } from "../../plans/postgres-settings";

describe("naming (pure)", () => {
  it("fits Cloud Run names in 49 characters, keeping them unique", () => {
    assert.equal(
      n.cloudRunName("releaseregistry", "prod", "us-central1"),
      "releaseregistry-prod-us-central1",
    );
    const long = n.cloudRunName("a".repeat(20), "b".repeat(30), "northamerica-northeast1");
    assert.equal(long.length, 49);
    assert.match(long, /^a{20}-b{21}-[0-9a-f]{6}$/);
    assert.notEqual(long, n.cloudRunName("a".repeat(20), "b".repeat(29) + "c", "northamerica-northeast1"));
    assert.equal(n.fitName("x".repeat(63), 63), "x".repeat(63));
  });

  it("the edges: 49 characters kept, 50 shortened; compute names of a 49-character service fit 63", () => {
    // 20 + 1 + 16 + 1 + 11 = 49.
    assert.equal(n.cloudRunName("a".repeat(20), "b".repeat(16), "us-central1").length, 49);
    assert.match(n.cloudRunName("a".repeat(20), "b".repeat(16), "us-central1"), /^a{20}-b{16}-us-central1$/);
    assert.match(
      n.cloudRunName("a".repeat(20), "b".repeat(17), "us-central1"),
      /^a{20}-b{17}-us-[0-9a-f]{6}$/,
      "50: cut, the trailing dash dropped",
    );
    const lb = n.lbNames("c".repeat(49));
    assert.equal(lb.securityPolicy.length, 63);
    assert.match(lb.securityPolicy, /^c{49}-securi-[0-9a-f]{6}$/);
    assert.equal(lb.httpsProxy, "c".repeat(49) + "-https", "55 characters: kept");
  });

  it("service account IDs at the edges: 6 and 30 characters kept, 31 shortened, 5 padded", () => {
    assert.equal(n.workloadServiceAccountId("abc"), "abc-sa", "6: the minimum");
    assert.equal(n.workloadServiceAccountId("ab"), "ab-sa-msp", "5: padded");
    assert.equal(n.workloadServiceAccountId("a".repeat(27)), "a".repeat(27) + "-sa", "30: the maximum");
    assert.equal(n.workloadServiceAccountId("a".repeat(28)), "a".repeat(27) + "-sa", "31: cut to 30");
    assert.equal(
      n.workloadServiceAccountId("a".repeat(26) + "-b"),
      "a".repeat(26) + "-sa",
      "no dash before the suffix",
    );
  });

  it("keeps service account IDs within 6 to 30 characters", () => {
    assert.equal(n.workloadServiceAccountId("releaseregistry"), "releaseregistry-sa");
    assert.equal(n.workloadServiceAccountId("a".repeat(20)), "a".repeat(20) + "-sa");
    assert.equal(n.jobInvokerServiceAccountId("a".repeat(20)), "a".repeat(20) + "-job-sa");
    assert.ok(n.jobInvokerServiceAccountId("a".repeat(20)).length <= 30);
    assert.equal(n.workloadServiceAccountId("ab"), "ab-sa-msp");
    assert.ok(n.workloadServiceAccountId("ab").length >= 6);
    assert.match(n.operatorServiceAccountId("p-prod-1234"), /^operatoraccess-[0-9a-f]{6}$/);
  });

  it("derives the other names like MSP", () => {
    assert.equal(n.redisInstanceName(false), "redis-basic");
    assert.equal(n.redisInstanceName(true), "redis");
    assert.equal(n.bigQueryDatasetId("usage-exporter"), "usage_exporter");
    assert.equal(sqlIamUserName("svc-sa@p.iam.gserviceaccount.com"), "svc-sa@p.iam");
    assert.equal(n.postgresTier(2, 8), "db-custom-2-8192");
    assert.equal(n.dashboardTitle("Pings", "prod"), "MSP Alerts - Pings (prod)");
    assert.match(n.sqlInstanceName("p-prod-1234"), /^postgresql-[0-9a-f]{4}$/);
    assert.notEqual(n.subnetName("svc", "172.16.0.0/12"), n.subnetName("svc", "10.0.0.0/16"));
    assert.equal(n.lbNames("svc-prod-us-central1").securityPolicy, "svc-prod-us-central1-security-policy");
    assert.equal(n.slackChannel("svc", "prod"), "alerts-svc-prod");
    assert.equal(n.deliveryPipelineName("pings", "us-central1"), "pings-us-central1-rollout");
  });

  it("sanitises label values", () => {
    assert.equal(n.labelValue("Cody Analytics!"), "cody_analytics_");
    assert.equal(n.labelValue("x".repeat(80)).length, 63);
    assert.equal(n.labelCharacters("Cloud.Run/Service-1"), "cloud_run_service-1");
    assert.equal(n.labelCharacters("x".repeat(80)).length, 80);
    // Alert IDs: whole up to 63 characters; beyond, 54 of them, '_' and a hash, so two long IDs stay apart.
    assert.equal(n.uniqueLabelValue("custom_" + "a".repeat(56)), "custom_" + "a".repeat(56));
    const long = n.uniqueLabelValue("custom_" + "a".repeat(57));
    assert.equal(long.length, 63);
    assert.match(long, /^custom_a{47}_[0-9a-f]{8}$/);
    assert.notEqual(long, n.uniqueLabelValue("custom_" + "a".repeat(58)));
    assert.equal(n.customAlertKey("Token Issuance  Failures"), "token-issuance--failures");
    assert.deepEqual(n.mspLabels("svc", "prod", "external"), {
      service: "svc",
      environment: "prod",
      category: "external",
      msp: "true",
    });
  });
});
