import { parentPort, workerData } from "node:worker_threads";
import { loadServices } from "../spec/loader";
import { findStack } from "../program/stack";
import { runStackOffline } from "./run";
import { platformSettingsFor } from "./project-config";
import type { FleetJob, FleetStackResult } from "./fleet";

// The SDK captures a stack trace per output; nobody reads them in a fleet preview.
Error.stackTraceLimit = 0;
const job = workerData as FleetJob;
const services = loadServices(job.servicesDir);

parentPort!.on("message", (stack: string) => {
  const start = performance.now();
  const target = findStack(services, stack)!;
  runStackOffline(target, platformSettingsFor(stack, job.root))
    .then((r): FleetStackResult => ({
      stack,
      ok: true,
      resources: r.resources.length,
      ms: performance.now() - start,
    }))
    .catch((e: unknown): FleetStackResult => ({
      stack,
      ok: false,
      resources: 0,
      ms: performance.now() - start,
      error: e instanceof Error ? e.message : String(e),
    }))
    .then((m) => parentPort!.postMessage(m));
});
parentPort!.postMessage("ready");
