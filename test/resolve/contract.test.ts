/**
 * The container contract is one table (platform/container-contract.ts): what each example stack's plan gives the Cloud Run
 * container is exactly what the table says for that environment, and the per-environment view
 * (resolve/contract.ts) that the handbook and `msp contract` render lists every secret the workload reads.
 */
import * as assert from "node:assert/strict";
import {
  exampleServices,
  exampleResolved,
  exampleStacks,
  fleetEnvironment,
  get,
  planOf,
} from "../helpers/stacks";
import {
  PLATFORM_VARIABLES,
  RESERVED_VARIABLES,
  CLOUD_RUN_VARIABLES,
} from "../../platform/container-contract";
import { containerEnv, secretMounts } from "../../resolve/container";
import {
  environmentContract,
  plannedContainerContract,
  secretVersionsAddCommand,
} from "../../resolve/contract";
import { toCloudRunEnvs, toCloudRunVolumes } from "../../plans/container";
import { shellQuote } from "../../resolve/shell";
import type { ResolvedEnvironment } from "../../resolve/model";

function resolvedStack(stack: string): ResolvedEnvironment {
  for (const s of exampleServices()) {
    const env = exampleResolved(s.spec.service.id).environments.find((e) => e.stack === stack);
    if (env) return env;
  }
  throw new Error(`no resolved environment for ${stack}`);
}

/** The first container of the stack's Cloud Run service or job, and the template's volumes. */
function plannedContainer(plan: Awaited<ReturnType<typeof planOf>>) {
  const run = plan.resources.find(
    (r) => r.type === "gcp:cloudrunv2/service:Service" || r.type === "gcp:cloudrunv2/job:Job",
  )!;
  const template = (
    get(run.inputs, "template.containers")
      ? get(run.inputs, "template")
      : get(run.inputs, "template.template")
  ) as {
    containers: { envs: unknown; volumeMounts?: unknown; ports?: { containerPort: number } }[];
    volumes?: unknown;
  };
  return { container: template.containers[0]!, volumes: template.volumes ?? [], type: run.type };
}

describe("container contract: the plan is the table", () => {
  for (const stack of exampleStacks())
    it(`${stack}: the container's variables and files are the table's`, async () => {
      const env = resolvedStack(stack);
      const planned = plannedContainer(await planOf(stack));
      const facts = plannedContainerContract(env);
      const expected = toCloudRunEnvs(containerEnv(env.workload.container, facts));
      assert.deepEqual(JSON.parse(JSON.stringify(planned.container.envs)), expected);
      const mounts = toCloudRunVolumes(secretMounts(env.workload.container, facts));
      assert.deepEqual(JSON.parse(JSON.stringify(planned.volumes)), mounts.volumes);
      assert.deepEqual(JSON.parse(JSON.stringify(planned.container.volumeMounts ?? [])), mounts.volumeMounts);
      const view = environmentContract(env);
      assert.equal(planned.container.ports?.containerPort, view.port?.number);
      // The view lists the same variables, in the same order, and Cloud Run's own after them.
      assert.deepEqual(
        view.variables.filter((v) => v.setBy !== "Cloud Run").map((v) => v.name),
        expected.map((e) => e.name),
      );
    });
});

describe("container contract: one environment's view", () => {
  it("lists every secret the workload reads, where it lives, and the command for the owner's", () => {
    const view = environmentContract(fleetEnvironment("releaseregistry-prod"));
    const owner = view.secrets.filter((s) => s.setBy === "owner");
    assert.deepEqual(
      owner.map((s) => [s.name, s.project, s.usedBy.join(",")]),
      [["RELEASEREGISTRY_GITHUB_TOKEN", "releaseregistry-prod-5421", "env GITHUB_TOKEN"]],
    );
    assert.equal(
      owner[0]!.command,
      "gcloud secrets versions add RELEASEREGISTRY_GITHUB_TOKEN --project=releaseregistry-prod-5421 --data-file=-",
    );
    const platform = view.secrets.filter((s) => s.setBy === "platform").map((s) => s.name);
    assert.ok(platform.includes("DIAGNOSTICS_SECRET"), platform.join());
    for (const s of view.secrets.filter((x) => x.setBy === "platform")) assert.equal(s.command, undefined);
  });

  it("puts a secret in another project in that project, read by a variable and a file once", () => {
    const view = environmentContract(fleetEnvironment("accounts-prod"));
    const idp = view.secrets.find((s) => s.name === "ACCOUNTS_IDP_CLIENT_SECRET")!;
    assert.equal(idp.project, "sourcegraph-secrets");
    assert.match(idp.command!, /--project=sourcegraph-secrets /);
    const files = view.files.map((f) => `${f.setBy}:${f.path}`);
    assert.deepEqual(files, [
      "spec:/etc/accounts/signing-key.pem",
      "platform:/etc/ssl/custom-certs/redis-ca-cert.pem",
    ]);
    const names = view.variables.map((v) => v.name);
    for (const n of ["PGINSTANCE", "PGUSER", "REDIS_ENDPOINT", "PORT", "K_SERVICE"])
      assert.ok(names.includes(n), n);
    assert.ok(!names.includes("CLOUD_RUN_JOB"), "a service has no job variables");
    assert.ok(!names.includes("PGDATABASE"), "the platform sets no PGDATABASE");
  });

  it("gives a job Cloud Run's job variables and no port or probes", () => {
    const view = environmentContract(fleetEnvironment("usage-exporter-prod"));
    assert.equal(view.port, undefined);
    assert.equal(view.probes, undefined);
    const names = view.variables.map((v) => v.name);
    assert.ok(names.includes("CLOUD_RUN_TASK_INDEX"));
    assert.ok(!names.includes("PORT"));
  });

  it("shell-quotes what a spec puts in a printed command", () => {
    assert.equal(shellQuote("plain-NAME_1"), "plain-NAME_1");
    assert.equal(shellQuote("a b"), "'a b'");
    assert.equal(shellQuote("x'$(rm -rf ~)'"), `'x'\\''$(rm -rf ~)'\\'''`);
    assert.equal(
      secretVersionsAddCommand({ name: "N", project: "p;touch /tmp/x" }),
      "gcloud secrets versions add N --project='p;touch /tmp/x' --data-file=-",
    );
  });
});

describe("container contract: reserved names", () => {
  it("reserves every platform and Cloud Run variable, with a reason", () => {
    for (const v of [...PLATFORM_VARIABLES, ...CLOUD_RUN_VARIABLES])
      assert.ok(RESERVED_VARIABLES.get(v.name), v.name);
    assert.match(RESERVED_VARIABLES.get("PGUSER")!, /set by the platform \(with PostgreSQL/);
    assert.match(RESERVED_VARIABLES.get("K_SERVICE")!, /reserved by Cloud Run/);
    assert.equal(RESERVED_VARIABLES.get("SRC_LOG_LEVEL"), undefined);
  });
});
