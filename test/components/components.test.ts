/**
 * Every component, run through the real stack program under setMocks: inputs are captured by type token
 * and each setting that matters for safety, cost or behaviour is asserted.
 */
import * as assert from "node:assert/strict";
import { planOf, ofType, one, get, planOfEditedExample, containerEnvs } from "../helpers/stacks";
import { WORKLOAD_ROLES } from "../../components/identities";

describe("GcpProject", () => {
  it("creates the project with labels, folder, billing and protection; APIs never disabled", async () => {
    const plan = await planOf("accounts-prod");
    const p = one(plan, "gcp:organizations/project:Project");
    assert.equal(p.inputs.projectId, "accounts-prod-csvc");
    assert.equal(p.inputs.name, "Accounts - prod");
    assert.equal(p.inputs.folderId, "folders/000000000003", "external folder");
    assert.equal(p.inputs.autoCreateNetwork, false);
    assert.equal(p.inputs.deletionPolicy, "PREVENT");
    assert.equal(p.protect, true);
    assert.deepEqual(p.inputs.labels, {
      service: "accounts",
      environment: "prod",
      category: "external",
      msp: "true",
      "collect-security-audit-logs": "true",
    });
    const apis = ofType(plan, "gcp:projects/service:Service");
    assert.ok(apis.length >= 23);
    for (const a of apis) assert.equal(a.inputs.disableOnDestroy, false);
  });

  it("uses the test folder and no audit label for test environments", async () => {
    const p = one(await planOf("releaseregistry-dev"), "gcp:organizations/project:Project");
    assert.equal(p.inputs.folderId, "folders/000000000001");
    assert.equal((p.inputs.labels as Record<string, string>)["collect-security-audit-logs"], undefined);
  });
});

describe("Identities", () => {
  it("grants MSP's roles, the spec's roles and a custom role to the workload account", async () => {
    const plan = await planOf("usage-exporter-prod");
    const grants = ofType(plan, "gcp:projects/iAMMember:IAMMember").filter((g) =>
      String(g.inputs.member).includes("usage-exporter-sa@"),
    );
    const roles = grants.map((g) => g.inputs.role);
    for (const r of [
      ...WORKLOAD_ROLES,
      "roles/bigquery.jobUser",
      "projects/usage-exporter-prod-3f1c/roles/msp_workload_custom_role",
    ])
      assert.ok(roles.includes(r), `missing ${r}`);
    const custom = one(plan, "gcp:projects/iAMCustomRole:IAMCustomRole");
    assert.deepEqual(custom.inputs.permissions, ["bigquery.tables.getData"]);
    const secretGrant = one(plan, "gcp:secretmanager/secretIamMember:SecretIamMember");
    assert.equal(secretGrant.inputs.project, "sourcegraph-secrets");
    assert.equal(secretGrant.inputs.secretId, "CODY_GATEWAY_TOKEN");
  });

  it("lets the Cloud Run agent pull private images (that repository only) and creates a read-only operator account", async () => {
    const plan = await planOf("releaseregistry-prod");
    // Never project-wide in the registry's project (issue 23, finding 4): that reads every repository there.
    assert.deepEqual(
      ofType(plan, "gcp:projects/iAMMember:IAMMember").filter((g) => g.inputs.project === "sourcegraph-dev"),
      [],
    );
    const pulls = ofType(plan, "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember");
    assert.deepEqual(
      pulls.map((g) => [g.inputs.project, g.inputs.location, g.inputs.repository, g.inputs.role]),
      [["sourcegraph-dev", "us", "us.gcr.io", "roles/artifactregistry.reader"]],
    );
    assert.match(
      String(pulls[0]!.inputs.member),
      /^serviceAccount:service-\d+@serverless-robot-prod\.iam\.gserviceaccount\.com$/,
    );
    // The agent exists only once generateServiceIdentity (or run.googleapis.com's enablement) made it: the grant
    // is created after the ServiceIdentity of run.googleapis.com in this project, never beside it (issue 25.3).
    const agent = ofType(plan, "gcp:projects/serviceIdentity:ServiceIdentity").find(
      (r) => r.inputs.service === "run.googleapis.com",
    );
    assert.ok(agent, "the Cloud Run service agent identity is in the plan");
    assert.equal(agent.inputs.project, "releaseregistry-prod-5421");
    assert.ok(
      pulls[0]!.dependencies.includes(agent.urn),
      "the image-pull grant waits for the agent identity",
    );
    assert.equal(pulls[0]!.inputs.member, `serviceAccount:${String(agent.outputs.email)}`);
    const accounts = ofType(plan, "gcp:serviceaccount/account:Account").map((a) => a.inputs.accountId);
    assert.ok(accounts.some((a) => /^operatoraccess-[0-9a-f]{6}$/.test(String(a))));
    const workload = ofType(plan, "gcp:serviceaccount/account:Account").find(
      (a) => a.inputs.accountId === "releaseregistry-sa",
    )!;
    assert.equal(workload.protect, true);
  });
});

describe("PrivateNetwork", () => {
  it("exists only with PostgreSQL or Redis", async () => {
    assert.equal(ofType(await planOf("cody-analytics-prod"), "gcp:compute/network:Network").length, 0);
    const plan = await planOf("pings-prod");
    const subnet = one(plan, "gcp:compute/subnetwork:Subnetwork");
    assert.equal(subnet.inputs.ipCidrRange, "172.16.0.0/12");
    assert.equal(subnet.inputs.privateIpGoogleAccess, true);
    assert.equal(one(plan, "gcp:compute/network:Network").inputs.autoCreateSubnetworks, false);
    assert.equal(
      one(plan, "gcp:servicenetworking/connection:Connection").inputs.service,
      "servicenetworking.googleapis.com",
    );
  });
});

describe("CloudRunService", () => {
  it("limits ingress to the load balancer, pins traffic and sets the runtime contract", async () => {
    const plan = await planOf("accounts-prod");
    const s = one(plan, "gcp:cloudrunv2/service:Service");
    assert.equal(s.inputs.name, "accounts-prod-us-west1");
    assert.equal(s.inputs.ingress, "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER");
    assert.deepEqual(s.inputs.traffics, [{ percent: 100, type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST" }]);
    assert.equal(get(s.inputs, "template.timeout"), "300s");
    assert.deepEqual(get(s.inputs, "template.scaling"), { maxInstanceCount: 20, minInstanceCount: 2 });
    assert.equal(get(s.inputs, "template.containers.0.ports.containerPort"), 9992);
    assert.deepEqual(get(s.inputs, "template.containers.0.resources.limits"), { cpu: "2", memory: "2Gi" });
    assert.equal(get(s.inputs, "template.vpcAccess.egress"), "PRIVATE_RANGES_ONLY");
    assert.match(
      String(get(s.inputs, "template.serviceAccount")),
      /^accounts-sa@accounts-prod-csvc\.iam\.gserviceaccount\.com$/,
    );
    const env = containerEnvs(s);
    assert.equal(env.MSP!.value, "true");
    assert.equal(env.ENVIRONMENT_ID!.value, "prod");
    assert.equal(env.GOOGLE_CLOUD_PROJECT!.value, "accounts-prod-csvc");
    assert.equal(env.EXTERNAL_DNS_NAME!.value, "accounts.sourcegraph.com");
    assert.match(String(env.PGINSTANCE!.value), /^accounts-prod-csvc:us-west1:postgresql-/);
    assert.equal(env.PGUSER!.value, "accounts-sa@accounts-prod-csvc.iam");
    assert.equal(env.GCS_PROJECT!.value, "accounts-prod-csvc", "env templating");
    for (const name of [
      "DIAGNOSTICS_SECRET",
      "REDIS_ENDPOINT",
      "SESSION_KEY",
      "IDENTITY_PROVIDER_CLIENT_SECRET",
    ]) {
      assert.equal(env[name]!.value, undefined, `${name} must not be a plain value`);
      assert.ok(get(env[name], "valueSource.secretKeyRef.secret"), `${name} comes from Secret Manager`);
    }
    const mounts = get(s.inputs, "template.containers.0.volumeMounts") as { mountPath: string }[];
    assert.deepEqual(mounts.map((m) => m.mountPath).sort(), ["/etc/accounts", "/etc/ssl/custom-certs"]);
    const volume = (get(s.inputs, "template.volumes") as { secret: { items: { mode: number }[] } }[])[0]!;
    assert.equal(volume.secret.items[0]!.mode, 0o444);
  });

  it("probes /-/healthz with the diagnostics bearer token kept secret", async () => {
    const s = one(await planOf("pings-prod"), "gcp:cloudrunv2/service:Service");
    const startup = get(s.inputs, "template.containers.0.startupProbe") as Record<string, unknown>;
    assert.equal(get(startup, "httpGet.path"), "/-/healthz");
    assert.equal(startup.periodSeconds, 10);
    assert.equal(startup.timeoutSeconds, 5);
    assert.equal(startup.failureThreshold, 3, "the spec sets the interval: MSP's threshold (the pack warns)");
    assert.equal(get(s.inputs, "template.containers.0.livenessProbe.periodSeconds"), 60);
    assert.deepEqual(
      Object.keys(get(startup, "httpGet.httpHeaders.0.value") as object).length,
      2,
      "a redacted secret",
    );
    assert.equal(get(s.inputs, "template.containers.0.ports.name"), "h2c");
  });

  it("sizes the platform's startup probe for Direct VPC egress (accounts-prod: Cloud SQL and Redis)", async () => {
    const s = one(await planOf("accounts-prod"), "gcp:cloudrunv2/service:Service");
    assert.ok((get(s.inputs, "template.vpcAccess.networkInterfaces") as unknown[]).length > 0);
    const startup = get(s.inputs, "template.containers.0.startupProbe") as Record<string, number>;
    assert.deepEqual(
      [startup.initialDelaySeconds, startup.periodSeconds, startup.failureThreshold, startup.timeoutSeconds],
      [0, 3, 19, 3],
      "0 + 3 x 19 + 3 = 60 s",
    );
    assert.equal(
      get(s.inputs, "template.containers.0.livenessProbe.failureThreshold"),
      3,
      "liveness stays MSP's",
    );
  });

  it("leaves the image to Cloud Deploy for rollouts and grants invokers per authentication", async () => {
    const pings = await planOf("pings-dev");
    assert.deepEqual(one(pings, "gcp:cloudrunv2/service:Service").ignoreChanges, [
      "template.containers[0].image",
      "client",
      "clientVersion",
    ]);
    assert.equal(one(pings, "gcp:cloudrunv2/serviceIamMember:ServiceIamMember").inputs.member, "allUsers");
    assert.equal(
      ofType(await planOf("accounts-prod"), "gcp:cloudrunv2/serviceIamMember:ServiceIamMember").length,
      0,
      "authentication: {} is restricted",
    );
    const manual = one(await planOf("releaseregistry-prod"), "gcp:cloudrunv2/service:Service");
    assert.equal(
      get(manual.inputs, "template.containers.0.image"),
      "us.gcr.io/sourcegraph-dev/releaseregistry:v0.4.2",
    );
    assert.deepEqual(manual.ignoreChanges, []);
    assert.equal(get(manual.inputs, "template.scaling.minInstanceCount"), 1);
  });
});

describe("CloudRunJob", () => {
  it("runs one task with the deadline and a UTC scheduler with its own invoker", async () => {
    const plan = await planOf("usage-exporter-prod");
    const job = one(plan, "gcp:cloudrunv2/job:Job");
    assert.equal(get(job.inputs, "template.taskCount"), 1);
    assert.equal(get(job.inputs, "template.template.timeout"), "900s");
    assert.equal(get(job.inputs, "template.template.executionEnvironment"), "EXECUTION_ENVIRONMENT_GEN2");
    const env = containerEnvs(job);
    assert.equal(env.JOB_EXECUTION_CRON_SCHEDULE!.value, "0 */2 * * *");
    assert.equal(env.JOB_EXECUTION_DEADLINE!.value, "900s");
    assert.equal(env.BIGQUERY_DATASET_ID!.value, "usage_exporter");
    const sched = one(plan, "gcp:cloudscheduler/job:Job");
    assert.equal(sched.inputs.timeZone, "Etc/UTC");
    assert.equal(sched.inputs.schedule, "0 */2 * * *");
    assert.equal(sched.inputs.attemptDeadline, "900s");
    assert.equal(
      get(sched.inputs, "httpTarget.uri"),
      "https://us-central1-run.googleapis.com/apis/run.googleapis.com/v1/namespaces/usage-exporter-prod-3f1c/jobs/usage-exporter-prod-us-central1:run",
    );
    assert.match(
      String(get(sched.inputs, "httpTarget.oauthToken.serviceAccountEmail")),
      /^usage-exporter-job-sa@/,
    );
    assert.equal(one(plan, "gcp:cloudrunv2/jobIamMember:JobIamMember").inputs.role, "roles/run.invoker");
  });
});

describe("PostgresInstance", () => {
  it("is closed to networks (connectors only), TLS-only, IAM-authenticated, backed up with PITR and protected", async () => {
    const plan = await planOf("accounts-prod");
    const sql = one(plan, "gcp:sql/databaseInstance:DatabaseInstance");
    const s = (k: string) => get(sql.inputs, `settings.${k}`);
    assert.equal(sql.inputs.databaseVersion, "POSTGRES_15");
    assert.equal(sql.inputs.deletionProtection, true);
    assert.equal(s("deletionProtectionEnabled"), true);
    assert.equal(s("tier"), "db-custom-2-8192");
    assert.equal(s("availabilityType"), "REGIONAL");
    assert.equal(s("diskType"), "PD_SSD");
    assert.equal(s("diskAutoresize"), true);
    // A public address only IAM-authorized Cloud SQL connectors can use: no authorized network.
    assert.equal(s("ipConfiguration.ipv4Enabled"), true);
    assert.equal(s("connectorEnforcement"), "REQUIRED");
    assert.deepEqual(s("ipConfiguration.authorizedNetworks"), []);
    assert.equal(s("ipConfiguration.sslMode"), "TRUSTED_CLIENT_CERTIFICATE_REQUIRED");
    assert.ok(s("ipConfiguration.privateNetwork"));
    assert.equal(s("backupConfiguration.enabled"), true);
    assert.equal(s("backupConfiguration.startTime"), "10:00");
    assert.equal(s("backupConfiguration.pointInTimeRecoveryEnabled"), true);
    assert.equal(s("backupConfiguration.backupRetentionSettings.retainedBackups"), 90);
    assert.deepEqual(s("maintenanceWindow"), { day: 1, hour: 15, updateTrack: "stable" });
    assert.equal(s("insightsConfig.queryInsightsEnabled"), true);
    assert.equal(sql.protect, true);
    for (const db of ofType(plan, "gcp:sql/database:Database")) {
      assert.equal(db.protect, true);
      assert.equal(db.inputs.deletionPolicy, "ABANDON");
    }
    const users = ofType(plan, "gcp:sql/user:User");
    assert.deepEqual(users.map((u) => u.inputs.type).sort(), [
      "BUILT_IN",
      "CLOUD_IAM_SERVICE_ACCOUNT",
      "CLOUD_IAM_SERVICE_ACCOUNT",
    ]);
    const admin = users.find((u) => u.inputs.type === "BUILT_IN")!;
    assert.equal(admin.inputs.name, "msp-admin");
    assert.equal(Object.keys(admin.inputs.password as object).length, 2, "the password is a redacted secret");
  });

  it("turns point-in-time recovery on for production even without HA, and not for test without HA", async () => {
    // No example production environment runs PostgreSQL without HA: accounts-prod with HA switched off.
    const zonalProd = await planOfEditedExample("accounts", "accounts-prod", (text) =>
      text.replace("highAvailability: true", "highAvailability: false"),
    );
    const prod = one(zonalProd, "gcp:sql/databaseInstance:DatabaseInstance");
    assert.equal(get(prod.inputs, "settings.userLabels.category"), "external");
    assert.equal(get(prod.inputs, "settings.availabilityType"), "ZONAL");
    assert.equal(get(prod.inputs, "settings.backupConfiguration.pointInTimeRecoveryEnabled"), true);

    const test = one(await planOf("releaseregistry-prod"), "gcp:sql/databaseInstance:DatabaseInstance");
    assert.equal(get(test.inputs, "settings.userLabels.category"), "test");
    assert.equal(get(test.inputs, "settings.availabilityType"), "ZONAL");
    assert.equal(get(test.inputs, "settings.backupConfiguration.pointInTimeRecoveryEnabled"), false);
    assert.equal(
      get(test.inputs, "settings.backupConfiguration.enabled"),
      true,
      "backups whatever the category",
    );
  });
});

describe("RedisInstance", () => {
  it("uses AUTH, TLS, RDB and the private network; endpoint and CA go to Secret Manager", async () => {
    const plan = await planOf("pings-dev");
    const r = one(plan, "gcp:redis/instance:Instance");
    assert.equal(r.inputs.tier, "BASIC");
    assert.equal(r.inputs.name, "redis-basic");
    assert.equal(r.inputs.authEnabled, true);
    assert.equal(r.inputs.transitEncryptionMode, "SERVER_AUTHENTICATION");
    assert.equal(r.inputs.connectMode, "PRIVATE_SERVICE_ACCESS");
    assert.equal(get(r.inputs, "persistenceConfig.persistenceMode"), "RDB");
    assert.equal(r.protect, true);
    const secrets = ofType(plan, "gcp:secretmanager/secret:Secret").map((s) => s.inputs.secretId);
    assert.ok(secrets.includes("REDIS_ENDPOINT") && secrets.includes("REDIS_CA_CERT"));
    const ha = one(await planOf("pings-prod"), "gcp:redis/instance:Instance");
    assert.equal(ha.inputs.tier, "STANDARD_HA");
    assert.equal(ha.inputs.memorySizeGb, 2);
  });
});

describe("BigQueryDataset", () => {
  it("creates the dataset and tables from their schema files, protected, writable by the workload", async () => {
    const plan = await planOf("usage-exporter-prod");
    const ds = one(plan, "gcp:bigquery/dataset:Dataset");
    assert.equal(ds.inputs.datasetId, "usage_exporter");
    assert.equal(ds.inputs.location, "US");
    assert.equal(ds.inputs.deleteContentsOnDestroy, false);
    assert.equal(ds.protect, true);
    const tables = ofType(plan, "gcp:bigquery/table:Table");
    assert.deepEqual(tables.map((t) => t.inputs.tableId).sort(), ["export_runs", "usage_events"]);
    for (const t of tables) {
      assert.equal(t.inputs.deletionProtection, true);
      assert.equal(t.protect, true);
      assert.ok(Array.isArray(JSON.parse(String(t.inputs.schema))));
    }
    assert.equal(
      one(plan, "gcp:bigquery/datasetIamMember:DatasetIamMember").inputs.role,
      "roles/bigquery.dataEditor",
    );
  });
});

describe("CloudflareDomain", () => {
  it("builds the load balancer with TLS 1.2, an HTTPS redirect, Cloud Armor for production and a proxied record", async () => {
    const plan = await planOf("accounts-prod");
    const ssl = one(plan, "gcp:compute/sSLPolicy:SSLPolicy");
    assert.deepEqual([ssl.inputs.profile, ssl.inputs.minTlsVersion], ["MODERN", "TLS_1_2"]);
    const rules = ofType(plan, "gcp:compute/globalForwardingRule:GlobalForwardingRule");
    assert.deepEqual(rules.map((r) => r.inputs.portRange).sort(), ["443", "80"]);
    const redirect = ofType(plan, "gcp:compute/uRLMap:URLMap").find((u) => u.inputs.defaultUrlRedirect)!;
    assert.equal(get(redirect.inputs, "defaultUrlRedirect.httpsRedirect"), true);
    const armor = one(plan, "gcp:compute/securityPolicy:SecurityPolicy");
    const armorRules = armor.inputs.rules as { action: string; priority: number }[];
    assert.equal(armorRules.at(-1)!.action, "deny(403)");
    assert.ok(armorRules.some((r) => r.action === "allow" && r.priority === 4000));
    const backend = one(plan, "gcp:compute/backendService:BackendService");
    assert.equal(backend.inputs.securityPolicy, armor.outputs.selfLink);
    assert.deepEqual(backend.inputs.logConfig, { enable: true, sampleRate: 1 });
    const record = one(plan, "cloudflare:index/dnsRecord:DnsRecord");
    assert.deepEqual(
      [record.inputs.name, record.inputs.type, record.inputs.proxied],
      ["accounts.sourcegraph.com", "A", true],
    );
    assert.equal(record.inputs.content, plan.outputs.loadBalancerIp);
    assert.equal(
      ofType(plan, "gcp:compute/sSLCertificate:SSLCertificate").length,
      1,
      "origin certificate when proxied",
    );
  });

  it("has no Cloud Armor for test environments", async () => {
    assert.equal(
      ofType(await planOf("releaseregistry-prod"), "gcp:compute/securityPolicy:SecurityPolicy").length,
      0,
    );
  });
});

describe("AlertPolicies", () => {
  it("creates every catalogue alert with labels, auto-close, documentation and severity routing", async () => {
    const plan = await planOf("cody-analytics-prod");
    const policies = ofType(plan, "gcp:monitoring/alertPolicy:AlertPolicy");
    const names = policies.map((p) => p.inputs.displayName).sort();
    assert.deepEqual(names, [
      "Cloud Run Instance Precondition Failed",
      "Cloud Run Pending Requests",
      "Container Startup Latency",
      "External Uptime Check",
      "High Container CPU Utilization",
      "High Container Memory Utilization",
    ]);
    for (const p of policies) {
      assert.equal(get(p.inputs, "alertStrategy.autoClose"), "86400s");
      assert.equal(get(p.inputs, "userLabels.source"), "managed-services-platform");
      assert.equal(get(p.inputs, "documentation.mimeType"), "text/markdown");
      assert.match(String(get(p.inputs, "documentation.content")), /cody-analytics\.md -> \*\*prod\*\*/);
    }
    const uptime = policies.find((p) => p.inputs.displayName === "External Uptime Check")!;
    const cpu = policies.find((p) => p.inputs.displayName === "High Container CPU Utilization")!;
    assert.equal(uptime.inputs.severity, "CRITICAL");
    assert.equal(
      (uptime.inputs.notificationChannels as string[]).length,
      3,
      "Slack x2 + one paging channel for the one owner",
    );
    assert.equal((cpu.inputs.notificationChannels as string[]).length, 2, "warnings go to Slack only");
    assert.equal(
      get(one(plan, "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig").inputs, "httpCheck.path"),
      "/",
    );
    const dash = JSON.parse(String(one(plan, "gcp:monitoring/dashboard:Dashboard").inputs.dashboardJson)) as {
      displayName: string;
    };
    assert.equal(dash.displayName, "MSP Alerts - Cody Analytics (prod)");
  });

  it("does not page for test environments", async () => {
    const plan = await planOf("cody-analytics-dev");
    assert.equal(ofType(plan, "gcp:monitoring/notificationChannel:NotificationChannel").length, 2);
  });
});

describe("RolloutPipeline", () => {
  it("lives in the final stage with stages in order, executor and releaser accounts, buckets and notifications", async () => {
    const plan = await planOf("pings-prod");
    const pipeline = one(plan, "gcp:clouddeploy/deliveryPipeline:DeliveryPipeline");
    assert.equal(pipeline.inputs.name, "pings-us-central1-rollout");
    assert.deepEqual(
      (get(pipeline.inputs, "serialPipeline.stages") as { targetId: string }[]).map((s) => s.targetId),
      ["dev-us-central1", "prod-us-central1"],
    );
    const accounts = ofType(plan, "gcp:serviceaccount/account:Account").map((a) => a.inputs.accountId);
    assert.ok(accounts.includes("clouddeploy-executor") && accounts.includes("clouddeploy-releaser"));
    assert.ok(
      ofType(plan, "gcp:storage/bucket:Bucket").some(
        (b) => b.inputs.name === "pings-prod-2f4f73edf1db-cloudrun-skaffold",
      ),
    );
    assert.equal(one(plan, "gcp:pubsub/topic:Topic").inputs.name, "clouddeploy-operations");
    assert.equal(
      ofType(await planOf("pings-dev"), "gcp:clouddeploy/deliveryPipeline:DeliveryPipeline").length,
      0,
    );
  });
});

describe("StackOutputSecrets", () => {
  it("keeps MSP's stack outputs in the environment's Secret Manager, protected, values as Pulumi secrets from their resources", async () => {
    const plan = await planOf("accounts-prod");
    const component = one(plan, "msp:gcp:StackOutputSecrets");
    const secrets = ofType(plan, "gcp:secretmanager/secret:Secret").filter((s) => s.parent === component.urn);
    const ids = secrets.map((s) => String(s.inputs.secretId)).sort();
    for (const id of [
      "iam_cloud_run_service_account",
      "cloudrun_cloudsql_connection_name",
      "monitoring_service_id",
    ])
      assert.ok(ids.includes(id), id);
    assert.ok(ids.includes("monitoring_notifications_owner_0"));
    for (const s of secrets) {
      assert.equal(s.inputs.project, "accounts-prod-csvc");
      assert.equal(s.protect, true, `${String(s.inputs.secretId)} is protected`);
    }
    const versions = ofType(plan, "gcp:secretmanager/secretVersion:SecretVersion").filter(
      (v) => v.parent === component.urn,
    );
    assert.equal(versions.length, secrets.length, "one version per secret");
    for (const v of versions)
      assert.deepEqual(Object.keys(v.inputs.secretData as object).sort(), [
        "4dabf18193072939515e22adb298388d",
        "ciphertext",
      ]);
    const versionOf = (id: string) =>
      versions.find((v) => String(v.inputs.secret).endsWith(`/secrets/${id}`))!;
    const workload = ofType(plan, "gcp:serviceaccount/account:Account").find(
      (a) => a.inputs.accountId === "accounts-sa",
    )!;
    assert.ok(
      versionOf("iam_cloud_run_service_account").dependencies.includes(workload.urn),
      "value from the account",
    );
    const sql = one(plan, "gcp:sql/databaseInstance:DatabaseInstance");
    assert.ok(
      versionOf("cloudrun_cloudsql_connection_name").dependencies.includes(sql.urn),
      "value from Cloud SQL",
    );
    const paging = ofType(plan, "gcp:monitoring/notificationChannel:NotificationChannel").filter(
      (c) => c.inputs.type === "webhook_tokenauth",
    );
    assert.ok(paging.length > 0);
    const owner0 = versionOf("monitoring_notifications_owner_0").dependencies;
    assert.equal(paging.filter((c) => owner0.includes(c.urn)).length, 1, "one owner's paging channel");
    const critical = versionOf("monitoring_notifications_critical").dependencies;
    assert.ok(
      paging.every((c) => critical.includes(c.urn)),
      "every paging channel is critical",
    );
    const warning = versionOf("monitoring_notifications_warning").dependencies;
    assert.ok(!paging.some((c) => warning.includes(c.urn)), "no paging channel is a warning one");
  });
});
