import * as assert from "node:assert/strict";
import * as path from "node:path";
import { formatIssue, loadServices, parseServiceSpec, SpecError } from "../../servicespec/loader";
import * as resolve from "../../resolve/fields";
import { displayName } from "../../platform/naming";
import { FLEET_SERVICES, REPO } from "../helpers/cli";

const enc = (s: string) => new TextEncoder().encode(s);
const FILE = path.join(REPO, "services", "demo", "service.yaml");

function issues(text: string) {
  try {
    parseServiceSpec(FILE, enc(text));
  } catch (e) {
    if (e instanceof SpecError) return e.issues;
    throw e;
  }
  return [];
}

const BASE = `service:
  id: demo
  owners: [core-services]
  description: Demo.
  notionPageID: 0123456789abcdef0123456789abcdef
build:
  image: us.gcr.io/sourcegraph-dev/demo
  source: { repo: github.com/sourcegraph/demo, dir: "." }
environments:
  - id: prod
    projectID: demo-prod-a1b2
    category: external
    deploy: { type: manual }
    instances:
      resources: { cpu: 1, memory: 1Gi }
`;

describe("spec loader", () => {
  it("loads every service of a folder, in folder order, with its BigQuery table schemas", () => {
    const all = loadServices(FLEET_SERVICES);
    assert.deepEqual(
      all.map((s) => s.spec.service.id),
      ["accounts", "cody-analytics", "pings", "releaseregistry", "usage-exporter"],
    );
    const exporter = all.find((s) => s.spec.service.id === "usage-exporter")!;
    assert.deepEqual(Object.keys(exporter.tableSchemas).sort(), ["export_runs", "usage_events"]);
  });

  it("applies MSP defaults and category defaults", () => {
    const { spec } = parseServiceSpec(FILE, enc(BASE));
    const env = spec.environments[0]!;
    assert.equal(spec.service.kind, "service");
    assert.equal(env.deploy.type, "manual");
    assert.equal(resolve.imageTagOf(spec, env), "insiders");
    assert.equal(resolve.regionOf(env), "us-central1");
    assert.equal(resolve.multiRegionOf(env), "US");
    assert.equal(resolve.deadlineSecondsOf(env), 300);
    assert.equal(resolve.authenticationOf(env), "public");
    assert.equal(resolve.probesOf(env), undefined);
    assert.equal(resolve.maxStartupLatencySeconds(env), 240);
    assert.equal(resolve.scalingOf(env).minCount, 1, "external keeps one warm instance");
    assert.equal(resolve.scalingOf(env).maxCount, 5);
    assert.equal(resolve.pagesOwners(env), true);
    assert.equal(displayName(spec, env), "demo - prod");
  });

  it("derives probe timings from the timeout", () => {
    const { spec } = parseServiceSpec(FILE, enc(BASE + "    healthProbes: { timeout: 4 }\n"));
    assert.deepEqual(resolve.probesOf(spec.environments[0]!), {
      timeout: 4,
      startupInterval: 4,
      livenessInterval: 40,
      startupFailureThreshold: 3,
    });
    assert.equal(resolve.maxStartupLatencySeconds(spec.environments[0]!), 12);
  });

  it("reports every problem of a file at once, in line order", () => {
    const found = issues(
      BASE.replace("cpu: 1,", "cpu: 99,")
        .replace("category: external", "category: prod")
        .replace("owners: [core-services]", "owners: []"),
    );
    assert.deepEqual(
      found.map((i) => i.field),
      ["service.owners", "environments[0].category", "environments[0].instances.resources.cpu"],
    );
    assert.match(
      formatIssue(found[0]!),
      /services\/demo\/service\.yaml:3:\d+: service\.owners: needs at least one owner/,
    );
  });

  it("allows service IDs of up to 20 characters, not 21 (they prefix 30-character project IDs)", () => {
    const idIssues = (id: string) =>
      issues(BASE.replace("id: demo", `id: ${id}`)).filter(
        // The file lives in services/demo/: the folder-name rule is another rule's business.
        (i) => i.field === "service.id" && !/folder name/.test(i.message),
      );
    assert.deepEqual(idIssues("a".repeat(20)), []);
    const [tooLong] = idIssues("a".repeat(21));
    assert.match(tooLong!.message, /at most 20 characters/);
    assert.deepEqual([tooLong!.line, tooLong!.col], [2, 7]);
  });

  it("suggests the closest field for a typo", () => {
    const [issue] = issues(BASE.replace("deploy:", "deplyo:"));
    assert.equal(
      issue!.message,
      'unknown field "deplyo" (did you mean "deploy"?): a misspelt key would drop its setting without a word',
    );
    assert.equal(issue!.line, 13);
    assert.equal(issue!.col, 5);
  });

  it("lists allowed fields when nothing is close", () => {
    const all = issues(BASE.replace("build:", "zzzzzzzzzz: 1\nbuild:"));
    assert.ok(
      all.some((i) =>
        /unknown field "zzzzzzzzzz": a misspelt key would drop its setting without a word \(allowed: service, build, environments, monitoring, rollout\)/.test(
          i.message,
        ),
      ),
    );
  });
});

describe("spec features no example uses", () => {
  const KITCHEN_SINK = `service:
  id: demo
  name: Demo
  owners: [core-services]
  description: Demo.
  notionPageID: 0123456789abcdef
  iam:
    services: [translate.googleapis.com]
build:
  image: us.gcr.io/sourcegraph-dev/demo
  source: { repo: github.com/sourcegraph/demo, dir: "." }
environments:
  - id: dev
    projectID: demo-dev-a1b2
    category: test
    deploy: { type: rollout }
    startupProbe: { timeout: 4, interval: 5 }
    livenessProbe: { interval: 30 }
    authentication: { sourcegraph: true }
    domain:
      type: cloudflare
      cloudflare: { subdomain: demo, zone: sgdev.org, proxied: false }
    instances:
      resources: { cpu: 1, memory: 512Mi }
    allowDestroys: true
    # Settings that ask for nothing load; a perimeter, run.app over PGA and nobl9: true are refused
    # (test/fixtures/invalid/private-networking-*, nobl9-enabled).
    privateNetworking:
      privateGoogleAccess: { cloudRunApps: false }
    resources:
      postgreSQL:
        databases: [demo]
        logicalReplication:
          publications:
            - { name: pub, database: demo, tables: [users] }
  - id: prod
    projectID: demo-prod-a1b2
    category: internal
    deploy: { type: subscription, subscription: { tag: main } }
    alerting: { opsgenie: false }
    instances:
      resources: { cpu: 1, memory: 512Mi }
monitoring:
  nobl9: false
rollout:
  stages: [{ environment: dev }]
  suspended: true
  serviceAccount: ci@sourcegraph-ci.iam.gserviceaccount.com
  initialImageTag: v1.0.0
`;

  it("loads notionPageID, older probe fields, sourcegraph authentication, privateNetworking, logical replication, nobl9, rollout options", () => {
    const { spec } = parseServiceSpec(FILE, enc(KITCHEN_SINK));
    const [dev, prod] = spec.environments;
    assert.deepEqual(resolve.probesOf(dev!), {
      timeout: 4,
      startupInterval: 5,
      livenessInterval: 30,
      startupFailureThreshold: 3, // the interval is the spec's: MSP's threshold, even with Cloud SQL
    });
    assert.equal(resolve.authenticationOf(dev!), "sourcegraph");
    assert.equal(resolve.domainOf(dev!)!.proxied, false);
    assert.equal(dev!.allowDestroys, true);
    assert.equal(resolve.imageTagOf(spec, dev!), "v1.0.0");
    assert.equal(resolve.imageTagOf(spec, prod!), "main");
    assert.equal(
      resolve.pagesOwners(prod!),
      false,
      "alerting.opsgenie: false overrides the internal default",
    );
    assert.equal(spec.rollout!.suspended, true);
    assert.equal(spec.monitoring.nobl9, false);
    assert.equal(dev!.privateNetworking!.privateGoogleAccess!.cloudRunApps, false);
  });

  it("rejects older probe fields next to healthProbes, and publications on unknown databases", () => {
    const both = issues(
      KITCHEN_SINK.replace(
        "    livenessProbe: { interval: 30 }\n",
        "    livenessProbe: { interval: 30 }\n    healthProbes: { timeout: 3 }\n",
      ),
    );
    assert.ok(both.some((i) => /superseded by healthProbes/.test(i.message)));
    const pub = issues(KITCHEN_SINK.replace("database: demo, tables", "database: other, tables"));
    assert.ok(
      pub.some(
        (i) => i.field === "environments[0].resources.postgreSQL.logicalReplication.publications[0].database",
      ),
    );
  });

  it("refuses two custom alerts whose names give one alert ID", () => {
    const alert = (name: string) =>
      `      - name: ${name}\n        severityLevel: WARNING\n        condition: { type: promql, query: up == 0 }\n`;
    const found = issues(
      `${BASE}monitoring:\n  alerts:\n    customAlerts:\n${alert("Token failures")}${alert("token Failures")}`,
    );
    assert.deepEqual(
      found.map((i) => [i.field, i.message]),
      [
        [
          "monitoring.alerts.customAlerts[1].name",
          'gives the alert ID "token-failures" twice; names must be unique',
        ],
      ],
    );
  });
});

describe("reserved variable names (the container contract's)", () => {
  it("refuses the platform's and Cloud Run's names in env and secretEnv, each at its key, all at once", () => {
    const found = issues(
      `${BASE}    env:\n      SRC_LOG_LEVEL: info\n      GOOGLE_CLOUD_PROJECT: other\n      K_SERVICE: x\n    secretEnv:\n      SENTRY_DSN: MY_DSN\n      CLOUD_RUN_TASK_INDEX: T\n      API_TOKEN: TOKEN\n`,
    );
    assert.deepEqual(
      found.map((i) => `${i.line}:${i.col} ${i.field}`),
      [
        "18:7 environments[0].env.GOOGLE_CLOUD_PROJECT",
        "19:7 environments[0].env.K_SERVICE",
        "21:7 environments[0].secretEnv.SENTRY_DSN",
        "22:7 environments[0].secretEnv.CLOUD_RUN_TASK_INDEX",
      ],
    );
    assert.match(
      found[0]!.message,
      /set by the platform \(always: the environment's GCP project ID\); MSP would pass it twice/,
    );
    assert.match(found[1]!.message, /reserved by Cloud Run's container contract .*the deploy would fail/);
  });
});
