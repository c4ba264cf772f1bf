/**
 * What a running service gets on day two, through the real stack program: grants inside PostgreSQL, the
 * Sentry project, the subscription image pinned to a digest, logical replication.
 */
import * as assert from "node:assert/strict";
import { planOf, ofType, one, get, exampleServices, containerEnvs } from "../helpers/stacks";
import { runStackOffline } from "../../runner/run";
import { type OfflineResult } from "../../engine/plan";
import { findStack } from "../../program/stack";
import { platformSettingsFor } from "../../program/config";
import { OFFLINE_DIGEST_PREFIX } from "../../engine/model/artifact-registry";
import { REPO } from "../helpers/cli";
import {
  DEPLOY_ACTION,
  RENDER_ACTION,
  SKAFFOLD_FILE,
  skaffoldSourceFiles,
} from "../../plans/skaffold-source";
import { parse } from "yaml";

const T = {
  grantRole: "postgresql:index/grantRole:GrantRole",
  grant: "postgresql:index/grant:Grant",
  defaults: "postgresql:index/defaultPrivileges:DefaultPrivileges",
  provider: "pulumi:providers:postgresql",
};
const userOf = (plan: OfflineResult, role: "workload" | "operator") =>
  String(ofType(plan, "gcp:sql/user:User").find((u) => u.name === `postgres-${role}-user`)!.outputs.name);

describe("DatabaseGrants", () => {
  it("connects through the Cloud SQL connector as msp-admin, after the instance's users and databases", async () => {
    const plan = await planOf("releaseregistry-prod");
    const provider = one(plan, T.provider);
    const sql = one(plan, "gcp:sql/databaseInstance:DatabaseInstance");
    assert.equal(provider.inputs.scheme, "gcppostgres");
    assert.equal(provider.inputs.host, sql.outputs.connectionName);
    assert.equal(provider.inputs.username, "msp-admin");
    assert.equal(provider.inputs.superuser, "false", "cloudsqlsuperuser is not a PostgreSQL superuser");
    assert.ok(provider.inputs.password && typeof provider.inputs.password === "object", "a redacted secret");
    const component = plan.resources.find((r) => r.type === "msp:postgres:DatabaseGrants")!;
    for (const dep of ["postgres-db-releaseregistry", "postgres-workload-user", "postgres-operator-user"])
      assert.ok(
        component.dependencies.some((u) => u.endsWith(`::${dep}`)),
        `grants wait for ${dep}: ${component.dependencies.join(", ")}`,
      );
  });

  it("makes the workload own its databases: cloudsqlsuperuser with admin option, CREATE on public", async () => {
    const plan = await planOf("releaseregistry-prod");
    const workload = userOf(plan, "workload");
    const membership = one(plan, T.grantRole);
    assert.deepEqual(
      [membership.inputs.role, membership.inputs.grantRole, membership.inputs.withAdminOption],
      [workload, "cloudsqlsuperuser", true],
    );
    const schema = ofType(plan, T.grant).find((g) => g.inputs.role === workload)!;
    assert.deepEqual(
      [schema.inputs.database, schema.inputs.objectType, schema.inputs.schema, schema.inputs.privileges],
      ["releaseregistry", "schema", "public", ["CREATE", "USAGE"]],
    );
  });

  it("gives the operator CONNECT and SELECT on every table, present and future, and nothing else", async () => {
    const plan = await planOf("releaseregistry-prod");
    const operator = userOf(plan, "operator");
    const workload = userOf(plan, "workload");
    const grants = ofType(plan, T.grant).filter((g) => g.inputs.role === operator);
    assert.deepEqual(grants.map((g) => [g.inputs.objectType, g.inputs.privileges]).sort(), [
      ["database", ["CONNECT"]],
      ["schema", ["USAGE"]],
      ["table", ["SELECT"]],
    ]);
    const tables = grants.find((g) => g.inputs.objectType === "table")!;
    assert.equal(tables.inputs.schema, "public");
    assert.ok(!tables.inputs.objects || (tables.inputs.objects as unknown[]).length === 0, "all tables");
    const future = one(plan, T.defaults);
    assert.deepEqual(
      [
        future.inputs.role,
        future.inputs.owner,
        future.inputs.objectType,
        future.inputs.schema,
        future.inputs.privileges,
      ],
      [operator, workload, "table", "public", ["SELECT"]],
    );
  });

  it("makes Cloud Run wait for the grants", async () => {
    const plan = await planOf("releaseregistry-prod");
    const run = one(plan, "gcp:cloudrunv2/service:Service");
    const grant = ofType(plan, T.grant)[0]!;
    assert.ok(run.dependencies.includes(grant.urn), "the service depends on the grants");
  });

  it("publishes the spec's tables with a replication slot and a replication role that reads them", async () => {
    const plan = await planOf("accounts-prod");
    const pub = one(plan, "postgresql:index/publication:Publication");
    assert.deepEqual(
      [pub.inputs.name, pub.inputs.database, pub.inputs.tables],
      ["accounts_users", "accounts", ["public.users"]],
    );
    const workloadProvider = ofType(plan, T.provider).find((p) => p.name === "postgres-grants-workload")!;
    assert.ok(
      pub.provider?.startsWith(workloadProvider.urn),
      "created as the workload, which owns the tables",
    );
    assert.equal(
      workloadProvider.inputs.gcpIamImpersonateServiceAccount,
      "accounts-sa@accounts-prod-csvc.iam.gserviceaccount.com",
    );
    const slot = one(plan, "postgresql:index/replicationSlot:ReplicationSlot");
    assert.deepEqual([slot.inputs.name, slot.inputs.plugin], ["accounts_users_slot", "pgoutput"]);
    const role = ofType(plan, "postgresql:index/role:Role").find(
      (r) => r.inputs.name === "msp-replicationuser",
    )!;
    assert.deepEqual(
      [role.inputs.name, role.inputs.replication, role.inputs.login],
      ["msp-replicationuser", true, true],
    );
    const read = ofType(plan, T.grant).find(
      (g) => g.inputs.role === "msp-replicationuser" && g.inputs.objectType === "table",
    )!;
    assert.deepEqual(read.inputs.objects, ["users"]);
    const sql = one(plan, "gcp:sql/databaseInstance:DatabaseInstance");
    const flags = get(sql.inputs, "settings.databaseFlags") as { name: string; value: string }[];
    assert.ok(flags.some((f) => f.name === "cloudsql.logical_decoding" && f.value === "on"));
    const secret = ofType(plan, "gcp:secretmanager/secret:Secret").find(
      (s) => s.inputs.secretId === "PG_REPLICATION_PASSWORD",
    );
    assert.ok(secret, "the replication password is kept in Secret Manager");
  });
});

describe("ErrorReporting (Sentry)", () => {
  it("creates <svc>-<env> in the platform's organization and team, with a client key", async () => {
    const plan = await planOf("releaseregistry-prod");
    const project = one(plan, "sentry:index/sentryProject:SentryProject");
    assert.deepEqual(
      [project.inputs.organization, project.inputs.slug, project.inputs.name, project.inputs.teams],
      ["sourcegraph", "releaseregistry-prod", "Release Registry - prod", ["sourcegraph"]],
    );
    assert.equal(project.protect, true);
    const key = one(plan, "sentry:index/sentryKey:SentryKey");
    assert.equal(key.inputs.name, "Managed Services Platform");
    assert.ok(key.additionalSecretOutputs.includes("dsnPublic"));
    const provider = one(plan, "pulumi:providers:sentry");
    assert.ok(typeof provider.inputs.token === "object", "the token is a secret read at deploy time");
    assert.equal(plan.outputs.sentryProject, "https://sourcegraph.sentry.io/projects/releaseregistry-prod/");
  });

  it("gives the container SENTRY_DSN from Secret Manager, never as a plain value", async () => {
    const plan = await planOf("releaseregistry-prod");
    const secret = ofType(plan, "gcp:secretmanager/secret:Secret").find(
      (s) => s.inputs.secretId === "SENTRY_DSN",
    );
    assert.ok(secret);
    const dsn = containerEnvs(one(plan, "gcp:cloudrunv2/service:Service")).SENTRY_DSN!;
    assert.equal(dsn.value, undefined);
    assert.equal(get(dsn, "valueSource.secretKeyRef.secret"), "SENTRY_DSN");
    const job = containerEnvs(one(await planOf("usage-exporter-prod"), "gcp:cloudrunv2/job:Job"));
    assert.ok(job.SENTRY_DSN, "jobs report errors too");
  });

  it("posts the project's issues to the environment's Slack channel through Sentry's Slack integration", async () => {
    const plan = await planOf("releaseregistry-prod");
    const rule = one(plan, "sentry:index/sentryIssueAlert:SentryIssueAlert");
    const project = one(plan, "sentry:index/sentryProject:SentryProject");
    assert.deepEqual(
      [rule.inputs.organization, rule.inputs.project, rule.inputs.name, rule.inputs.frequency],
      ["sourcegraph", project.outputs.slug, "Notify in Slack", 15],
    );
    assert.deepEqual(rule.inputs.conditions, [
      { id: "sentry.rules.conditions.event_frequency.EventFrequencyCondition", value: "0", interval: "15m" },
    ]);
    const [action] = rule.inputs.actions as Record<string, string>[];
    assert.deepEqual(
      [action!.id, action!.channel, action!.tags],
      [
        "sentry.integrations.slack.notify_action.SlackNotifyServiceAction",
        "#alerts-releaseregistry-prod",
        "msp-releaseregistry-prod",
      ],
    );
    assert.match(action!.workspace!, /^\d+$/, "the Slack integration's ID, looked up by name");
    assert.ok(
      rule.provider?.startsWith(one(plan, "pulumi:providers:sentry").urn),
      "with the token's provider",
    );
  });

  it("has no Slack rule when the platform names no Sentry Slack integration", async () => {
    await planOf("releaseregistry-dev"); // runs are serialised: wait for the shared runs first
    const target = findStack(exampleServices(), "releaseregistry-dev")!;
    const settings = {
      ...platformSettingsFor("releaseregistry-dev", REPO),
      sentrySlackIntegration: undefined,
    };
    const plan = await runStackOffline(target, settings);
    assert.equal(ofType(plan, "sentry:index/sentryProject:SentryProject").length, 1);
    assert.deepEqual(ofType(plan, "sentry:index/sentryIssueAlert:SentryIssueAlert"), []);
  });

  it("is off when the platform has no Sentry organization", async () => {
    await planOf("releaseregistry-dev"); // runs are serialised: wait for the shared runs first
    const target = findStack(exampleServices(), "releaseregistry-dev")!;
    const settings = { ...platformSettingsFor("releaseregistry-dev", REPO), sentryOrganization: undefined };
    const plan = await runStackOffline(target, settings);
    assert.equal(
      plan.resources.filter((r) => r.type.startsWith("sentry:") || r.type.includes(":sentry")).length,
      0,
    );
    assert.equal(containerEnvs(one(plan, "gcp:cloudrunv2/service:Service")).SENTRY_DSN, undefined);
    assert.equal(plan.outputs.sentryProject, undefined);
  });
});

describe("subscription deploys", () => {
  const pinned = new RegExp(
    `^us-central1-docker\\.pkg\\.dev/sourcegraph-ci/msp/usage-exporter@sha256:${OFFLINE_DIGEST_PREFIX}[0-9a-f]{58}$`,
  );

  it("run the digest the tag points to at deploy time, in the plan and the preview alike", async () => {
    for (const mode of ["applied", "preview"] as const) {
      const plan = await planOf("usage-exporter-prod", mode);
      const job = one(plan, "gcp:cloudrunv2/job:Job");
      assert.match(String(get(job.inputs, "template.template.containers.0.image")), pinned, mode);
      assert.match(String(plan.outputs.image), pinned, `${mode}: the image output the workflow compares`);
    }
  });

  it("leave manual deploys on their tag", async () => {
    const plan = await planOf("releaseregistry-prod");
    const service = one(plan, "gcp:cloudrunv2/service:Service");
    assert.equal(
      get(service.inputs, "template.containers.0.image"),
      "us.gcr.io/sourcegraph-dev/releaseregistry:v0.4.2",
    );
  });
});

describe("rollout releases", () => {
  it("the custom target type runs the actions the release's skaffold source defines", async () => {
    const type = one(await planOf("pings-prod"), "gcp:clouddeploy/customTargetType:CustomTargetType");
    const skaffold = parse(skaffoldSourceFiles({ serviceId: "pings" })[SKAFFOLD_FILE]!) as {
      customActions: { name: string }[];
    };
    const defined = skaffold.customActions.map((a) => a.name);
    assert.deepEqual(type.inputs.customActions, { renderAction: RENDER_ACTION, deployAction: DEPLOY_ACTION });
    assert.ok(defined.includes(RENDER_ACTION) && defined.includes(DEPLOY_ACTION));
  });
});
