import { parentPort, workerData } from "node:worker_threads";
import type { StackTarget } from "../program/stack";
import { runStackOffline } from "./run";
import { platformSettingsForStacks } from "../program/config";
import type { FleetJob, FleetStackResult } from "./fleet";
import { checkPlan } from "../policy-emulator/offline";
import { mandatory, type PolicyPackConfigFile } from "../policy-emulator/evaluate";
import { readPackConfig } from "../policy-emulator/pack-config";
import type { Category } from "../platform/categories";

// The SDK captures a stack trace per output; nobody reads them in a fleet preview.
Error.stackTraceLimit = 0;
const job = workerData as FleetJob;
const settingsFor = platformSettingsForStacks(job.root);
/**
 * The pack's configuration per category, read once: the file a single `msp preview` reads and the deploy
 * workflow hands `pulumi preview --policy-pack-config` (policy/config/<category>.json).
 */
const packConfigs = new Map<Category, PolicyPackConfigFile>();
const packConfigFor = (category: Category) => {
  let config = packConfigs.get(category);
  if (!config) packConfigs.set(category, (config = readPackConfig(category, undefined, job.root)));
  return config;
};

// Each message is a stack with its service, read and validated by the parent (a structured clone of it), or
// null when there are no more: the worker exits by itself, so that exit hooks (the compile cache's) run.
parentPort!.on("message", (target: StackTarget | null) => {
  if (target === null) process.exit(0);
  const start = performance.now();
  const stack = target.name;
  void runStackOffline(target, settingsFor(stack))
    .then((r): FleetStackResult => {
      // The same policy check as a single `msp preview`: a mandatory violation fails the stack.
      const violations = mandatory(
        checkPlan(r, target.service.spec.service.id, target.env.category, packConfigFor(target.env.category)),
      );
      const ok = violations.length === 0;
      const error = ok
        ? undefined
        : `mandatory policy violations: ${violations.map((v) => v.policy).join(", ")}`;
      return {
        stack,
        ok,
        resources: r.resources.length,
        ms: performance.now() - start,
        mandatory: violations.length,
        error,
      };
    })
    .catch((e: unknown): FleetStackResult => ({
      stack,
      ok: false,
      resources: 0,
      ms: performance.now() - start,
      error: e instanceof Error ? e.message : String(e),
    }))
    .then((m) => parentPort!.postMessage(m))
    // A result that cannot be posted (not cloneable) still ends the stack, as a failure, never a hang.
    .catch((e: unknown) =>
      parentPort!.postMessage({
        stack,
        ok: false,
        resources: 0,
        ms: performance.now() - start,
        error: `could not report the result: ${e instanceof Error ? e.message : String(e)}`,
      } satisfies FleetStackResult),
    );
});
parentPort!.postMessage("ready");
