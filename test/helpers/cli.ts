/**
 * Two ways to run the `msp` command in a test, with the same arguments and the same result shape:
 *
 * - `msp(args, cwd, env)` spawns `node bin/msp.js`, the command exactly as a user runs it: the bundle in build/,
 *   a process of its own (exit codes set by the top-level handlers, pipes, signals, a real terminal). Each run
 *   loads the command afresh: about 0.5 s of CPU, 3-4 s for a preview (the Pulumi and GCP SDKs).
 * - `mspInProcess(args, cwd, env)` runs the same sources (cli/main.ts, through tsx: what the bundle is built
 *   from) inside the test process, with standard output and error captured, so the SDKs load once per test
 *   file. For tests whose subject is what a command does and prints (test/cli/in-process.e2e.test.ts checks that
 *   both give byte-identical results).
 *
 * Use the spawn where the process itself is the subject: exit codes from the top-level error handlers,
 * EPIPE, colour on a real terminal, signals, hangs (a FIFO: a blocked read would block the test process too),
 * `--version`, `preview --all` (worker threads load the bundled worker), and one run per command so the
 * bundle stays tested.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";

export const REPO = path.join(__dirname, "..", "..");
/**
 * The tests' own fleet (test/fixtures/fleet/README.md): for exact counts and names. `services/` belongs to the
 * adopter; what must hold for every service there is checked over whatever it holds.
 */
export const FLEET_SERVICES = path.join(REPO, "test", "fixtures", "fleet", "services");
const BIN = path.join(REPO, "bin", "msp.js");

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

let built = false;
/**
 * bin/msp.js runs the bundle in build/, which `npm ci` made from the sources of that moment: rebuild it once
 * per test process, before the first command runs, so tests always exercise the sources as they are now
 * (also when a single test file runs). bin/build.js writes each file atomically.
 */
export function buildOnce(): void {
  if (built) return;
  (require("../../bin/build.js") as { build: () => string[] }).build();
  built = true;
}

/** The environment of a command run by these helpers: the test process's, without colour unless asked. */
const commandEnv = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({ ...process.env, NO_COLOR: "1", ...env });

/**
 * A command that has not ended by then is killed, so that a hang (a fleet worker that never exits, say) fails
 * its test instead of stalling the run: mocha's own timeout cannot fire while spawnSync blocks.
 */
const COMMAND_TIMEOUT_MS = 180_000;

/** Runs the built `msp` in a child process; `timeout` (ms) kills a command that does not end. */
export function msp(
  args: string[],
  cwd = REPO,
  env: NodeJS.ProcessEnv = {},
  timeout = COMMAND_TIMEOUT_MS,
): CliResult {
  buildOnce();
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: "utf8",
    env: commandEnv(env),
    timeout,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Thrown by the stand-in for process.exit(): ends the command's code where a real exit would end the process. */
class ProcessExit extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code}) in an in-process msp run`);
  }
}

/** Makes `process.env` hold exactly `env` (in place: setting a key sets the real environment, as children see). */
function replaceEnv(env: NodeJS.ProcessEnv): void {
  for (const key of Object.keys(process.env)) if (env[key] === undefined) delete process.env[key];
  for (const [key, value] of Object.entries(env)) if (value !== undefined) process.env[key] = value;
}

type Streams = { stdout: Buffer[]; stderr: Buffer[] };
const PROCESS_EVENTS = ["uncaughtException", "unhandledRejection"] as const;
/** `process` as a plain emitter: its typings have no overload for a union of event names. */
const processEvents = process as unknown as NodeJS.EventEmitter;

let running = false;

/**
 * Runs `msp <args>` in this process as `msp()` would run it in a child: working directory `cwd`, environment
 * `{...process.env, NO_COLOR: "1", ...env}` (undefined removes a variable), standard output and error as pipes
 * (not terminals) and captured, the exit code from process.exitCode or from a call to process.exit() (which
 * ends the command instead of the test process; nothing written after it counts, as in a process). Everything
 * is restored afterwards: cwd, environment, exit code, streams and the process listeners main() installs.
 * Runs one at a time (the working directory and the environment are per process).
 */
export async function mspInProcess(
  args: string[],
  cwd = REPO,
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  if (running) throw new Error("mspInProcess runs one command at a time");
  running = true;
  const { main } = require("../../cli/main") as typeof import("../../cli/main");
  const captured: Streams = { stdout: [], stderr: [] };
  let exitStatus: number | undefined;
  let exitCalled!: () => void;
  const exited = new Promise<void>((resolve) => (exitCalled = resolve));

  const saved = {
    cwd: process.cwd(),
    env: { ...process.env },
    exitCode: process.exitCode,
    // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to put the same function back, never called detached
    exit: process.exit,
    listeners: Object.fromEntries(PROCESS_EVENTS.map((e) => [e, processEvents.listeners(e)])),
    stdoutErrorListeners: process.stdout.listeners("error"),
  };
  const streams = (["stdout", "stderr"] as const).map((name) => {
    const stream = process[name];
    // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to put the same function back, never called detached
    return { name, stream, write: stream.write, tty: Object.getOwnPropertyDescriptor(stream, "isTTY") };
  });

  try {
    for (const { name, stream } of streams) {
      // A pipe, as for a spawned command: no isTTY (a terminal's stream inherits isTTY = true; hide it).
      Object.defineProperty(stream, "isTTY", { value: undefined, configurable: true, writable: true });
      stream.write = (chunk: string | Uint8Array, encoding?: unknown, callback?: unknown): boolean => {
        const done = typeof encoding === "function" ? encoding : callback;
        const enc = typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8";
        if (exitStatus === undefined)
          captured[name].push(typeof chunk === "string" ? Buffer.from(chunk, enc) : Buffer.from(chunk));
        if (typeof done === "function") process.nextTick(done);
        return true;
      };
    }
    process.exit = (code?: number | string | null) => {
      if (exitStatus === undefined) {
        exitStatus = Number(code ?? process.exitCode ?? 0);
        exitCalled();
      }
      throw new ProcessExit(exitStatus);
    };
    process.chdir(cwd);
    replaceEnv(commandEnv(env));
    process.exitCode = undefined;

    const run = main(args);
    // main() has installed its handlers (synchronously, first thing): their process.exit() must not throw out
    // of a process event, which would end the test process. The wrapper ends the handler there instead.
    for (const event of PROCESS_EVENTS)
      for (const listener of processEvents.listeners(event))
        if (!saved.listeners[event]!.includes(listener)) {
          processEvents.off(event, listener as (...a: unknown[]) => void);
          processEvents.on(event, (...a: unknown[]) => {
            try {
              (listener as (...a: unknown[]) => void)(...a);
            } catch (e) {
              if (!(e instanceof ProcessExit)) throw e;
            }
          });
        }
    await Promise.race([run, exited]);
    // Rejections and callbacks still queued would run before a process ends: let them.
    await new Promise((resolve) => setImmediate(resolve));
    const status = exitStatus ?? Number(process.exitCode ?? 0);
    return {
      status,
      stdout: Buffer.concat(captured.stdout).toString("utf8"),
      stderr: Buffer.concat(captured.stderr).toString("utf8"),
    };
  } finally {
    for (const { stream, write, tty } of streams) {
      stream.write = write;
      if (tty) Object.defineProperty(stream, "isTTY", tty);
      else delete (stream as { isTTY?: boolean }).isTTY;
    }
    for (const event of PROCESS_EVENTS)
      for (const listener of processEvents.listeners(event))
        if (!saved.listeners[event]!.includes(listener))
          processEvents.off(event, listener as (...a: unknown[]) => void);
    for (const listener of process.stdout.listeners("error"))
      if (!saved.stdoutErrorListeners.includes(listener))
        process.stdout.off("error", listener as (...a: unknown[]) => void);
    process.exit = saved.exit;
    process.exitCode = saved.exitCode;
    replaceEnv(saved.env);
    process.chdir(saved.cwd);
    running = false;
  }
}
