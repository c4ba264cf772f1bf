/** Each first-deploy rule on small hand-made plans: one that passes and each way it fails. */
import * as assert from "node:assert/strict";
import {
  firstDeployFindings,
  firstStepTargets,
  FIRST_DEPLOY_RULES,
  type PlannedResource,
} from "../../runner/first-deploy";
import { placeholderBillingAccount } from "../../runner/first-deploy/rules/billing-account-exists";
import { placeholderFolder } from "../../runner/first-deploy/rules/folder-exists";
import { durationSeconds, logMetricsRead } from "../../runner/first-deploy/rules/log-metric-alert";

const P = "svc-prod-1234";
const NUMBER = "123456789012";
const urn = (type: string, name: string) => `urn:pulumi:svc-prod::msp::${type}::${name}`;
const PROVIDER = urn("pulumi:providers:gcp", "gcp");

interface Options {
  deps?: PlannedResource[];
  parent?: PlannedResource;
  outputs?: Record<string, unknown>;
  provider?: string;
  aliases?: string[];
}
function res(type: string, name: string, inputs: Record<string, unknown>, o: Options = {}): PlannedResource {
  return {
    urn: urn(type, name),
    type,
    custom: !type.startsWith("msp:"),
    inputs,
    outputs: o.outputs ?? {},
    dependencies: (o.deps ?? []).map((d) => d.urn),
    parent: o.parent?.urn,
    provider: o.provider === undefined ? `${PROVIDER}::id` : o.provider,
    aliases: o.aliases,
  };
}

const provider = res("pulumi:providers:gcp", "gcp", { project: P }, { provider: "" });
const project = res(
  "gcp:organizations/project:Project",
  "project",
  { projectId: P, billingAccount: "01A2B3-C4D5E6-F7A8B9", folderId: "folders/345678901234" },
  { outputs: { number: NUMBER } },
);
const api = (service: string) =>
  res(
    "gcp:projects/service:Service",
    `project-${service.split(".")[0]}`,
    { project: P, service },
    { deps: [project] },
  );
const base = [provider, project];
/** The findings of the rules named `prefix...` only: each case leaves out what other rules need. */
const of = (prefix: string, plan: PlannedResource[]) =>
  firstDeployFindings(plan).filter((f) => f.rule.startsWith(prefix));
const rulesOf = (prefix: string, plan: PlannedResource[]) =>
  of(prefix, plan).map((f) => `${f.rule} ${f.key ?? ""}`.trim());

describe("first-deploy rules", () => {
  it("every rule has a kebab-case name and cites its source", () => {
    for (const r of FIRST_DEPLOY_RULES) {
      assert.match(r.name, /^[a-z]+(-[a-z]+)*$/);
      assert.match(
        r.source,
        /#\d+|https:\/\/|\.go\b/,
        `${r.name} cites an issue, a page or the provider's code`,
      );
    }
  });

  describe("api-enabled-first", () => {
    const run = api("run.googleapis.com");
    it("passes a resource ordered after its API, directly or through its component's dependsOn", () => {
      const component = res("msp:gcp:CloudRunService", "cloudrun", {}, { deps: [run], provider: "" });
      const child = res("gcp:cloudrunv2/service:Service", "svc", { project: P }, { parent: component });
      assert.deepEqual(rulesOf("api-enabled-first", [...base, run, component, child]), []);
      assert.deepEqual(
        rulesOf("api-enabled-first", [
          ...base,
          run,
          res("gcp:cloudrunv2/service:Service", "s", {}, { deps: [run] }),
        ]),
        [],
      );
    });
    it("fails a resource not ordered after its API, or whose API the run never enables", () => {
      const loose = res("gcp:cloudrunv2/service:Service", "svc", { project: P }, { deps: [project] });
      assert.deepEqual(rulesOf("api-enabled-first", [...base, run, loose]), [
        "api-enabled-first run.googleapis.com",
      ]);
      assert.match(of("api-enabled-first", [...base, run, loose])[0]!.problem, /not ordered after/);
      assert.match(of("api-enabled-first", [...base, loose])[0]!.problem, /is not enabled in svc-prod-1234/);
    });
    it("leaves projects the run does not create alone", () => {
      assert.deepEqual(
        rulesOf("api-enabled-first", [
          ...base,
          res("gcp:cloudrunv2/service:Service", "s", { project: "other" }),
        ]),
        [],
      );
    });
  });

  describe("service-agent-exists-before-grant", () => {
    const member = `serviceAccount:service-${NUMBER}@serverless-robot-prod.iam.gserviceaccount.com`;
    const grant = (deps: PlannedResource[]) =>
      res(
        "gcp:projects/iAMMember:IAMMember",
        "pull",
        { project: "registry", role: "roles/artifactregistry.reader", member },
        { deps },
      );
    it("passes a grant made after the agent's ServiceIdentity or its API", () => {
      const identity = res(
        "gcp:projects/serviceIdentity:ServiceIdentity",
        "agent",
        { project: P, service: "run.googleapis.com" },
        { deps: [project] },
      );
      assert.deepEqual(
        rulesOf("service-agent-exists-before-grant", [...base, identity, grant([identity])]),
        [],
      );
      const run = api("run.googleapis.com");
      assert.deepEqual(rulesOf("service-agent-exists-before-grant", [...base, run, grant([run])]), []);
    });
    it("fails a grant to the agent of a new project made before the agent exists", () => {
      assert.deepEqual(rulesOf("service-agent-exists-before-grant", [...base, grant([project])]), [
        `service-agent-exists-before-grant service-${NUMBER}@serverless-robot-prod.iam.gserviceaccount.com`,
      ]);
    });
  });

  describe("service networking", () => {
    const network = "projects/svc-prod-1234/global/networks/vpc";
    const identity = res(
      "gcp:projects/serviceIdentity:ServiceIdentity",
      "sn-agent",
      { project: P, service: "servicenetworking.googleapis.com" },
      { deps: [project] },
    );
    const role = res(
      "gcp:projects/iAMMember:IAMMember",
      "sn-role",
      {
        project: P,
        role: "roles/servicenetworking.serviceAgent",
        member: `serviceAccount:service-${NUMBER}@service-networking.iam.gserviceaccount.com`,
      },
      { deps: [identity] },
    );
    const billed = res(
      "pulumi:providers:gcp",
      "billed",
      { project: P, billingProject: P, userProjectOverride: true },
      { provider: "" },
    );
    const connection = (deps: PlannedResource[], via = billed) =>
      res(
        "gcp:servicenetworking/connection:Connection",
        "peering",
        { network },
        { deps, provider: `${via.urn}::id` },
      );
    it("passes a connection made after the agent and its role, billed to the project", () => {
      assert.deepEqual(
        rulesOf("service-networking", [...base, billed, identity, role, connection([role])]),
        [],
      );
    });
    it("fails a connection made before the agent or its role", () => {
      assert.deepEqual(rulesOf("service-networking", [...base, billed, connection([project])]), [
        "service-networking-agent-first identity",
        "service-networking-agent-first role",
      ]);
      assert.deepEqual(
        rulesOf("service-networking", [...base, billed, identity, role, connection([identity])]),
        ["service-networking-agent-first role"],
      );
    });
    it("fails a connection whose provider bills the caller's project", () => {
      assert.deepEqual(
        rulesOf("service-networking", [...base, identity, role, connection([role], provider)]),
        ["service-networking-billing-project"],
      );
    });
  });

  describe("secret-version-exists", () => {
    const container = res(
      "gcp:secretmanager/secret:Secret",
      "secret-TOKEN",
      { project: P, secretId: "TOKEN" },
      { deps: [project] },
    );
    const version = res(
      "gcp:secretmanager/secretVersion:SecretVersion",
      "v",
      { secret: `projects/${P}/secrets/TOKEN` },
      { deps: [container] },
    );
    const service = (deps: PlannedResource[], read: "env" | "volume" = "env") =>
      res(
        "gcp:cloudrunv2/service:Service",
        "svc",
        {
          project: P,
          template:
            read === "env"
              ? {
                  containers: [
                    {
                      envs: [
                        { name: "T", valueSource: { secretKeyRef: { secret: "TOKEN", version: "latest" } } },
                      ],
                    },
                  ],
                }
              : {
                  containers: [{}],
                  volumes: [
                    {
                      name: "v",
                      secret: {
                        secret: `projects/${NUMBER}/secrets/TOKEN`,
                        items: [{ version: "latest", path: "t" }],
                      },
                    },
                  ],
                },
        },
        { deps },
      );
    const job = res("gcp:cloudrunv2/job:Job", "job", {
      project: P,
      template: {
        template: {
          containers: [
            { envs: [{ name: "T", valueSource: { secretKeyRef: { secret: "TOKEN", version: "latest" } } }] },
          ],
        },
      },
    });
    it("passes a read of a version the run creates first", () => {
      assert.deepEqual(
        rulesOf("secret-version-exists", [...base, container, version, service([version])]),
        [],
      );
    });
    it("fails a read of a secret with no version, with the command that adds it", () => {
      for (const read of ["env", "volume"] as const) {
        const [f] = of("secret-version-exists", [...base, container, service([container], read)]);
        assert.equal(f?.rule, "secret-version-exists", read);
        assert.deepEqual(f?.commands, [`gcloud secrets versions add TOKEN --project=${P} --data-file=-`]);
        assert.deepEqual(f?.secret, {
          project: P,
          name: "TOKEN",
          version: "latest",
          containerUrn: container.urn,
        });
      }
      assert.deepEqual(rulesOf("secret-version-exists", [...base, container, job]), [
        `secret-version-exists ${P}/TOKEN`,
      ]);
    });
    it("fails a read of a secret nothing creates in a new project, and one made before its version", () => {
      assert.match(
        of("secret-version-exists", [...base, service([project])])[0]!.problem,
        /nothing creates the secret/,
      );
      assert.match(
        of("secret-version-exists", [...base, container, version, service([container])])[0]!.problem,
        /not ordered after the version/,
      );
    });
    it("leaves secrets of projects that exist before the deploy alone", () => {
      const other = res("gcp:cloudrunv2/service:Service", "s", {
        project: P,
        template: {
          containers: [
            {
              envs: [
                {
                  name: "T",
                  valueSource: { secretKeyRef: { secret: "projects/shared/secrets/X", version: "latest" } },
                },
              ],
            },
          ],
        },
      });
      assert.deepEqual(rulesOf("secret-version-exists", [...base, other]), []);
    });
    it("a first step creates the containers and what they wait for, and only when nothing else is missing", () => {
      const sm = api("secretmanager.googleapis.com");
      const run = api("run.googleapis.com");
      const box = { ...container, dependencies: [sm.urn] };
      const plan = [...base, sm, run, box, service([box, run])];
      assert.deepEqual(firstStepTargets(plan, firstDeployFindings(plan)), [
        provider.urn,
        project.urn,
        sm.urn,
        box.urn,
      ]);
      const placeholder = [
        provider,
        { ...project, inputs: { ...project.inputs, billingAccount: "000000-000000-000000" } },
        ...plan.slice(2),
      ];
      assert.deepEqual(firstStepTargets(placeholder, firstDeployFindings(placeholder)), []);
    });
  });

  describe("log-metric-before-alert", () => {
    const metric = res("gcp:logging/metric:Metric", "metric", { project: P, name: "my/metric" });
    const alert = (
      deps: PlannedResource[],
      filter = 'metric.type = "logging.googleapis.com/user/my/metric"',
    ) =>
      res(
        "gcp:monitoring/alertPolicy:AlertPolicy",
        "alert",
        { project: P, conditions: [{ conditionThreshold: { filter } }] },
        { deps },
      );
    const sleep = (d: string) =>
      res("time:index/sleep:Sleep", "wait", { createDuration: d }, { deps: [metric], provider: "" });
    it("passes an alert after the metric and a wait of ten minutes", () => {
      const wait = sleep("10m");
      assert.deepEqual(rulesOf("log-metric-before-alert", [...base, metric, wait, alert([wait])]), []);
    });
    it("fails an alert not ordered after the metric, or not waiting long enough", () => {
      assert.match(
        of("log-metric-before-alert", [...base, metric, alert([])])[0]!.problem,
        /without waiting for it/,
      );
      assert.match(
        of("log-metric-before-alert", [...base, metric, alert([metric])])[0]!.problem,
        /not for it to propagate/,
      );
      const short = sleep("1m");
      assert.deepEqual(rulesOf("log-metric-before-alert", [...base, metric, short, alert([short])]), [
        "log-metric-before-alert my/metric",
      ]);
    });
    it("fails an alert on a metric nothing creates in a new project", () => {
      assert.match(of("log-metric-before-alert", [...base, alert([])])[0]!.problem, /which nothing creates/);
    });
    it("reads metric names from filters, MQL and PromQL; durations as time's Sleep takes them", () => {
      assert.deepEqual(
        logMetricsRead([
          { q: "fetch cloud_run_revision | metric 'logging.googleapis.com/user/a.b/c' | every 30s" },
        ]),
        ["a.b/c"],
      );
      assert.deepEqual(logMetricsRead([{ q: "sum(rate(logging_googleapis_com:user_abc[5m]))" }]), ["abc"]);
      assert.deepEqual(
        [durationSeconds("10m"), durationSeconds("1m30s"), durationSeconds("600s"), durationSeconds("soon")],
        [600, 90, 600, undefined],
      );
    });
  });

  describe("placeholder settings", () => {
    it("billing accounts: placeholders and malformed IDs cannot exist, real-looking ones may", () => {
      for (const bad of [
        "000000-000000-000000",
        "FFFFFF-FFFFFF-FFFFFF",
        "012345-567890-ABCDEF",
        "billing",
        "00000-000000-000000",
      ])
        assert.ok(placeholderBillingAccount(bad), bad);
      for (const good of ["01A2B3-C4D5E6-F7A8B9", "billingAccounts/01A2B3-C4D5E6-F7A8B9"])
        assert.equal(placeholderBillingAccount(good), undefined, good);
    });
    it("folders: non-numeric, zero-padded or one repeated digit cannot exist", () => {
      for (const bad of [
        "folders/000000000001",
        "folders/00000000000x",
        "folders/engineering",
        "folders/111111111111",
      ])
        assert.ok(placeholderFolder(bad), bad);
      for (const good of ["folders/345678901234", "345678901234"])
        assert.equal(placeholderFolder(good), undefined, good);
    });
    it("a placeholder stops project creation: the finding is on the project", () => {
      const f = firstDeployFindings([
        provider,
        { ...project, inputs: { ...project.inputs, folderId: "folders/00000000000x" } },
      ]);
      assert.deepEqual(
        f.map((x) => [x.rule, x.urn]),
        [["folder-exists", project.urn]],
      );
    });
  });

  describe("the deployed state", () => {
    it("meets a finding it had too, also under a former URN; a new one stays", () => {
      const plan = [...base, res("gcp:cloudrunv2/service:Service", "s", { project: P }, { deps: [project] })];
      assert.equal(firstDeployFindings(plan).length, 1);
      assert.deepEqual(firstDeployFindings(plan, { deployed: plan }), []);
      const renamed = plan.map((r) =>
        r.type.startsWith("gcp:cloudrunv2") ? { ...r, urn: urn(r.type, "new"), aliases: [r.urn] } : r,
      );
      assert.deepEqual(firstDeployFindings(renamed, { deployed: plan }), []);
      assert.equal(firstDeployFindings(plan, { deployed: base }).length, 1);
    });
  });
});
