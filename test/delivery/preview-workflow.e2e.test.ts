/**
 * preview.yml and preview-comment.yml on pull requests, run as GitHub runs them (test/helpers/workflow-runner.ts)
 * in the sandbox repository with the real msp: the plan job's verdict per stack (values, policies, data loss,
 * downgrades, removals), the spec-only and the code paths, the summary artifact, and the comment workflow that
 * posts it from the artifact alone (forks included), with a fake GitHub API.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO } from "../helpers/cli";
import { createSandbox, type Sandbox } from "../helpers/workflow-sandbox";
import {
  actionHandlers,
  githubScript,
  limiter,
  type Artifacts,
  type Recorded,
} from "../helpers/workflow-actions";
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
const preview = readWorkflow(path.join(WORKFLOWS, "preview.yml"));
const comment = readWorkflow(path.join(WORKFLOWS, "preview-comment.yml"));
const STEP_PLAN = "Plan every stack against the base branch";

type Leg = Record<string, string | boolean | null>;
interface Run {
  result: JobResult;
  recorded: Recorded[];
  ws: string;
}
const failedStep = (r: JobResult) => r.failedStep?.name ?? "(none)";
const explain = (r: JobResult) => `job ${r.status}; failed step: ${failedStep(r)}\n${r.log}`;
/** The plan step's output for one stack (between its ::group:: lines). */
const section = (r: Run, stack: string) => {
  const m = new RegExp(`::group::${stack}\\n([\\s\\S]*?)::endgroup::`).exec(r.result.log);
  assert.ok(m, `the plan has a section for ${stack}:\n${r.result.log}`);
  return m[1]!;
};
const summaryOf = (r: Run) => fs.readFileSync(path.join(r.ws, "comment", "comment.md"), "utf8");

describe("preview.yml and preview-comment.yml on pull requests (GitHub shell semantics, sandbox)", function () {
  this.timeout(300_000);
  let sb: Sandbox;
  const limit = limiter(2);
  const artifacts: Artifacts = new Map();

  const edit = (file: string, from: string | RegExp, to: string, ref = "main") => {
    const text = sb.read(ref, file);
    const next = text.replace(from, to);
    assert.notEqual(next, text, `the edit of ${file} must change it`);
    return next;
  };
  const prContext = (head: string, base: string, labels: string[] = [], fork = false) => ({
    sha: head,
    repository: "acme/msp",
    event_name: "pull_request",
    event: {
      pull_request: {
        number: 7,
        labels: labels.map((name) => ({ name })),
        base: { sha: base, ref: "main" },
        head: { sha: head, ref: "feature", repo: { fork } },
      },
    },
  });
  function job(wf: Workflow, id: string, name: string, sha: string, ctx: Partial<JobContext>, extra = {}) {
    return limit(async (): Promise<Run> => {
      const recorded: Recorded[] = [];
      const ws = ctx.workspace ?? sb.workspace(name, sha);
      const result = await runJob(wf, id, {
        processEnv: sb.env,
        actions: actionHandlers(recorded, extra, artifacts),
        github: {},
        ...ctx,
        workspace: ws,
      });
      return { result, recorded, ws };
    });
  }
  const plan = (name: string, head: string, base: string, more: Partial<JobContext> = {}) =>
    job(preview, "plan", name, head, { github: prContext(head, base), ...more });
  const legsOf = (r: Run): Leg[] =>
    r.result.outputs.matrix ? (JSON.parse(r.result.outputs.matrix) as { include: Leg[] }).include : [];

  let mixed: Promise<Run>;
  /** The mixed pull request's summary artifact (later runs upload theirs under the same name). */
  let mixedArtifact: Buffer | undefined;
  let base: string;
  let head: string;
  before(async () => {
    await loadExpressions();
    sb = createSandbox();
    // The base branch has a broken stack file for pings-prod, which the pull request repairs: its base plan fails
    // although the stack exists there.
    const pingsStack = "stacks/Pulumi.pings-prod.yaml";
    base = sb.commit("pr-base", { [pingsStack]: "config: [unclosed\n" }, "Break a stack file");
    const registry = "services/releaseregistry/service.yaml";
    const cody = "services/cody-analytics/service.yaml";
    head = sb.commit(
      "pr-mixed",
      {
        [pingsStack]: sb.read("main", pingsStack),
        // releaseregistry-prod: a new tag, and its PostgreSQL removed (data loss); releaseregistry-dev unchanged.
        [registry]: edit(
          registry,
          /    resources:\n      postgreSQL:\n        databases:\n          - releaseregistry\n\n/,
          "\n",
        ).replace("tag: v0.4.2", "tag: v0.4.3"),
        // cody-analytics-prod: an unproxied external domain (a mandatory policy violation).
        [cody]: edit(
          cody,
          "        zone: sourcegraph.com\n",
          "        zone: sourcegraph.com\n        proxied: false\n",
        ),
      },
      "Several changes",
      "pr-base",
    );
    mixed = plan("mixed", head, base);
    mixed.catch(() => undefined);
  });
  after(async () => {
    await mixed?.catch(() => undefined);
    sb?.cleanup();
  });

  it("plans every touched stack in one job without the tests: values, policy verdict, data loss, base failures", async () => {
    const r = await mixed;
    mixedArtifact = artifacts.get("msp-plan");
    assert.equal(failedStep(r.result), STEP_PLAN, explain(r.result));
    assert.deepEqual(
      legsOf(r)
        .map((l) => l.stack)
        .sort(),
      [
        "cody-analytics-dev",
        "cody-analytics-prod",
        "pings-prod",
        "releaseregistry-dev",
        "releaseregistry-prod",
      ],
    );
    const npm = fs.readFileSync(sb.commandLog, "utf8").split("\n");
    assert.ok(!npm.some((l) => /^npm (test|run)/.test(l)), "no check or test on the plan's path");
    assert.ok(
      !fs.existsSync(path.join(r.ws, "..", "base")),
      "specs only: no base worktree, no second npm ci",
    );
    for (const s of r.result.steps.filter((x) => x.shell))
      assert.equal(s.shell, "bash --noprofile --norc -eo pipefail {0}");
    // The tag bump: its value before -> after; the unchanged stack passes.
    assert.match(
      section(r, "releaseregistry-prod"),
      /template\.containers\[name=releaseregistry\]\.image: "[^"]*:v0\.4\.2" -> "[^"]*:v0\.4\.3"/,
    );
    assert.match(section(r, "releaseregistry-dev"), /0 to create, 0 to update, 0 to replace, 0 to delete/);
    assert.doesNotMatch(section(r, "releaseregistry-dev"), /msp diff: \d/, "no finding");
    assert.match(section(r, "releaseregistry-prod"), /DATA LOSS[\s\S]*postgres-instance \(deleted\)/);
    assert.match(section(r, "cody-analytics-prod"), /\[mandatory\] cloudflare-record-proxied/);
    assert.match(section(r, "cody-analytics-prod"), /msp diff: .*1 mandatory policy violation\(s\)/);
    assert.match(section(r, "pings-prod"), /is in the base \(\w+\), but its plan there failed/);
    assert.doesNotMatch(section(r, "pings-prod"), /it is new/);
    // The summary: one part per stack, in the step summary and the artifact.
    const summary = summaryOf(r);
    assert.match(summary, /### ✅ <code>releaseregistry-dev<\/code>/);
    assert.match(summary, /### ❌ <code>releaseregistry-prod<\/code>[\s\S]*\*\*DATA LOSS\*\*/);
    assert.match(
      summary,
      /### ❌ <code>cody-analytics-prod<\/code>[\s\S]*Policies \(msp pack, external\): 1 mandatory/,
    );
    assert.match(summary, /### ❌ pings-prod\n\nThe plan failed \(exit 1\)/);
    assert.equal(fs.readFileSync(path.join(r.ws, "comment", "pr-number"), "utf8"), "7\n");
    assert.ok(mixedArtifact, "the summary is uploaded although the plan failed");
  });

  it("passes a protection downgrade only with the msp/allow-downgrade label, for a fork too (no secrets)", async () => {
    const accounts = "services/accounts/service.yaml";
    const lowered = sb.commit(
      "pr-downgrade",
      { [accounts]: edit(accounts, "category: external", "category: internal") },
      "Lower the category",
    );
    const main = sb.git(sb.origin, "rev-parse", "main");
    const fork = { github: prContext(lowered, main, [], true), secrets: {} };
    const strict = await plan("downgrade", lowered, main, fork);
    assert.equal(failedStep(strict.result), STEP_PLAN, explain(strict.result));
    assert.match(
      section(strict, "accounts-prod"),
      /PROTECTION DOWNGRADE[\s\S]*category lowered from external to internal/,
    );
    const labelled = await plan("downgrade", lowered, main, {
      ...fork,
      workspace: strict.ws,
      github: prContext(lowered, main, ["msp/allow-downgrade"], true),
      only: (step) => step.name === STEP_PLAN,
    });
    assert.equal(labelled.result.status, "success", explain(labelled.result));
    assert.match(labelled.result.log, /allowed by the msp\/allow-downgrade label/);
  });

  it("fails on a removal the base did not allow; a removal it allowed deletes and loses nothing", async () => {
    const main = sb.git(sb.origin, "rev-parse", "main");
    const removePings = {
      "services/pings": null,
      "stacks/Pulumi.pings-dev.yaml": null,
      "stacks/Pulumi.pings-prod.yaml": null,
    };
    const blocked = await plan("removal", sb.commit("pr-removal", removePings, "Remove pings"), main);
    assert.equal(
      failedStep(blocked.result),
      "Removed stacks must have allowDestroys in the base branch first",
      explain(blocked.result),
    );
    assert.match(blocked.result.log, /pings-dev is removed[\s\S]*pings-prod is removed/);
    const pings = "services/pings/service.yaml";
    const allowBase = sb.commit(
      "allow-base",
      {
        [pings]: edit(pings, "    category: test\n", "    category: test\n    allowDestroys: true\n").replace(
          "    category: internal\n",
          "    category: internal\n    allowDestroys: true\n",
        ),
      },
      "allowDestroys for pings",
    );
    const removal = sb.commit("pr-allowed-removal", removePings, "Remove pings", "allow-base");
    const allowed = await plan("allowed", removal, allowBase);
    assert.equal(allowed.result.status, "success", explain(allowed.result));
    assert.match(section(allowed, "pings-prod"), /0 to create, 0 to update, 0 to replace, \d+ to delete/);
    assert.match(section(allowed, "pings-prod"), /pings-prod is not in this checkout's specs: it is removed/);
    assert.doesNotMatch(allowed.result.log, /DATA LOSS/);
  });

  it("plans the base with its own code when the change touches code (a worktree, its npm ci, --before)", async () => {
    // A fleet of one service keeps this short: a code change touches every stack.
    const others = ["accounts", "cody-analytics", "releaseregistry", "usage-exporter"];
    const removed: Record<string, null> = {};
    for (const s of others) removed[`services/${s}`] = null;
    for (const f of fs.readdirSync(path.join(REPO, "test", "fixtures", "fleet", "stacks")))
      if (!f.includes("pings")) removed[`stacks/${f}`] = null;
    const small = sb.commit("small", removed, "Only pings");
    const pings = "services/pings/service.yaml";
    const changed = sb.commit(
      "pr-code",
      {
        "scripts/tool.sh": "#!/bin/sh\n",
        [pings]: edit(
          pings,
          "        cpu: 2\n        memory: 2Gi\n",
          "        cpu: 4\n        memory: 2Gi\n",
          "small",
        ),
      },
      "Code and spec",
      "small",
    );
    const r = await plan("code", changed, small);
    assert.equal(r.result.status, "success", explain(r.result));
    assert.match(r.result.log, /scripts\/tool\.sh/);
    assert.ok(fs.existsSync(path.join(r.ws, "..", "base", "build", "msp.js")), "the base's own npm ci");
    assert.match(
      section(r, "pings-prod"),
      /msp diff pings-prod: plan\/pings-prod\.before\.json -> this checkout/,
    );
    assert.match(
      section(r, "pings-prod"),
      /template\.containers\[name=pings\]\.resources\.limits\.cpu: "2" -> "4"/,
    );
    assert.match(section(r, "pings-dev"), /0 to create, 0 to update, 0 to replace, 0 to delete/);
  });

  describe("preview-comment.yml", () => {
    interface Comment {
      id: number;
      body: string;
      user: { type: string };
    }
    const comments: Comment[] = [];
    const fakeGithub = (headSha: string, artifact: Buffer | undefined) => ({
      paginate: async (fn: (q: unknown) => Promise<{ data: unknown[] }>, q: unknown) => (await fn(q)).data,
      rest: {
        actions: {
          listWorkflowRunArtifacts: () =>
            Promise.resolve({
              data: {
                artifacts: artifact ? [{ id: 1, name: "msp-plan", size_in_bytes: artifact.length }] : [],
              },
            }),
          downloadArtifact: () => Promise.resolve({ data: Uint8Array.from(artifact!).buffer }),
        },
        pulls: { get: () => Promise.resolve({ data: { head: { sha: headSha } } }) },
        issues: {
          listComments: () => Promise.resolve({ data: comments }),
          createComment: (p: { body: string }) =>
            Promise.resolve(
              void comments.push({ id: comments.length + 1, body: p.body, user: { type: "Bot" } }),
            ),
          updateComment: (p: { comment_id: number; body: string }) =>
            Promise.resolve(void (comments.find((c) => c.id === p.comment_id)!.body = p.body)),
        },
      },
    });
    const runComment = (name: string, runHead: string, prHead: string, artifact: Buffer | undefined) => {
      const script: ActionHandler = githubScript(fakeGithub(prHead, artifact), {
        repo: { owner: "acme", repo: "msp" },
      });
      return job(
        comment,
        "comment",
        name,
        "main",
        {
          github: {
            event_name: "workflow_run",
            event: {
              workflow_run: {
                id: 99,
                event: "pull_request",
                conclusion: "failure",
                head_sha: runHead,
                html_url: "https://github.com/acme/msp/actions/runs/99",
                // Empty for pull requests from forks: the number comes from the artifact, checked against head_sha.
                pull_requests: [],
              },
            },
          },
        },
        { "actions/github-script": script },
      );
    };

    it("posts one comment from the artifact alone and updates it; a stale or forged number posts nothing", async () => {
      await mixed;
      const artifact = mixedArtifact;
      assert.ok(artifact);
      assert.equal(
        evaluate(comment.jobs.comment!.if!, {
          github: { event: { workflow_run: { event: "pull_request", conclusion: "failure" } } },
        }),
        true,
      );
      assert.equal(
        evaluate(comment.jobs.comment!.if!, {
          github: { event: { workflow_run: { event: "push", conclusion: "success" } } },
        }),
        false,
      );
      const first = await runComment("comment-1", head, head, artifact);
      assert.equal(first.result.status, "success", explain(first.result));
      assert.equal(comments.length, 1);
      const body = comments[0]!.body;
      assert.match(
        body,
        /^<!-- msp-plan -->\n\*\*msp offline plan\*\* for \w{12}: the \[preview run\]\(https:\/\/github\.com\/acme\/msp\/actions\/runs\/99\) ended: failure/,
      );
      assert.match(body, /### ❌ <code>releaseregistry-prod<\/code>/);
      const second = await runComment("comment-2", head, head, artifact);
      assert.equal(second.result.status, "success", explain(second.result));
      assert.equal(comments.length, 1, "updated, not duplicated");
      // The pull request moved on (or the artifact names another one): nothing is posted.
      comments[0]!.body = "<!-- msp-plan -->\nold";
      const stale = await runComment("comment-3", head, "f".repeat(40), artifact);
      assert.equal(stale.result.status, "success", explain(stale.result));
      assert.equal(comments[0]!.body, "<!-- msp-plan -->\nold");
      assert.ok(
        !stale.recorded.some((x) => x.action === "actions/checkout"),
        "nothing of the pull request is checked out",
      );
    });

    it("treats the artifact as data: bounded, no marker, no mentions, nothing of it run", async () => {
      const dir = fs.mkdtempSync(path.join(sb.root, "hostile-"));
      const hostile =
        "<!-- msp-plan -->\n@acme/admins please merge\n$(touch /tmp/msp-pwned)\n" + "x".repeat(100) + "\n";
      fs.writeFileSync(path.join(dir, "comment.md"), hostile.repeat(1000));
      fs.writeFileSync(path.join(dir, "pr-number"), "7\n");
      fs.writeFileSync(path.join(dir, "evil.sh"), "touch /tmp/msp-pwned\n");
      const { execFileSync } = await import("node:child_process");
      execFileSync("zip", ["-q", "-r", path.join(dir, "a.zip"), "."], { cwd: dir });
      comments.length = 0;
      const r = await runComment("comment-hostile", head, head, fs.readFileSync(path.join(dir, "a.zip")));
      assert.equal(r.result.status, "success", explain(r.result));
      const body = comments[0]!.body;
      assert.ok(body.length < 61_000, `bounded: ${body.length}`);
      assert.match(body, /Cut at 60000 characters/);
      assert.equal(body.split("<!-- msp-plan -->").length, 2, "only the workflow's own marker");
      assert.doesNotMatch(body, /@acme/);
      assert.ok(!fs.existsSync("/tmp/msp-pwned"));
      assert.ok(!fs.existsSync(path.join(r.ws, "..", "evil.sh")));
    });
  });
});
