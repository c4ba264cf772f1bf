/**
 * The workflows' jobs run as GitHub runs them (test/helpers/workflow-runner.ts: GitHub's shells and flags,
 * expressions, output files) in a sandbox git repository with a base branch, the real `msp` and a fake
 * `pulumi`. Every `msp` process loads the Pulumi SDKs (about 1.5 s of CPU), so the cases share work: one
 * pull request carries several stacks that each fail for their own reason, the label case reuses the
 * previews of the unlabelled run, and the pull-request jobs run in the background, two at a time, while the
 * deploy and drift cases run.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO } from "../helpers/cli";
import { createSandbox, type Sandbox } from "../helpers/workflow-sandbox";
import { actionHandlers, limiter, type Recorded } from "../helpers/workflow-actions";
import {
  evaluate,
  loadExpressions,
  readWorkflow,
  runJob,
  type ActionHandler,
  type JobContext,
  type JobResult,
  type Workflow,
} from "../helpers/workflow-runner";

const WORKFLOWS = path.join(REPO, ".github", "workflows");
const workflow = (f: string): Workflow => readWorkflow(path.join(WORKFLOWS, f));
const preview = workflow("preview.yml");
const deploy = workflow("deploy.yml");
const deployStack = workflow("deploy-stack.yml");
const drift = workflow("drift.yml");

type Leg = Record<string, string | boolean | null>;
interface Run {
  result: JobResult;
  recorded: Recorded[];
  ws: string;
}

const failedStep = (r: JobResult) => r.failedStep?.name ?? "(none)";
const explain = (r: JobResult) => `job ${r.status}; failed step: ${failedStep(r)}\n${r.log}`;
const STEP_PLAN = "Plan every stack against the base branch";

describe("workflow runs (GitHub shell semantics, sandbox repository, fake pulumi)", function () {
  this.timeout(300_000);
  let sb: Sandbox;
  const limit = limiter(2);

  /** The text of `file` on main with one replacement, which must change it. */
  const edit = (file: string, from: string | RegExp, to: string, ref = "main") => {
    const text = sb.read(ref, file);
    const next = text.replace(from, to);
    assert.notEqual(next, text, `the edit of ${file} must change it`);
    return next;
  };

  async function job(
    wf: Workflow,
    jobId: string,
    name: string,
    sha: string,
    ctx: Partial<JobContext> & { github: JobContext["github"] },
    extra: Record<string, ActionHandler> = {},
  ): Promise<Run> {
    return limit(async () => {
      const recorded: Recorded[] = [];
      const ws = ctx.workspace ?? sb.workspace(name, sha);
      const result = await runJob(wf, jobId, {
        processEnv: sb.env,
        actions: actionHandlers(recorded, extra),
        ...ctx,
        workspace: ws,
      });
      return { result, recorded, ws };
    });
  }

  // ---- pull requests ----------------------------------------------------------------------------------
  const prContext = (head: string, base: string, labels: string[] = []) => ({
    sha: head,
    repository: "acme/msp",
    event_name: "pull_request",
    base_ref: "main",
    head_ref: "feature",
    event: {
      pull_request: {
        number: 7,
        labels: labels.map((name) => ({ name })),
        base: { sha: base, ref: "main" },
        head: { sha: head, ref: "feature", repo: { fork: false } },
      },
    },
  });
  const legsOf = (r: Run): Leg[] =>
    r.result.outputs.matrix ? (JSON.parse(r.result.outputs.matrix) as { include: Leg[] }).include : [];
  const legOf = (legs: Leg[], stack: string) => {
    const leg = legs.find((l) => l.stack === stack);
    assert.ok(leg, `the matrix has ${stack}: ${JSON.stringify(legs)}`);
    return leg;
  };
  /** preview.yml's plan job (test/delivery/preview-workflow.e2e.test.ts runs the pull-request cases). */
  const prPlan = (name: string, head: string, base: string, more: Partial<JobContext> = {}) =>
    job(preview, "plan", `${name}-plan`, head, { github: prContext(head, base), ...more });

  before(async () => {
    await loadExpressions();
    sb = createSandbox();
  });
  after(() => sb?.cleanup());

  // ---- deploys ----------------------------------------------------------------------------------------
  describe("deploy.yml and deploy-stack.yml on pushes to main", () => {
    const STACKS = [
      "accounts-prod",
      "cody-analytics-dev",
      "cody-analytics-prod",
      "pings-dev",
      "pings-prod",
      "releaseregistry-dev",
      "releaseregistry-prod",
      "usage-exporter-prod",
    ];
    const pushContext = (sha: string, before: string) => ({
      sha,
      repository: "acme/msp",
      event_name: "push",
      ref: "refs/heads/main",
      token: "ghs_fake",
      server_url: "https://github.com",
      run_id: "4242",
      event: { before, after: sha },
    });
    let plans = 0;
    async function plan(sha: string, before: string) {
      const r = await job(deploy, "plan", `plan-${++plans}`, sha, { github: pushContext(sha, before) });
      assert.equal(r.result.status, "success", explain(r.result));
      const legs = (c: string) => (JSON.parse(r.result.outputs[c]!) as { include: Leg[] }).include;
      return { run: r, test: legs("test"), internal: legs("internal"), external: legs("external") };
    }
    const deployLeg = (
      sha: string,
      environment: string,
      leg: Leg,
      only?: JobContext["only"],
      secrets: Record<string, string> = {},
    ) =>
      job(deployStack, "stack", `deploy-${String(leg.stack)}-${String(leg.action)}`, sha, {
        only,
        github: pushContext(sha, sha),
        inputs: { environment, matrix: "{}" },
        matrix: leg,
        secrets: { PULUMI_ACCESS_TOKEN: "pul-fake", CLOUDFLARE_API_TOKEN: "cf-fake", ...secrets },
        vars: { GCP_WORKLOAD_IDENTITY_PROVIDER: "projects/1/x", GCP_DEPLOY_SERVICE_ACCOUNT: "deploy@x.iam" },
      });
    const deployedAt = (stack: string) => {
      try {
        return sb.git(sb.origin, "rev-parse", "--verify", "--quiet", `refs/msp/deployed/${stack}`);
      } catch {
        return undefined;
      }
    };
    const calls = (r: Run) =>
      sb
        .pulumiCalls()
        .filter((c) => c.cwd === r.ws)
        .map((c) => c.args.join(" "));

    it("deploys both pushes' changes when the first push's run never ran; records each deployed commit", async () => {
      const c0 = sb.git(sb.origin, "rev-parse", "main");
      for (const s of STACKS) sb.git(sb.origin, "update-ref", `refs/msp/deployed/${s}`, c0); // all deployed
      const registry = "services/releaseregistry/service.yaml";
      const c1 = sb.commit(
        "main",
        { [registry]: edit(registry, "SRC_LOG_LEVEL: info", "SRC_LOG_LEVEL: warn") },
        "Push 1",
      );
      const pingsStack = "stacks/Pulumi.pings-prod.yaml";
      const c2 = sb.commit("main", { [pingsStack]: sb.read("main", pingsStack) + "# tuned\n" }, "Push 2");
      // The old workflow deployed `msp affected --base ${{ github.event.before }}`: push 2 alone.
      assert.deepEqual(sb.git(sb.origin, "diff", "--name-only", `${c1}...${c2}`).split("\n"), [pingsStack]);

      // The run of push 1 was dropped from the concurrency queue; the run of push 2 plans:
      const p = await plan(c2, c1);
      const planned = [...p.test, ...p.internal, ...p.external].map(
        (l) => `${String(l.action)} ${String(l.stack)}`,
      );
      assert.deepEqual(planned.sort(), [
        "up pings-prod",
        "up releaseregistry-dev",
        "up releaseregistry-prod",
      ]);
      assert.ok(
        [...p.test, ...p.internal].every((l) => l.since === c0),
        "compared with the deployed commit",
      );
      assert.equal(evaluate(deploy.jobs.plan!.if!, { github: pushContext(c2, c1) }), true);
      assert.equal(
        evaluate(deploy.jobs.plan!.if!, { github: { ref: "refs/heads/feature" } }),
        false,
        "main only",
      );
      const needs = { plan: { outputs: p.run.result.outputs, result: "success" } };
      assert.equal(evaluate(deploy.jobs.test!.if!, { needs }), true);
      assert.equal(
        evaluate(deploy.jobs.external!.if!, { needs: { ...needs, internal: { result: "success" } } }),
        false,
      );

      // The preview, data-loss gate and readiness steps (three msp previews, about 10 s of CPU) run in the
      // releaseregistry-prod leg, which checks their diff; the pings-prod leg runs the deploy steps only (its
      // category's tag).
      const deploySteps = (step: { name?: string }) =>
        !/^(Offline preview|Data-loss gate|First-deploy readiness)/.test(step.name ?? "");
      const [registryProd, pingsProd] = await Promise.all([
        deployLeg(c2, "test", legOf(p.test, "releaseregistry-prod")),
        deployLeg(c2, "internal", legOf(p.internal, "pings-prod"), deploySteps, {
          SLACK_BOT_TOKEN: "xoxb-fake",
        }),
      ]);
      assert.deepEqual(
        pingsProd.result.steps.filter((s) => s.status === "skipped").map((s) => s.name),
        [
          "Offline preview with policies (fails on a mandatory violation)",
          "Data-loss gate against the commit last deployed",
          "First-deploy readiness (stops before pulumi up where it would fail)",
          "pulumi destroy and stack rm (the environment was removed after allowDestroys was deployed)",
        ],
        "only the preview steps are left out",
      );
      for (const [stack, leg] of [
        ["releaseregistry-prod", registryProd],
        ["pings-prod", pingsProd],
      ] as const) {
        assert.equal(leg.result.status, "success", explain(leg.result));
        assert.deepEqual(calls(leg), [
          `stack select --create ${stack}`,
          `stack tag set msp:category ${stack === "pings-prod" ? "internal" : "test"}`,
          `stack tag set msp:service ${stack.replace(/-prod$/, "")}`,
        ]);
        const up = leg.recorded.find((r) => r.action === "pulumi/actions" && r.with.command === "up");
        assert.deepEqual(
          {
            stack: up?.with["stack-name"],
            upsert: up?.with.upsert,
            refresh: up?.with.refresh,
            token: up?.env.PULUMI_ACCESS_TOKEN,
          },
          { stack, upsert: "true", refresh: "true", token: "pul-fake" },
        );
        assert.equal(deployedAt(stack), c2, `refs/msp/deployed/${stack} moved to the deployed commit`);
      }
      assert.match(registryProd.result.log, /0 to create, 1 to update/, "diffed against the deployed commit");
      // The result in the environment's channel (issue 24.6): posted with the bot token, else only shown.
      assert.match(
        registryProd.result.log,
        /No SLACK_BOT_TOKEN secret: the result is not announced in Slack[\s\S]*"channel":"#alerts-releaseregistry-prod","text":":white_check_mark: releaseregistry-prod deployed/,
      );
      const posted = fs.readFileSync(sb.env.FAKE_CURL_LOG!, "utf8");
      assert.match(posted, /^args: .* https:\/\/slack\.com\/api\/chat\.postMessage$/m);
      assert.match(posted, /^Authorization: Bearer xoxb-fake$/m, "the token on stdin, not in the arguments");
      assert.doesNotMatch(
        posted
          .split("\n")
          .filter((l) => l.startsWith("args:"))
          .join("\n"),
        /xoxb-fake/,
      );
      assert.match(
        posted,
        new RegExp(
          `^data: \\{"channel":"#alerts-pings-prod","text":":white_check_mark: pings-prod deployed: \`pulumi up\` of ${c2.slice(0, 12)} succeeded\\. <https://github\\.com/acme/msp/actions/runs/4242\\|Workflow run and logs>"`,
          "m",
        ),
      );
      assert.match(pingsProd.result.log, /Announced in Slack/);
      assert.match(
        registryProd.result.log,
        /First deploy: nothing found that stops the first real `pulumi up`/,
        "what the deployed state had was met by that deploy",
      );

      // The next run deploys what is still pending (releaseregistry-dev), nothing else.
      const again = await plan(c2, c2);
      assert.deepEqual(
        [...again.test, ...again.internal, ...again.external].map((l) => l.stack),
        ["releaseregistry-dev"],
      );
    });

    it("a first deploy never stops half-way: placeholders stop it; missing secret values create the secrets, then stop it", async () => {
      const stack = "releaseregistry-prod";
      const before = deployedAt(stack);
      const leg = {
        stack,
        service: "releaseregistry",
        env: "prod",
        category: "test",
        since: "",
        action: "up",
      };
      const noPreview = (step: { name?: string }) => !/^Offline preview/.test(step.name ?? "");
      const upRecorded = (r: Run) =>
        r.recorded.some((x) => x.action === "pulumi/actions" && x.with.command === "up");
      const READINESS = "First-deploy readiness (stops before pulumi up where it would fail)";
      // Each run in a workspace of its own; extra variables for the fake gcloud.
      const firstDeploy = (name: string, sha: string, env: Record<string, string> = {}) =>
        job(deployStack, "stack", `first-deploy-${name}`, sha, {
          only: noPreview,
          github: pushContext(sha, sha),
          inputs: { environment: "test", matrix: "{}" },
          matrix: leg,
          secrets: { PULUMI_ACCESS_TOKEN: "pul-fake", CLOUDFLARE_API_TOKEN: "cf-fake" },
          vars: {
            GCP_WORKLOAD_IDENTITY_PROVIDER: "projects/1/x",
            GCP_DEPLOY_SERVICE_ACCOUNT: "deploy@x.iam",
          },
          processEnv: { ...sb.env, ...env },
        });
      try {
        // The example repository's placeholder billing account and folders: nothing may start.
        const main = sb.git(sb.origin, "rev-parse", "main");
        const placeholders = await firstDeploy("placeholders", main);
        assert.equal(placeholders.result.status, "failure");
        assert.equal(failedStep(placeholders.result), READINESS, explain(placeholders.result));
        assert.match(placeholders.result.log, /billing account 000000-000000-000000 cannot exist/);
        // The failure is announced too (here only shown: no bot token).
        assert.match(
          placeholders.result.log,
          /"text":":x: releaseregistry-prod deploy failed: `pulumi up` of /,
        );
        assert.ok(!calls(placeholders).some((c) => c.startsWith("up ")), "no pulumi up at all");
        assert.ok(!upRecorded(placeholders));

        // Real settings: only the secret's value is missing. The first step creates the project, its APIs and
        // the secret (pulumi up --target), nothing that reads it, and the run stops with the command to run.
        const real = sb.commit(
          "first-deploy",
          {
            "Pulumi.yaml": edit("Pulumi.yaml", "000000-000000-000000", "01A2B3-C4D5E6-F7A8B9")
              .replace("folders/000000000001", "folders/345678901234")
              .replace("folders/000000000002", "folders/345678901235")
              .replace("folders/000000000003", "folders/345678901236"),
          },
          "Real platform settings",
        );
        const missing = await firstDeploy("missing", real);
        assert.equal(failedStep(missing.result), READINESS, explain(missing.result));
        assert.match(
          missing.result.log,
          /\$ gcloud secrets versions add RELEASEREGISTRY_GITHUB_TOKEN --project=releaseregistry-prod-5421 --data-file=-/,
        );
        const up = calls(missing).find((c) => c.startsWith("up "));
        assert.ok(up, `the first step ran: ${calls(missing).join("; ")}`);
        assert.match(
          up,
          /^up --stack releaseregistry-prod --yes --non-interactive --policy-pack policy --policy-pack-config policy\/config\/test\.json --target /,
        );
        assert.match(
          up,
          /--target urn:pulumi:releaseregistry-prod::msp::msp:gcp:GcpProject\$gcp:organizations\/project:Project::project( |$)/,
        );
        assert.match(
          up,
          /--target \S*gcp:secretmanager\/secret:Secret::secrets-RELEASEREGISTRY_GITHUB_TOKEN( |$)/,
        );
        assert.doesNotMatch(
          up,
          /cloudrunv2|alertPolicy|databaseInstance/,
          "nothing that reads the secret, nothing else",
        );
        assert.ok(!upRecorded(missing), "the full pulumi up did not run");
        assert.equal(deployedAt(stack), before, "no deploy record");

        // The owner added the value: the cloud has a version, and the deploy runs.
        const ready = await firstDeploy("ready", real, {
          FAKE_GCLOUD_SECRET_VERSIONS: "releaseregistry-prod-5421/RELEASEREGISTRY_GITHUB_TOKEN",
        });
        assert.equal(ready.result.status, "success", explain(ready.result));
        assert.ok(upRecorded(ready), "pulumi up ran");
      } finally {
        if (before) sb.git(sb.origin, "update-ref", `refs/msp/deployed/${stack}`, before);
      }
    });

    it("destroys and removes a stack whose environment was removed after allowDestroys was deployed", async () => {
      const cody = "services/cody-analytics/service.yaml";
      const c3 = sb.commit(
        "main",
        { [cody]: edit(cody, "    category: test\n", "    category: test\n    allowDestroys: true\n") },
        "allowDestroys for cody-analytics-dev",
      );
      sb.git(sb.origin, "update-ref", "refs/msp/deployed/cody-analytics-dev", c3); // that deploy succeeded
      const c4 = sb.commit(
        "main",
        {
          [cody]: edit(cody, /  - id: dev\n[\s\S]*?(?=  - id: prod)/, ""),
          "stacks/Pulumi.cody-analytics-dev.yaml": null,
        },
        "Remove cody-analytics-dev",
      );
      const p = await plan(c4, c3);
      const leg = legOf(p.test, "cody-analytics-dev");
      assert.deepEqual({ action: leg.action, since: leg.since }, { action: "destroy", since: c3 });
      const r = await deployLeg(c4, "test", leg);
      assert.equal(r.result.status, "success", explain(r.result));
      assert.deepEqual(calls(r), [
        "destroy --stack cody-analytics-dev --yes --non-interactive",
        "stack rm cody-analytics-dev --yes --non-interactive",
      ]);
      assert.equal(deployedAt("cody-analytics-dev"), undefined, "the deploy record is deleted");
    });

    // ---- the README's removal steps ---------------------------------------------------------------------
    describe("the README's two-step removal of an external environment with PostgreSQL (accounts-prod)", () => {
      it("step 1 (allowDestroys) passes the policies and, with msp/allow-downgrade, the diff, then deploys; step 2 (removal) passes and destroys", async () => {
        const stack = "accounts-prod";
        const spec = "services/accounts/service.yaml";
        const root = sb.git(sb.origin, "rev-parse", "main");
        // Every stack deployed from the same commit: the steps' plans then hold accounts-prod only.
        for (const s of STACKS) sb.git(sb.origin, "update-ref", `refs/msp/deployed/${s}`, root);

        // Step 1: set allowDestroys: true on the environment.
        const step1 = sb.commit(
          "teardown-step-1",
          {
            [spec]: edit(
              spec,
              "    category: external\n",
              "    category: external\n    allowDestroys: true\n",
              root,
            ),
          },
          "allowDestroys for accounts-prod",
          root,
        );
        const unlabelled = await prPlan("teardown-1", step1, root);
        assert.deepEqual(
          legsOf(unlabelled).map((l) => l.stack),
          [stack],
        );
        // The policies accept what allowDestroys lifts (the resources carry msp-allow-destroys: true); the
        // pull-request gate still calls it a protection downgrade.
        assert.equal(failedStep(unlabelled.result), STEP_PLAN, explain(unlabelled.result));
        assert.match(unlabelled.result.log, /Policies: msp pack \(external\): 0 mandatory/);
        assert.match(unlabelled.result.log, /PROTECTION DOWNGRADE/);
        const labelled = await prPlan("teardown-1", step1, root, {
          workspace: unlabelled.ws,
          github: prContext(step1, root, ["msp/allow-downgrade"]),
          only: (step) => step.name === STEP_PLAN,
        });
        assert.equal(labelled.result.status, "success", explain(labelled.result));

        // Merged: the deploy previews with policies, passes the data-loss gate, runs pulumi up and records.
        const p1 = await plan(step1, root);
        assert.deepEqual(
          [...p1.test, ...p1.internal, ...p1.external].map((l) => `${String(l.action)} ${String(l.stack)}`),
          [`up ${stack}`],
        );
        const deploy1 = await deployLeg(step1, "external", legOf(p1.external, stack));
        assert.equal(deploy1.result.status, "success", explain(deploy1.result));
        assert.match(deploy1.result.log, /Policies: msp pack \(external\): 0 mandatory/);
        assert.ok(
          deploy1.recorded.some((r) => r.action === "pulumi/actions" && r.with.command === "up"),
          "pulumi up ran",
        );
        assert.equal(deployedAt(stack), step1);

        // Step 2: remove the environment (here the whole service) and its stack file.
        const step2 = sb.commit(
          "teardown-step-2",
          { "services/accounts": null, [`stacks/Pulumi.${stack}.yaml`]: null },
          "Remove accounts",
          "teardown-step-1",
        );
        const removal = await prPlan("teardown-2", step2, step1);
        assert.equal(removal.result.status, "success", explain(removal.result));
        assert.equal(legOf(legsOf(removal), stack).removed, true);
        assert.match(removal.result.log, /0 to create, 0 to update, 0 to replace, \d+ to delete/);
        assert.doesNotMatch(removal.result.log, /DATA LOSS/);

        // Merged: the deploy destroys the stack and deletes its record.
        const p2 = await plan(step2, step1);
        const leg = legOf(p2.external, stack);
        assert.equal(leg.action, "destroy");
        const deploy2 = await deployLeg(step2, "external", leg);
        assert.equal(deploy2.result.status, "success", explain(deploy2.result));
        assert.deepEqual(calls(deploy2), [
          `destroy --stack ${stack} --yes --non-interactive`,
          `stack rm ${stack} --yes --non-interactive`,
        ]);
        assert.equal(deployedAt(stack), undefined);
      });
    });
  });

  // ---- drift ------------------------------------------------------------------------------------------
  describe("drift.yml", () => {
    interface Issue {
      number: number;
      title: string;
      state: string;
      labels: string[];
      comments: string[];
    }
    const issues: Issue[] = [];
    /** actions/github-script against an in-memory issue tracker: the script runs as the action runs it. */
    const githubScript: ActionHandler = async (call) => {
      type Query = { state: string; labels: string };
      const list = (q: Query) =>
        Promise.resolve({ data: issues.filter((i) => i.state === q.state && i.labels.includes(q.labels)) });
      const find = (n: number) => issues.find((i) => i.number === n)!;
      /** What an Octokit call resolves to when the script ignores the answer. */
      const done = (_effect: unknown) => Promise.resolve();
      const github = {
        paginate: async (fn: typeof list, q: Query) => (await fn(q)).data,
        rest: {
          issues: {
            listForRepo: list,
            create: (p: { title: string; body: string; labels: string[] }) =>
              done(
                issues.push({
                  number: issues.length + 1,
                  title: p.title,
                  state: "open",
                  labels: p.labels,
                  comments: [p.body],
                }),
              ),
            createComment: (p: { issue_number: number; body: string }) =>
              done(find(p.issue_number).comments.push(p.body)),
            update: (p: { issue_number: number; state: string }) =>
              done((find(p.issue_number).state = p.state)),
          },
        },
      };
      type Script = (...values: unknown[]) => Promise<unknown>;
      // The AsyncFunction constructor, reached through an async function's prototype (it has no global name).
      // eslint-disable-next-line @typescript-eslint/require-await
      const asyncPrototype = Object.getPrototypeOf(async () => undefined) as { constructor: unknown };
      const AsyncFunction = asyncPrototype.constructor as new (...p: string[]) => Script;
      await new AsyncFunction("github", "context", "process", call.with.script!)(
        github,
        { repo: { owner: "acme", repo: "msp" } },
        { env: call.env },
      );
      return { exitCode: 0 };
    };
    let runs = 0;
    const driftLeg = (fail: boolean, only?: JobContext["only"]) =>
      job(
        drift,
        "drift",
        `drift-${++runs}`,
        "main",
        {
          github: { sha: "main", repository: "acme/msp", server_url: "https://github.com", run_id: 42 },
          matrix: {
            stack: "pings-prod",
            service: "pings",
            env: "prod",
            category: "internal",
            removed: false,
          },
          secrets: { PULUMI_ACCESS_TOKEN: "pul-read-only" },
          processEnv: { ...sb.env, FAKE_PULUMI_FAIL: fail ? "preview:pings-prod" : "" },
          only,
        },
        { "actions/github-script": githubScript },
      );

    it("lists every stack, previews with --refresh --expect-no-changes, and keeps one issue per stack", async () => {
      const stacks = await job(drift, "stacks", "drift-stacks", "main", {
        github: { sha: "main", event_name: "schedule" },
      });
      assert.equal(stacks.result.status, "success", explain(stacks.result));
      const matrix = JSON.parse(stacks.result.outputs.matrix!) as {
        include: { stack: string; removed: boolean }[];
      };
      assert.ok(matrix.include.some((l) => l.stack === "pings-prod" && !l.removed));

      const first = await driftLeg(true);
      assert.equal(
        failedStep(first.result),
        "Drift (preview with refresh; nothing is written)",
        explain(first.result),
      );
      const pulumiCalls = sb
        .pulumiCalls()
        .filter((c) => c.cwd === first.ws)
        .map((c) => c.args);
      assert.deepEqual(pulumiCalls, [
        [
          "preview",
          "--refresh",
          "--expect-no-changes",
          "--diff",
          "--non-interactive",
          "--stack",
          "pings-prod",
        ],
        ["stack", "export", "--stack", "pings-prod"],
      ]);
      assert.deepEqual(
        issues.map((i) => [i.title, i.state]),
        [["Drift or policy violation: pings-prod", "open"]],
      );
      // Later runs skip npm ci and the state check (already shown above): the preview and the issue steps run.
      const issueSteps = (step: { name?: string }) => !!step.name && /Drift|issue/.test(step.name);
      await driftLeg(true, issueSteps);
      assert.equal(issues.length, 1, "a second failure comments on the same issue");
      assert.equal(issues[0]!.comments.length, 2);
      const clean = await driftLeg(false, issueSteps);
      assert.equal(clean.result.status, "success", explain(clean.result));
      assert.equal(issues[0]!.state, "closed");
    });
  });
});
