/**
 * Previews many stacks at once: one worker thread per core, each reusing one Pulumi runtime for stack after
 * stack (loading the SDKs once per worker is what makes a fleet cheap).
 */
import * as os from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";

export interface FleetJob {
  servicesDir: string;
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

/** build/fleet-worker.js when bundled with the CLI, engine/fleet-worker.js (a tsx bootstrap) from sources. */
const WORKER = path.join(__dirname, "fleet-worker.js");

export async function previewFleet(
  job: FleetJob,
  stacks: string[],
  onDone: (r: FleetStackResult) => void,
  workers = os.availableParallelism(),
): Promise<FleetResult> {
  const start = performance.now();
  const queue = [...stacks];
  const results: FleetStackResult[] = [];
  const count = Math.max(1, Math.min(workers, stacks.length));
  await Promise.all(
    Array.from({ length: count }, () => {
      return new Promise<void>((resolve, reject) => {
        const w = new Worker(WORKER, { workerData: job });
        const next = () => {
          const stack = queue.shift();
          if (stack) w.postMessage(stack);
          else void w.terminate().then(() => resolve());
        };
        w.on("message", (m: FleetStackResult | "ready") => {
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
