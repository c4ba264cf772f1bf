/**
 * Static checks of the workflows: valid for GitHub (action-validator, GitHub's JSON schema), and the rules
 * that keep the gates honest: pipelines only under bash with pipefail, stacks created on first deploy,
 * minimal permissions with OIDC and write access only where used, actions pinned by commit, time limits,
 * no untrusted text expanded into scripts, CODEOWNERS and Dependabot. workflow-runs.e2e.test.ts runs the jobs.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { parse } from "yaml";
import { REPO } from "../helpers/cli";
import { commandsOf } from "../helpers/gate-inputs";
import { effectiveShell, readWorkflow, type Job, type Step, type Workflow } from "../helpers/workflow-runner";

const DIR = path.join(REPO, ".github", "workflows");
const FILES = [
  "preview.yml",
  "preview-comment.yml",
  "deploy.yml",
  "deploy-stack.yml",
  "drift.yml",
  "subscriptions.yml",
];
const read = (f: string) => fs.readFileSync(path.join(DIR, f), "utf8");
const workflows = FILES.map((f) => [f, readWorkflow(path.join(DIR, f))] as const);
const PIPEFAIL = "bash --noprofile --norc -eo pipefail {0}";

/** Every step of every job, with where it is. */
const allSteps = () =>
  workflows.flatMap(([file, wf]) =>
    Object.entries(wf.jobs).flatMap(([id, job]) =>
      (job.steps ?? []).map((step) => ({
        file,
        wf,
        id,
        job,
        step,
        where: `${file} ${id}: ${step.name ?? step.run ?? step.uses}`,
      })),
    ),
  );
const jobUses = (job: Job, action: string) => (job.steps ?? []).some((s) => s.uses?.startsWith(`${action}@`));
/** The jobs a caller job runs: its own, or the jobs of the reusable workflow it calls. */
const effectiveJobs = (job: Job): Job[] =>
  job.uses ? Object.values(readWorkflow(path.join(REPO, job.uses)).jobs) : [job];
const perms = (p: Job["permissions"]) => (typeof p === "object" && p ? p : {});

describe("GitHub workflows", () => {
  for (const f of FILES)
    it(`${f} is a valid workflow (action-validator, GitHub's JSON schema)`, () => {
      assert.deepEqual(validateWorkflow(read(f)).errors, []);
    });

  it("rejects an invalid workflow (the validator can fail)", () => {
    assert.notDeepEqual(
      validateWorkflow("on: push\njobs:\n  x:\n    runs-on: 1\n    steps: nope\n").errors,
      [],
    );
  });

  it("runs every script with a pipeline under bash -eo pipefail (GitHub's default shell has no pipefail)", () => {
    for (const [file, wf] of workflows)
      assert.equal(wf.defaults?.run?.shell, "bash", `${file}: defaults.run.shell`);
    for (const { wf, job, step, where } of allSteps()) {
      if (step.run === undefined || !/\|/.test(step.run.replace(/\|\|/g, ""))) continue;
      assert.equal(effectiveShell(wf, job, step), PIPEFAIL, where);
    }
    // bash -e ignores a failing command substitution inside another command's arguments: assign it first.
    for (const { step, where } of allSteps())
      for (const line of (step.run ?? "").split("\n"))
        assert.doesNotMatch(line, /^\s*(echo|printf)\b.*\$\(/, `${where}: ${line.trim()}`);
    // The helper derives shells as GitHub does: without any shell: bash -e, no pipefail.
    const bare = { on: "push", jobs: {} } as Workflow;
    assert.equal(effectiveShell(bare, {}, { run: "a | b" }), "bash -e {0}");
  });

  it("creates stacks on their first deploy: upsert for pulumi/actions up, stack select --create (README too)", () => {
    const ups = allSteps().filter(
      ({ step }) => step.uses?.startsWith("pulumi/actions@") && step.with?.command === "up",
    );
    assert.ok(ups.length > 0);
    for (const { step, where } of ups) assert.equal(step.with?.upsert, true, where);
    const selects = allSteps().flatMap(({ step, where }) =>
      (step.run ?? "")
        .split("\n")
        .filter((l) => /pulumi stack select/.test(l))
        .map((l) => [l, where]),
    );
    assert.ok(selects.length > 0);
    for (const [line, where] of selects) assert.match(line!, /--create/, where);
    for (const line of fs.readFileSync(path.join(REPO, "README.md"), "utf8").split("\n"))
      if (/pulumi stack select/.test(line)) assert.match(line, /--create/, `README: ${line}`);
  });

  it("keeps permissions minimal: nothing at the top, OIDC and writes only on the jobs that use them", () => {
    for (const [file, wf] of workflows) {
      const top = perms(wf.permissions);
      assert.ok(
        wf.permissions !== undefined &&
          Object.entries(top).every(([k, v]) => k === "contents" && v === "read"),
        `${file}: top-level permissions must be {} or contents: read`,
      );
      for (const [id, job] of Object.entries(wf.jobs)) {
        const p = perms(job.permissions);
        const where = `${file} ${id}`;
        assert.notEqual(job.permissions, "write-all", where);
        const runs = effectiveJobs(job);
        const authenticates = runs.some((j) => jobUses(j, "google-github-actions/auth"));
        assert.equal(
          p["id-token"] === "write",
          authenticates,
          `${where}: id-token: write exactly when it authenticates`,
        );
        const uploads = runs.some((j) => jobUses(j, "github/codeql-action/upload-sarif"));
        assert.equal(
          p["security-events"] === "write",
          uploads,
          `${where}: security-events: write only to upload SARIF`,
        );
        const script = (s: Step) => (typeof s.with?.script === "string" ? s.with.script : "");
        const comments = runs.some((j) =>
          (j.steps ?? []).some(
            (s) => s.with?.["comment-on-pr"] === true || /github\.rest\.pulls\./.test(script(s)),
          ),
        );
        assert.equal(
          p["pull-requests"] === "write",
          comments,
          `${where}: pull-requests: write only to comment`,
        );
        const issues = runs.some((j) => (j.steps ?? []).some((s) => /issues\.create\(/.test(script(s))));
        assert.equal(p.issues === "write", issues, `${where}: issues: write only for the drift issue`);
        // actions: read only to download another run's artifact.
        const artifacts = runs.some((j) => (j.steps ?? []).some((s) => /downloadArtifact/.test(script(s))));
        assert.equal(p.actions === "read", artifacts, `${where}: actions: read only to download the plan`);
        // contents: write only to move the deploy records, in the deploy jobs.
        const records = runs.some((j) =>
          (j.steps ?? []).some(
            (s) => /refs\/msp\/deployed/.test(s.run ?? "") && /git .*push/.test(s.run ?? ""),
          ),
        );
        assert.equal(
          p.contents === "write",
          records,
          `${where}: contents: write only to push deploy records`,
        );
        for (const [k, v] of Object.entries(p))
          assert.ok(
            ["contents", "id-token", "security-events", "pull-requests", "issues", "actions"].includes(k) &&
              ["read", "write"].includes(v),
            `${where}: ${k}: ${v}`,
          );
      }
    }
  });

  it("gives pull requests read-only credentials (the preview environment) and deploy credentials only to deploy jobs", () => {
    const preview = workflows.find(([f]) => f === "preview.yml")![1];
    for (const [id, job] of Object.entries(preview.jobs)) {
      const text = JSON.stringify(job);
      if (/secrets\.|GCP_PREVIEW_SERVICE_ACCOUNT/.test(text))
        assert.equal(job.environment, "preview", `preview.yml ${id}`);
      assert.doesNotMatch(
        text,
        /GCP_DEPLOY_SERVICE_ACCOUNT/,
        `preview.yml ${id} never sees the deploy account`,
      );
    }
    for (const { file, job, step, where } of allSteps()) {
      const text = JSON.stringify(step);
      if (/GCP_DEPLOY_SERVICE_ACCOUNT/.test(text)) {
        assert.equal(file, "deploy-stack.yml", where);
        assert.equal(
          job.environment,
          "${{ inputs.environment }}",
          `${where}: behind the category's environment`,
        );
      }
    }
    const deploy = workflows.find(([f]) => f === "deploy.yml")![1];
    for (const [id, job] of Object.entries(deploy.jobs)) {
      assert.ok(!("secrets" in job), `deploy.yml ${id}: no secrets passed (environment secrets only)`);
      if (job.uses) assert.ok(["test", "internal", "external"].includes(String(job.with?.environment)), id);
    }
    assert.doesNotMatch(
      FILES.map(read).join("\n"),
      /credentials_json|GOOGLE_CREDENTIALS/,
      "no long-lived keys",
    );
  });

  it("pins every action to a full commit SHA with its version in a comment", () => {
    for (const f of FILES)
      for (const line of read(f).split("\n")) {
        const m = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
        if (!m || m[1]!.startsWith("./")) continue;
        assert.match(m[1]!, /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/, `${f}: ${line.trim()}`);
        assert.match(m[2]!, /^\s+# v\d+(\.\d+)*/, `${f}: ${line.trim()} needs "# vX.Y.Z"`);
      }
  });

  it("puts a time limit on every job (reusable callers: on the jobs they call)", () => {
    for (const [file, wf] of workflows)
      for (const [id, job] of Object.entries(wf.jobs))
        for (const j of effectiveJobs(job))
          assert.ok(typeof j["timeout-minutes"] === "number", `${file} ${id}`);
  });

  it("never expands an expression into a script: untrusted text and matrix values go through env", () => {
    for (const { step, where } of allSteps()) {
      assert.doesNotMatch(step.run ?? "", /\$\{\{/, where);
      const script = step.with?.script;
      assert.doesNotMatch(typeof script === "string" ? script : "", /\$\{\{/, where);
    }
  });

  it("fails the check on removed stacks without allowDestroys, and reads the downgrade label into env only", () => {
    const preview = workflows.find(([f]) => f === "preview.yml")![1];
    const plan = preview.jobs.plan!;
    assert.match(
      String(plan.env?.ALLOW_DOWNGRADE),
      /contains\(github\.event\.pull_request\.labels\.\*\.name, 'msp\/allow-downgrade'\)/,
    );
    const on = preview.on as { pull_request: { types: string[] } };
    assert.ok(on.pull_request.types.includes("labeled") && on.pull_request.types.includes("unlabeled"));
  });

  it("plans pull requests without waiting for the tests: one npm ci, no secrets, the summary as an artifact", () => {
    const preview = readWorkflow(path.join(DIR, "preview.yml"));
    const { check, plan, stack } = preview.jobs;
    assert.equal(plan!.needs, undefined, "the plan starts with the checks, not after them");
    assert.equal(stack!.needs, "plan");
    assert.ok(check && !check.needs, "the checks still run (a required status gates the merge)");
    const steps = plan!.steps!;
    assert.equal(steps.filter((st) => st.run?.trim() === "npm ci").length, 1, "one npm ci for the head");
    // The base's own npm ci only when the change touches code that builds stacks.
    const baseCode = steps.find((st) => /git worktree add/.test(st.run ?? ""))!.run!;
    assert.ok(baseCode.indexOf("exit 0") < baseCode.indexOf("npm ci"), "spec-only changes stop before it");
    assert.ok(!steps.some((st) => /npm (test|run)/.test(st.run ?? "")), "no tests on the plan's path");
    assert.deepEqual(perms(plan!.permissions), { contents: "read" });
    assert.equal(plan!.environment, undefined, "no environment: the same job runs for forks");
    assert.doesNotMatch(JSON.stringify(plan), /secrets\./);
    const planStep = steps.find((st) => st.name === "Plan every stack against the base branch")!;
    assert.match(
      planStep.run!,
      /npx msp diff "\$stack" "\$\{base\[@\]\}" "\$\{flags\[@\]\}" .*--summary "plan\/\$stack\.md"/,
    );
    assert.match(planStep.run!, /base=\(--base "\$BASE_SHA"\)/);
    const upload = steps.find((st) => st.uses?.startsWith("actions/upload-artifact@"))!;
    assert.equal(upload.with?.name, "msp-plan");
    assert.match(String(upload.if), /always\(\)/, "the summary is posted when the plan fails too");
    assert.ok(
      !preview.jobs.stack!.steps!.some((st) => /msp diff|worktree/.test(st.run ?? "")),
      "the diff is the plan's",
    );
  });

  it("posts the plan comment from a workflow_run workflow that never runs the pull request's code", () => {
    const wf = readWorkflow(path.join(DIR, "preview-comment.yml"));
    assert.deepEqual(wf.on, { workflow_run: { workflows: ["preview"], types: ["completed"] } });
    assert.deepEqual(wf.permissions, {});
    const job = wf.jobs.comment!;
    assert.deepEqual(perms(job.permissions), { actions: "read", "pull-requests": "write" });
    assert.match(String(job.if), /workflow_run\.event == 'pull_request'/);
    const steps = job.steps!;
    assert.ok(!steps.some((st) => st.uses?.startsWith("actions/checkout@")), "no checkout at all");
    assert.doesNotMatch(JSON.stringify(wf), /secrets\.|head_branch|head_commit|pull_requests\[/);
    // The archive is only unpacked (named files, no paths), never run or sourced.
    const commands = steps.flatMap((st) => commandsOf(st.run ?? "")).map(([c]) => c);
    assert.deepEqual([...new Set(commands)].sort(), ["[", "exit", "mkdir", "unzip"]);
    const post = String(steps.at(-1)!.with!.script);
    assert.match(post, /pull\.head\.sha !== process\.env\.HEAD_SHA/, "the number is checked against the run");
    assert.match(post, /LIMIT = 60000/);
    assert.match(post, /&#64;/, "mentions neutralised");
    assert.match(post, /updateComment[\s\S]*createComment/, "one comment, updated");
  });

  it("deploys without cancelling runs in flight and checks drift without writing, in the deploy concurrency group", () => {
    const byName = Object.fromEntries(workflows);
    const stackJob = byName["deploy-stack.yml"]!.jobs.stack!;
    assert.equal(stackJob.strategy?.["fail-fast"], false);
    const groups = ["deploy.yml", "drift.yml", "subscriptions.yml"].map(
      (f) => byName[f]!.concurrency as { group: string; "cancel-in-progress": boolean },
    );
    assert.ok(groups.every((g) => g.group === groups[0]!.group));
    assert.ok(groups.every((g) => g["cancel-in-progress"] === false));
    const driftSteps: Step[] = byName["drift.yml"]!.jobs.drift!.steps!;
    const previewLine = driftSteps
      .flatMap((s) => (s.run ?? "").split("\n"))
      .find((l) => /pulumi preview/.test(l));
    assert.match(previewLine ?? "", /--refresh/);
    assert.match(previewLine ?? "", /--expect-no-changes/);
    for (const { step, where } of allSteps()) {
      assert.doesNotMatch(step.run ?? "", /pulumi refresh/, where);
      assert.notEqual(step.with?.command, "refresh", where);
    }
    assert.doesNotMatch(
      read("deploy.yml"),
      /github\.event\.before/,
      "deploys compare with the deploy records",
    );
  });

  it("has CODEOWNERS for policy/, components/, program/, resolve/, servicespec/ and .github/ (every pattern an existing path), and Dependabot for npm and actions", () => {
    const owners = fs
      .readFileSync(path.join(REPO, ".github", "CODEOWNERS"), "utf8")
      .split("\n")
      .filter((l) => l.trim() && !l.startsWith("#"))
      .map((l) => l.trim().split(/\s+/));
    for (const [pattern] of owners) {
      // A glob names files a service adds later (services/*/resources.ts): the folder before the glob must exist.
      const fixed = pattern!.includes("*") ? pattern!.slice(0, pattern!.indexOf("*")) : pattern!;
      assert.ok(fs.existsSync(path.join(REPO, fixed)), `CODEOWNERS names ${pattern}, which does not exist`);
    }
    for (const p of ["/policy/", "/components/", "/program/", "/resolve/", "/servicespec/", "/.github/"])
      assert.ok(
        owners.some(
          ([pattern, ...who]) => pattern === p && who.length > 0 && who.every((w) => w.startsWith("@")),
        ),
        p,
      );
    const dependabot = parse(fs.readFileSync(path.join(REPO, ".github", "dependabot.yml"), "utf8")) as {
      version: number;
      updates: { "package-ecosystem": string; directory: string; schedule: { interval: string } }[];
    };
    assert.equal(dependabot.version, 2);
    for (const eco of ["npm", "github-actions"])
      assert.ok(
        dependabot.updates.some(
          (u) => u["package-ecosystem"] === eco && u.directory === "/" && u.schedule.interval,
        ),
        eco,
      );
  });

  it("previews with the policy pack and the category config, one updated comment per stack", () => {
    const steps = readWorkflow(path.join(DIR, "preview.yml")).jobs.stack!.steps!;
    const pulumi = steps.find((s) => s.uses?.startsWith("pulumi/actions"))!;
    assert.equal(pulumi.with!.policyPacks, "policy");
    assert.match(
      String(pulumi.with!.policyPackConfigs),
      /policy\/config\/\$\{\{ matrix\.category \}\}\.json/,
    );
    assert.equal(pulumi.with!["comment-on-pr"], true);
    assert.equal(pulumi.with!["edit-pr-comment"], true);
    assert.match(String(pulumi.if), /HAS_CLOUD == 'true'/);
  });

  it("deploys test before internal before external, each behind its GitHub environment", () => {
    const jobs = readWorkflow(path.join(DIR, "deploy.yml")).jobs;
    assert.deepEqual(jobs.internal!.needs, ["plan", "test"]);
    assert.deepEqual(jobs.external!.needs, ["plan", "internal"]);
    assert.equal(jobs.external!.with!.environment, "external");
    assert.equal(
      readWorkflow(path.join(DIR, "deploy-stack.yml")).jobs.stack!.environment,
      "${{ inputs.environment }}",
    );
  });

  it("gives every Pulumi step the state backend and its secret, checked first by msp doctor --state-backend", () => {
    // A step runs Pulumi when a command of its script is `pulumi`, or pulumi/actions has a command (without one
    // it only installs the CLI).
    const runsPulumi = (st: Step) =>
      commandsOf(st.run ?? "").some(([cmd]) => cmd === "pulumi") ||
      (!!st.uses?.startsWith("pulumi/actions@") && !!st.with?.command);
    let jobsRunningPulumi = 0;
    for (const [file, wf] of workflows)
      for (const [id, job] of Object.entries(wf.jobs)) {
        const steps = job.steps ?? [];
        const first = steps.findIndex((st) => (runsPulumi(st) && !!st.run) || !!st.with?.command);
        if (first < 0) continue;
        jobsRunningPulumi++;
        const where = `${file} ${id}`;
        // Not a secret: the backend's URL and KMS key name for the whole job (empty: Pulumi Cloud).
        assert.equal(job.env?.PULUMI_BACKEND_URL, "${{ vars.PULUMI_BACKEND_URL }}", where);
        assert.equal(job.env?.PULUMI_SECRETS_PROVIDER, "${{ vars.PULUMI_SECRETS_PROVIDER }}", where);
        // The passphrase only in the steps that need it, never for npm ci or the whole job.
        assert.ok(!("PULUMI_CONFIG_PASSPHRASE" in (job.env ?? {})), `${where}: passphrase at job level`);
        for (const st of steps.filter(runsPulumi))
          assert.equal(
            st.env?.PULUMI_CONFIG_PASSPHRASE,
            "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
            `${where}: ${st.name}`,
          );
        for (const st of steps.filter((x) => !runsPulumi(x) && x.run !== "npx msp doctor --state-backend"))
          assert.ok(
            !("PULUMI_CONFIG_PASSPHRASE" in (st.env ?? {})),
            `${where}: ${st.name} gets the passphrase`,
          );
        const guard = steps.findIndex((st) => st.run === "npx msp doctor --state-backend");
        assert.ok(
          guard >= 0 && guard < first,
          `${where}: msp doctor --state-backend before the first Pulumi step`,
        );
        assert.ok(
          [undefined, steps[first]!.if].includes(steps[guard]!.if),
          `${where}: the guard runs whenever Pulumi does`,
        );
      }
    assert.equal(jobsRunningPulumi, 4, "preview, deploy-stack, drift and subscriptions run Pulumi");
    // A new stack on a DIY backend is created with the KMS provider when one is configured.
    const create = readWorkflow(path.join(DIR, "deploy-stack.yml")).jobs.stack!.steps!.find((st) =>
      st.run?.includes("pulumi stack select --create"),
    )!;
    assert.match(create.run!, /--secrets-provider "\$PULUMI_SECRETS_PROVIDER"/);
  });
});
