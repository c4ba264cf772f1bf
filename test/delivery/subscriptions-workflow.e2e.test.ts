/**
 * subscriptions.yml's check job run as GitHub runs it (GitHub's shell, expressions and output files) in a
 * sandbox repository with the real `msp`, a fake `gcloud` answering the tag's digest and a fake `pulumi`
 * answering the deployed image: the stacks whose tag moved, and only those, go to the deploy matrices; a stack
 * whose tag does not resolve is reported on its own and the others still go (issue 23 finding 8), and the
 * `unresolved` job fails the run after the deploys.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO } from "../helpers/cli";
import { createSandbox, type Sandbox } from "../helpers/workflow-sandbox";
import {
  condition,
  loadExpressions,
  readWorkflow,
  runJob,
  type ActionCall,
} from "../helpers/workflow-runner";

const workflow = readWorkflow(path.join(REPO, ".github", "workflows", "subscriptions.yml"));
const DIGEST_A = `sha256:${"a".repeat(64)}`;
const DIGEST_B = `sha256:${"b".repeat(64)}`;
const IMAGE = "us-central1-docker.pkg.dev/sourcegraph-ci/msp/usage-exporter";

describe("subscriptions.yml (GitHub shell semantics, sandbox repository, fake gcloud and pulumi)", function () {
  this.timeout(120_000);
  let sb: Sandbox;
  let fakes: string;
  before(() => {
    sb = createSandbox();
    fakes = path.join(sb.root, "subscription-fakes");
    fs.mkdirSync(fakes);
    // gcloud: the digest the tag points to now; pulumi: the image the stack runs (both from the environment).
    fs.writeFileSync(
      path.join(fakes, "gcloud"),
      `#!/usr/bin/env bash\nset -euo pipefail\necho "gcloud $*" >> "$FAKE_LOG"\n[ "$1 $2 $3 $4" = "artifacts docker images describe" ] || exit 3\n[ -n "$FAKE_CURRENT_DIGEST" ] || { echo "ERROR: (gcloud.artifacts) unavailable" >&2; exit 1; }\ncase "$5" in "\${FAKE_MISSING_IMAGE:-none}":*) echo "ERROR: (gcloud.artifacts) NOT_FOUND: $5" >&2; exit 1;; esac\necho "$FAKE_CURRENT_DIGEST"\n`,
      { mode: 0o755 },
    );
    fs.writeFileSync(
      path.join(fakes, "pulumi"),
      `#!/usr/bin/env bash\nset -euo pipefail\necho "pulumi $*" >> "$FAKE_LOG"\n[ "$1 $2 $3" = "stack output image" ] || exit 3\n[ -n "$FAKE_DEPLOYED_IMAGE" ] || { echo "no stack" >&2; exit 255; }\necho "$FAKE_DEPLOYED_IMAGE"\n`,
      { mode: 0o755 },
    );
  });
  after(() => sb.cleanup());

  /** A second subscription service in the workspace: usage-exporter's spec under another ID and image. */
  const addCopy = (workspace: string, id: string) => {
    const from = path.join(workspace, "services", "usage-exporter");
    const to = path.join(workspace, "services", id);
    fs.cpSync(from, to, { recursive: true });
    const spec = path.join(to, "service.yaml");
    fs.writeFileSync(spec, fs.readFileSync(spec, "utf8").replaceAll("usage-exporter", id));
    // Every environment needs its stack file (msp validate refuses one without), as `msp init` would write it.
    const stackFile = (service: string) => path.join(workspace, "stacks", `Pulumi.${service}-prod.yaml`);
    fs.writeFileSync(
      stackFile(id),
      fs.readFileSync(stackFile("usage-exporter"), "utf8").replaceAll("usage-exporter", id),
    );
  };

  const run = async (
    name: string,
    deployed: string,
    current: string,
    opts: { copy?: string; missingImage?: string } = {},
  ) => {
    const recorded: ActionCall[] = [];
    const record = (call: ActionCall) => (recorded.push(call), { exitCode: 0 });
    const workspace = sb.workspace(name, "main");
    if (opts.copy) addCopy(workspace, opts.copy);
    const result = await runJob(workflow, "moved", {
      workspace,
      github: { sha: "main", ref: "refs/heads/main", event_name: "schedule", repository: "acme/msp" },
      vars: { GCP_WORKLOAD_IDENTITY_PROVIDER: "wip", GCP_PREVIEW_SERVICE_ACCOUNT: "preview@p.iam" },
      secrets: { PULUMI_ACCESS_TOKEN: "pul-read-only" },
      processEnv: {
        ...sb.env,
        PATH: `${fakes}:${sb.env.PATH}`,
        FAKE_DEPLOYED_IMAGE: deployed,
        FAKE_CURRENT_DIGEST: current,
        FAKE_MISSING_IMAGE: opts.missingImage ?? "",
      },
      actions: {
        "actions/checkout": record,
        "actions/setup-node": record,
        "google-github-actions/auth": record,
        "pulumi/actions": record,
      },
    });
    const matrices = Object.fromEntries(
      ["test", "internal", "external"].map((c) => [
        c,
        (result.outputs[c] ? JSON.parse(result.outputs[c]) : null) as unknown,
      ]),
    );
    const unresolved = result.outputs.unresolved ? (JSON.parse(result.outputs.unresolved) as string[]) : null;
    return { result, recorded, matrices, unresolved };
  };

  /** The `unresolved` job after the deploys: whether it runs, and its result. */
  const report = async (unresolved: string, movedResult = "success") => {
    await loadExpressions();
    const job = workflow.jobs.unresolved!;
    const needs = {
      moved: { result: movedResult, outputs: { unresolved } },
      test: { result: "skipped", outputs: {} },
      internal: { result: "success", outputs: {} },
      external: { result: "skipped", outputs: {} },
    };
    if (!condition(job.if, { needs }, { failed: false })) return undefined;
    return runJob(workflow, "unresolved", {
      workspace: sb.workspace(`report-${unresolved.length}-${movedResult}`, "main"),
      github: { sha: "main", ref: "refs/heads/main", event_name: "schedule", repository: "acme/msp" },
      needs,
      processEnv: sb.env,
      actions: {},
    });
  };

  it("deploys a stack whose tag now points to another digest, with its deploy record", async () => {
    const record = sb.git(sb.origin, "rev-parse", "main");
    sb.git(sb.origin, "update-ref", "refs/msp/deployed/usage-exporter-prod", record);
    const { result, recorded, matrices } = await run("moved", `${IMAGE}@${DIGEST_A}`, DIGEST_B);
    assert.equal(result.status, "success", result.log);
    assert.deepEqual(matrices.internal, {
      include: [
        {
          stack: "usage-exporter-prod",
          service: "usage-exporter",
          env: "prod",
          category: "internal",
          since: record,
          action: "up",
        },
      ],
    });
    assert.deepEqual(matrices.test, { include: [] });
    assert.deepEqual(matrices.external, { include: [] });
    const auth = recorded.find((c) => c.action === "google-github-actions/auth")!;
    assert.equal(auth.with.service_account, "preview@p.iam", "the read-only preview account");
    const log = fs.readFileSync(sb.commandLog, "utf8");
    assert.match(
      log,
      new RegExp(
        `gcloud artifacts docker images describe ${IMAGE}:main --format=value\\(image_summary\\.digest\\)`,
      ),
    );
    assert.match(log, /pulumi stack output image --stack usage-exporter-prod/);
  });

  it("deploys nothing when the tag still points to the running digest", async () => {
    const { result, matrices } = await run("unchanged", `${IMAGE}@${DIGEST_A}`, DIGEST_A);
    assert.equal(result.status, "success", result.log);
    for (const c of ["test", "internal", "external"]) assert.deepEqual(matrices[c], { include: [] }, c);
    assert.match(result.log, /unchanged usage-exporter-prod \(main is sha256:a+\)/);
  });

  it("deploys a stack never deployed (no image output yet); when the registry cannot answer, reports every stack and fails after the deploys", async () => {
    const first = await run("never", "", DIGEST_B);
    assert.equal(first.result.status, "success", first.result.log);
    assert.equal((first.matrices.internal as { include: unknown[] }).include.length, 1);
    assert.deepEqual(first.unresolved, []);
    assert.equal(
      await report(first.result.outputs.unresolved!),
      undefined,
      "nothing unresolved: the job is skipped",
    );
    const broken = await run("registry-down", `${IMAGE}@${DIGEST_A}`, "");
    assert.equal(broken.result.status, "success", broken.result.log);
    assert.deepEqual(broken.matrices.internal, { include: [] }, "nothing resolved, nothing deployed");
    assert.deepEqual(broken.unresolved, ["usage-exporter-prod"]);
    const failed = await report(broken.result.outputs.unresolved!);
    assert.equal(failed?.status, "failure");
    assert.match(
      failed.log,
      /::error title=Subscription not deployed::usage-exporter-prod: its tag did not resolve/,
    );
  });

  it("one stack whose tag does not resolve does not stop the others: it is reported, they deploy, the run fails at the end", async () => {
    const { result, matrices, unresolved } = await run("isolated", `${IMAGE}@${DIGEST_A}`, DIGEST_B, {
      copy: "usage-copy",
      missingImage: IMAGE.replace("usage-exporter", "usage-copy"),
    });
    assert.equal(result.status, "success", result.log);
    // usage-exporter's tag moved: it deploys, although usage-copy's tag did not resolve.
    const internal = (matrices.internal as { include: { stack: string }[] }).include.map((i) => i.stack);
    assert.deepEqual(internal, ["usage-exporter-prod"]);
    assert.deepEqual(unresolved, ["usage-copy-prod"]);
    assert.match(
      result.log,
      /::error title=Subscription tag did not resolve::usage-copy-prod was not deployed: its tag did not resolve/,
    );
    assert.match(result.log, /moved +usage-exporter-prod/);
    const failed = await report(result.outputs.unresolved!);
    assert.equal(failed?.status, "failure", "the run fails once the deploys are done");
    assert.match(failed.log, /usage-copy-prod: its tag did not resolve/);
    assert.doesNotMatch(failed.log, /usage-exporter-prod/);
    assert.equal(await report(result.outputs.unresolved!, "failure"), undefined, "not after a failed check");
  });
});
