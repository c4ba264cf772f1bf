/**
 * Runs the steps of a GitHub Actions job locally the way a Linux runner does, so tests see the exit codes
 * GitHub would see:
 * - each `run:` script goes to a file run by the effective shell, derived like GitHub does (step `shell`,
 *   else job `defaults.run.shell`, else workflow `defaults.run.shell`, else `bash -e {0}`), where `bash` means
 *   `bash --noprofile --norc -eo pipefail {0}` and `sh` means `sh -e {0}`;
 * - `${{ }}` expressions in `run`, `env`, `with`, `if` and job outputs are evaluated by GitHub's own expression
 *   engine (@actions/expressions) against the contexts the test gives (github, matrix, inputs, vars, secrets,
 *   needs) and the ones the run builds (env, steps);
 * - `if:` without a status function means `success() && (...)`; `hashFiles` looks at the workspace;
 * - `$GITHUB_OUTPUT`, `$GITHUB_ENV`, `$GITHUB_PATH` files work, with the `name<<EOF` form;
 * - `uses:` steps call the handler the test gives for that action (no network, no real actions).
 */
import { spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Expressions = typeof import("@actions/expressions");

export interface Step {
  id?: string;
  name?: string;
  if?: string | boolean;
  uses?: string;
  run?: string;
  shell?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  "working-directory"?: string;
  "continue-on-error"?: boolean;
}

export interface Job {
  if?: string;
  needs?: string | string[];
  uses?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  outputs?: Record<string, string>;
  steps?: Step[];
  defaults?: { run?: { shell?: string; "working-directory"?: string } };
  permissions?: Record<string, string> | string;
  strategy?: { matrix?: unknown; "fail-fast"?: boolean };
  environment?: string | { name: string };
  "timeout-minutes"?: number;
  "runs-on"?: string;
}

export interface Workflow {
  name?: string;
  on: unknown;
  env?: Record<string, unknown>;
  defaults?: { run?: { shell?: string } };
  permissions?: Record<string, string> | string;
  concurrency?: unknown;
  jobs: Record<string, Job>;
}

export function readWorkflow(file: string): Workflow {
  return parse(fs.readFileSync(file, "utf8")) as Workflow;
}

/** What a `uses:` handler gets: the evaluated `with:` inputs and the step's environment. */
export interface ActionCall {
  action: string;
  with: Record<string, string>;
  env: Record<string, string>;
  workspace: string;
}
/** Returns an exit code (0 success) and optional outputs. */
export type ActionHandler = (call: ActionCall) => Promise<ActionResult> | ActionResult;
export interface ActionResult {
  exitCode: number;
  outputs?: Record<string, string>;
}

export interface JobContext {
  /** The job's working directory (GITHUB_WORKSPACE). */
  workspace: string;
  github: Record<string, Json>;
  matrix?: Record<string, Json>;
  inputs?: Record<string, Json>;
  vars?: Record<string, string>;
  secrets?: Record<string, string>;
  needs?: Record<string, { outputs: Record<string, string>; result: string }>;
  /** Environment of the runner process itself (PATH with the test's fakes first, HOME, ...). */
  processEnv: Record<string, string>;
  /** Handlers by action name without the version (`pulumi/actions`). */
  actions: Record<string, ActionHandler>;
  /** Run only the steps this returns true for (the others count as skipped). */
  only?: (step: Step, index: number) => boolean;
}

export interface StepResult {
  name: string;
  status: "success" | "failure" | "skipped";
  exitCode?: number;
  /** The shell command line GitHub would use, for a run step. */
  shell?: string;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

export interface JobResult {
  status: "success" | "failure";
  steps: StepResult[];
  outputs: Record<string, string>;
  /** The failed step, if any. */
  failedStep?: StepResult;
  log: string;
}

let expressions: Expressions | undefined;
/** Loads the ESM-only expression engine once (mocha runs the tests as CommonJS). */
export async function loadExpressions(): Promise<Expressions> {
  return (expressions ??= await import("@actions/expressions"));
}

const STATUS_FUNCTIONS = ["success", "failure", "always", "cancelled"];
const CONTEXTS = [
  "github",
  "env",
  "vars",
  "secrets",
  "matrix",
  "inputs",
  "needs",
  "steps",
  "job",
  "runner",
  "strategy",
];

/** The status of the steps before the one being evaluated, for success()/failure(). */
interface Status {
  failed: boolean;
}

/** Evaluates one expression (without `${{ }}`) against plain JSON contexts. */
export function evaluate(
  source: string,
  contexts: Record<string, unknown>,
  status: Status = { failed: false },
  workspace = process.cwd(),
): Json {
  const ex = expressions;
  if (!ex) throw new Error("call loadExpressions() first");
  const { Lexer, Parser, Evaluator, data } = ex;
  const bool = (b: boolean) => new data.BooleanData(b);
  const functions = new Map([
    ["success", { name: "success", minArgs: 0, maxArgs: 0, call: () => bool(!status.failed) }],
    ["failure", { name: "failure", minArgs: 0, maxArgs: 0, call: () => bool(status.failed) }],
    ["always", { name: "always", minArgs: 0, maxArgs: 0, call: () => bool(true) }],
    ["cancelled", { name: "cancelled", minArgs: 0, maxArgs: 0, call: () => bool(false) }],
    [
      "hashfiles",
      {
        name: "hashFiles",
        minArgs: 1,
        maxArgs: 255,
        call: (...patterns: { coerceString(): string }[]) =>
          new data.StringData(
            hashFiles(
              workspace,
              patterns.map((p) => p.coerceString()),
            ),
          ),
      },
    ],
  ]);
  const tokens = new Lexer(source).lex().tokens;
  const tree = new Parser(tokens, CONTEXTS, [...functions.values()]).parse();
  const context = JSON.parse(JSON.stringify(contexts), data.reviver) as InstanceType<typeof data.Dictionary>;
  const result = new Evaluator(tree, context, functions).evaluate();
  return JSON.parse(JSON.stringify(result, data.replacer) ?? "null") as Json;
}

/** GitHub's string form of an expression result inside a string. */
function asString(v: Json): string {
  if (v === null) return "";
  if (typeof v === "string") return v;
  if (typeof v === "boolean" || typeof v === "number") return String(v);
  return Array.isArray(v) ? "Array" : "Object";
}

const truthy = (v: Json) => !(v === null || v === false || v === 0 || v === "" || Number.isNaN(v));

/** Replaces every `${{ expr }}` in `text`. */
export function substitute(
  text: string,
  contexts: Record<string, unknown>,
  status?: Status,
  workspace?: string,
): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expr: string) =>
    asString(evaluate(expr.trim(), contexts, status, workspace)),
  );
}

/** Whether an `if:` condition holds (GitHub adds `success() &&` unless a status function is used). */
export function condition(
  cond: string | boolean | undefined,
  contexts: Record<string, unknown>,
  status: Status,
  workspace?: string,
): boolean {
  if (cond === undefined) return !status.failed;
  if (typeof cond === "boolean") return cond && !status.failed;
  let expr = cond.trim();
  const whole = /^\$\{\{([\s\S]*)\}\}$/.exec(expr);
  if (whole) expr = whole[1]!.trim();
  const usesStatus = STATUS_FUNCTIONS.some((f) => new RegExp(`\\b${f}\\s*\\(`, "i").test(expr));
  if (!usesStatus) expr = `success() && (${expr})`;
  return truthy(evaluate(expr, contexts, status, workspace));
}

/** GitHub's shell for a step: the command template, `{0}` standing for the script file. */
export function effectiveShell(workflow: Workflow, job: Job, step: Step): string {
  const shell = step.shell ?? job.defaults?.run?.shell ?? workflow.defaults?.run?.shell;
  if (shell === undefined) return "bash -e {0}";
  if (shell === "bash") return "bash --noprofile --norc -eo pipefail {0}";
  if (shell === "sh") return "sh -e {0}";
  if (shell.includes("{0}")) return shell;
  throw new Error(`shell "${shell}" is not supported by this runner`);
}

function hashFiles(workspace: string, patterns: string[]): string {
  const files = patterns
    .map((p) => path.join(workspace, p))
    .filter((f) => fs.existsSync(f) && fs.statSync(f).isFile())
    .sort();
  if (!files.length) return "";
  const hash = crypto.createHash("sha256");
  for (const f of files) hash.update(crypto.createHash("sha256").update(fs.readFileSync(f)).digest());
  return hash.digest("hex");
}

/** Runs a command without blocking, so jobs of a test can run side by side. */
function run(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (code, signal) =>
      resolve({
        status: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      }),
    );
  });
}

/** Parses a GITHUB_OUTPUT / GITHUB_ENV file (`name=value` lines and `name<<DELIM` blocks). */
export function parseCommandFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) value.push(lines[i]!);
      if (i >= lines.length) throw new Error(`unterminated ${heredoc[2]} block for ${heredoc[1]}`);
      out[heredoc[1]!] = value.join("\n");
      continue;
    }
    const eq = line.indexOf("=");
    if (eq < 1) throw new Error(`malformed line in a command file: ${line}`);
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

const evalRecord = (
  rec: Record<string, unknown> | undefined,
  contexts: Record<string, unknown>,
  status: Status,
  workspace: string,
): Record<string, string> =>
  Object.fromEntries(
    Object.entries(rec ?? {}).map(([k, v]) => [k, substitute(String(v), contexts, status, workspace)]),
  );

/** Runs the steps of `jobId` of `workflow`; never throws for a failing step (the result says so). */
export async function runJob(workflow: Workflow, jobId: string, ctx: JobContext): Promise<JobResult> {
  await loadExpressions();
  const job = workflow.jobs[jobId];
  if (!job?.steps) throw new Error(`no job ${jobId} with steps`);
  const temp = fs.mkdtempSync(path.join(ctx.workspace, "..", `.runner-${jobId}-`));
  const status: Status = { failed: false };
  const steps: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {};
  const results: StepResult[] = [];
  const addedEnv: Record<string, string> = {};
  const addedPath: string[] = [];
  let log = "";
  const contexts = (env: Record<string, string>) => ({
    github: ctx.github,
    matrix: ctx.matrix ?? {},
    inputs: ctx.inputs ?? {},
    vars: ctx.vars ?? {},
    secrets: ctx.secrets ?? {},
    needs: ctx.needs ?? {},
    steps,
    env,
    runner: { os: "Linux", temp },
    job: { status: status.failed ? "failure" : "success" },
    strategy: { "fail-fast": job.strategy?.["fail-fast"] ?? true },
  });
  // Workflow env, then job env (each evaluated with what is known at its level).
  const baseEnv: Record<string, string> = {};
  Object.assign(baseEnv, evalRecord(workflow.env, contexts(baseEnv), status, ctx.workspace));
  Object.assign(baseEnv, evalRecord(job.env, contexts(baseEnv), status, ctx.workspace));

  for (const [index, step] of job.steps.entries()) {
    const name = step.name ?? step.run?.split("\n")[0] ?? step.uses ?? `step ${index}`;
    const before = { ...baseEnv, ...addedEnv };
    const stepEnv = { ...before, ...evalRecord(step.env, contexts(before), status, ctx.workspace) };
    const enabled =
      (!ctx.only || ctx.only(step, index)) && condition(step.if, contexts(stepEnv), status, ctx.workspace);
    if (!enabled) {
      results.push({ name, status: "skipped", stdout: "", stderr: "", outputs: {} });
      if (step.id) steps[step.id] = { outputs: {}, outcome: "skipped", conclusion: "skipped" };
      continue;
    }
    const files = {
      GITHUB_OUTPUT: path.join(temp, `output-${index}`),
      GITHUB_ENV: path.join(temp, `env-${index}`),
      GITHUB_PATH: path.join(temp, `path-${index}`),
      GITHUB_STEP_SUMMARY: path.join(temp, `summary-${index}`),
    };
    for (const f of Object.values(files)) fs.writeFileSync(f, "");
    const processEnv: Record<string, string> = {
      ...ctx.processEnv,
      PATH: [...addedPath, ctx.processEnv.PATH ?? ""].join(":"),
      CI: "true",
      GITHUB_ACTIONS: "true",
      GITHUB_WORKSPACE: ctx.workspace,
      GITHUB_SHA: asString(ctx.github.sha ?? null),
      GITHUB_REPOSITORY: asString(ctx.github.repository ?? null),
      GITHUB_EVENT_NAME: asString(ctx.github.event_name ?? null),
      RUNNER_TEMP: temp,
      ...files,
      ...stepEnv,
    };
    let result: StepResult;
    if (step.run !== undefined) {
      const script = substitute(step.run, contexts(stepEnv), status, ctx.workspace);
      const file = path.join(temp, `step-${index}.sh`);
      fs.writeFileSync(file, script);
      const shell = effectiveShell(workflow, job, step);
      const [cmd, ...args] = shell.split(/\s+/).map((a) => (a === "{0}" ? file : a));
      const cwd = path.resolve(
        ctx.workspace,
        step["working-directory"] ?? job.defaults?.run?.["working-directory"] ?? ".",
      );
      const r = await run(cmd!, args, cwd, processEnv);
      const exitCode = r.status;
      result = {
        name,
        status: exitCode === 0 ? "success" : "failure",
        exitCode,
        shell,
        stdout: r.stdout,
        stderr: r.stderr,
        outputs: {},
      };
    } else if (step.uses) {
      const action = step.uses.replace(/@.*$/, "");
      const handler = ctx.actions[action];
      if (!handler) throw new Error(`no handler for action ${action} (step "${name}")`);
      const withInputs = evalRecord(step.with, contexts(stepEnv), status, ctx.workspace);
      const r = await handler({ action, with: withInputs, env: processEnv, workspace: ctx.workspace });
      result = {
        name,
        status: r.exitCode === 0 ? "success" : "failure",
        exitCode: r.exitCode,
        stdout: "",
        stderr: "",
        outputs: r.outputs ?? {},
      };
    } else throw new Error(`step "${name}" has neither run nor uses`);

    result.outputs = { ...result.outputs, ...parseCommandFile(fs.readFileSync(files.GITHUB_OUTPUT, "utf8")) };
    Object.assign(addedEnv, parseCommandFile(fs.readFileSync(files.GITHUB_ENV, "utf8")));
    addedPath.unshift(...fs.readFileSync(files.GITHUB_PATH, "utf8").split("\n").filter(Boolean).reverse());
    const failed = result.status === "failure" && !step["continue-on-error"];
    if (step.id)
      steps[step.id] = {
        outputs: result.outputs,
        outcome: result.status,
        conclusion: failed || result.status === "success" ? result.status : "success",
      };
    if (failed) status.failed = true;
    log += `--- ${name} (${result.status}${result.exitCode !== undefined ? `, exit ${result.exitCode}` : ""})\n${result.stdout}${result.stderr}`;
    results.push(result);
  }
  const outputs = evalRecord(job.outputs, contexts(baseEnv), status, ctx.workspace);
  fs.rmSync(temp, { recursive: true, force: true });
  return {
    status: status.failed ? "failure" : "success",
    steps: results,
    outputs,
    failedStep: results.find((r) => r.status === "failure"),
    log,
  };
}
