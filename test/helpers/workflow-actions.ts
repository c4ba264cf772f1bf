/**
 * The actions the workflows use, as the workflow tests run them: recorded, with the few effects a job depends on
 * (upload-sarif fails without its file, upload-artifact keeps a zip of its path), a limiter for running jobs side
 * by side, and actions/github-script's script run as the action runs it against a fake Octokit.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { ActionCall, ActionHandler } from "./workflow-runner";

export interface Recorded {
  action: string;
  with: Record<string, string>;
  env: Record<string, string>;
}

/** Artifacts uploaded by actions/upload-artifact in a test, by name: the zip GitHub would serve. */
export type Artifacts = Map<string, Buffer>;

/** Handlers for the actions the workflows use; checkout and setup-node are done by the sandbox. */
export function actionHandlers(
  recorded: Recorded[],
  extra: Record<string, ActionHandler> = {},
  artifacts: Artifacts = new Map(),
): Record<string, ActionHandler> {
  const record = (call: ActionCall) => {
    recorded.push({ action: call.action, with: call.with, env: call.env });
    return { exitCode: 0 };
  };
  return {
    "actions/checkout": record,
    "actions/setup-node": record,
    "google-github-actions/auth": record,
    "pulumi/actions": record,
    "github/codeql-action/upload-sarif": (call: ActionCall) => {
      record(call);
      // The real action fails when the file is missing.
      return { exitCode: fs.existsSync(path.join(call.workspace, call.with.sarif_file!)) ? 0 : 1 };
    },
    "actions/upload-artifact": (call: ActionCall) => {
      record(call);
      const dir = path.join(call.workspace, call.with.path!);
      if (!fs.existsSync(dir)) return { exitCode: call.with["if-no-files-found"] === "error" ? 1 : 0 };
      const zip = path.join(call.workspace, "..", `${call.with.name}.zip`);
      fs.rmSync(zip, { force: true });
      execFileSync("zip", ["-q", "-r", zip, "."], { cwd: dir });
      artifacts.set(call.with.name!, fs.readFileSync(zip));
      return { exitCode: 0 };
    },
    ...extra,
  };
}

/** Runs at most `n` jobs at once (each job runs msp processes that load the Pulumi SDKs). */
export function limiter(n: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(f: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await f();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

type Script = (...values: unknown[]) => Promise<unknown>;

/**
 * An actions/github-script handler: the step's script runs as the action runs it (an async function of
 * `require`, `github`, `context`, `core`, `process`), against the given fake `github`.
 */
export function githubScript(github: unknown, context: unknown): ActionHandler & { notices: string[] } {
  const notices: string[] = [];
  const handler = async (call: ActionCall) => {
    // The AsyncFunction constructor, reached through an async function's prototype (it has no global name).
    // eslint-disable-next-line @typescript-eslint/require-await
    const asyncPrototype = Object.getPrototypeOf(async () => undefined) as { constructor: unknown };
    const AsyncFunction = asyncPrototype.constructor as new (...p: string[]) => Script;
    const core = { notice: (m: string) => void notices.push(m) };
    try {
      await new AsyncFunction("require", "github", "context", "core", "process", call.with.script!)(
        require,
        github,
        context,
        core,
        { env: call.env },
      );
      return { exitCode: 0 };
    } catch (e) {
      notices.push(`error: ${String(e)}`);
      return { exitCode: 1 };
    }
  };
  return Object.assign(handler, { notices });
}
