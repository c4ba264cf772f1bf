/**
 * Previews many stacks at once: one worker thread per core, each reusing one Pulumi runtime for stack after
 * stack (loading the SDKs once per worker is what makes a fleet cheap).
 */
import * as os from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { StackTarget } from "../program/stack-targets";

export interface FleetJob {
  /** The repository root: its Pulumi project and stack files give each stack's platform settings. */
  root: string;
}

export interface FleetStackResult {
  stack: string;
  ok: boolean;
  resources: number;
  ms: number;
  error?: string;
  /** Mandatory policy violations (filled when policies run). */
  mandatory?: number;
}

export interface FleetResult {
  results: FleetStackResult[];
  wallMs: number;
  workers: number;
  /** Peak resident memory of the whole process, in MiB. */
  peakRssMiB: number;
}

/**
 * A worker allocates tens of megabytes of short-lived objects per stack (protobuf messages, outputs, policy
 * views), much of it alive until the stack's run ends: with V8's default young generation a quarter of its
 * time went to garbage collection. On 2 cores, 184 stacks, the whole process (CPU time, median of 4 interleaved
 * runs): 64 MB 22.8 s, 128 MB 20.6 s, 192 MB 19.4-21.1 s, 256 MB 21.0 s; peak memory 650, 700, 700-720 and
 * 845 MiB.
 */
const YOUNG_GENERATION_MB = 128;

/** build/fleet-worker.js when bundled with the CLI, runner/fleet-worker.js (a tsx bootstrap) from sources. */
const WORKER = path.join(__dirname, "fleet-worker.js");
/** The package root (build/ and engine/ are both one level down), whose compile cache bin/msp.js uses too. */
const PACKAGE_ROOT = path.join(__dirname, "..");

/**
 * A worker starts as bin/msp.js does (pulumi-sdk/fast-start.js: the compile cache, the SDK's unused parts deferred), so
 * that loading the SDKs costs it what it costs a single preview: without the cache, compiling them again was a
 * third of a second of each worker's start, while the parent validates the specs on the same cores. It saves
 * what it compiled when it is told to stop (a `null` message: it exits by itself, which runs the cache's exit
 * hook; `terminate()` would not).
 */
const WORKER_BOOTSTRAP = [
  `require(${JSON.stringify(path.join(PACKAGE_ROOT, "pulumi-sdk", "fast-start.js"))})`,
  `.fastStart(${JSON.stringify(PACKAGE_ROOT)});`,
  `require(${JSON.stringify(WORKER)});`,
].join("");

/**
 * Previews `stacks`, validated specs already loaded: each worker is sent its stacks' services with them, so the
 * specs are read and validated once, here, not again by each worker.
 */
export async function previewFleet(
  job: FleetJob,
  stacks: readonly StackTarget[] | (() => readonly StackTarget[]),
  onDone: (r: FleetStackResult) => void,
  workers = os.availableParallelism(),
): Promise<FleetResult> {
  const start = performance.now();
  const spawn = () =>
    new Worker(WORKER_BOOTSTRAP, {
      eval: true,
      workerData: job,
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
  // Given a function, the workers start first: each loads the SDKs (0.5 to 0.6 s with the compile cache) while
  // this thread lists the stacks (validating every spec), on the other cores.
  const early = typeof stacks === "function" ? Array.from({ length: Math.max(1, workers) }, spawn) : [];
  let queue: StackTarget[];
  try {
    queue = [...(typeof stacks === "function" ? stacks() : stacks)];
  } catch (e) {
    await Promise.all(early.map((w) => w.terminate()));
    throw e;
  }
  const results: FleetStackResult[] = [];
  const count = Math.max(1, Math.min(workers, queue.length));
  await Promise.all(early.slice(count).map((w) => w.terminate()));
  await Promise.all(
    Array.from({ length: count }, (_, i) => {
      return new Promise<void>((resolve, reject) => {
        const w = early[i] ?? spawn();
        let current: string | undefined;
        const next = () => {
          const target = queue.shift();
          current = target?.name;
          w.postMessage(target ?? null);
        };
        // Told to stop, a worker exits with 0; any other exit is a failure, never a silently shorter fleet.
        w.on("exit", (code) => {
          if (code === 0 && current === undefined) resolve();
          else
            reject(
              new Error(
                `a fleet worker stopped (exit code ${code})${current ? ` while previewing ${current}` : ""}`,
              ),
            );
        });
        w.on("message", (m: FleetStackResult | "ready") => {
          current = undefined;
          if (m !== "ready") {
            results.push(m);
            onDone(m);
          }
          next();
        });
        w.on("error", reject);
      });
    }),
  );
  results.sort((a, b) => a.stack.localeCompare(b.stack));
  return {
    results,
    wallMs: performance.now() - start,
    workers: count,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}
