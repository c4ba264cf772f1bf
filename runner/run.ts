/**
 * The offline engine: runs the real stack program in-process against a resource monitor that answers from
 * the cloud model (cloud-model.ts) and records every registration as the engine would see it: inputs,
 * parent, provider, dependencies, property dependencies and options (protect, ignoreChanges,
 * deleteBeforeReplace, retainOnDelete, additionalSecretOutputs). Secret values are redacted as they are
 * recorded: nothing secret is ever kept in plain text.
 *
 * The monitor speaks the SDK's resource-monitor protocol (the messages of proto/resource_pb), and the SDK is
 * pointed at it with `setMockOptions`, an SDK internal: every internal used here comes from pulumi-sdk/runtime.ts,
 * the one room for them.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  invokeResponse,
  registerPackageResponse,
  setMockMonitor,
  structFromJavaScript,
  supportsFeatureResponse,
  useOfflineFastPaths,
  waitForRPCs,
  withoutStructConversion,
  type Struct,
} from "../pulumi-sdk/runtime";
import {
  answerInvoke,
  answerRegistration,
  isProviderType,
  ProviderTable,
  type PlanMode,
} from "../engine/cloud-model";
import { redact } from "../engine/redact";
import type { PriorState } from "../engine/prior-state";
import type { OfflineResult, RecordedResource } from "../engine/plan";
import { aliasUrns, type AliasRequest } from "../engine/aliases";
import { resourceUrn, ROOT_STACK_TYPE, type UrnScope } from "../engine/urn";
import type { PlatformSettings } from "../platform/settings";
import { stackProgram, type StackTarget } from "../program/stack";
import { platformConfig } from "../program/config";

export const PROJECT = "msp";

/** The RegisterResourceRequest getters read here (protobuf message of @pulumi/pulumi/proto/resource_pb). */
export interface RegisterResourceRequest extends AliasRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getObject(): Struct | undefined;
  getProtect(): boolean | undefined;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(cb: (v: { getUrnsList(): string[] }, k: string) => void): void };
  getIgnorechangesList(): string[];
  getDeletebeforereplace(): boolean;
  getRetainondelete(): boolean | undefined;
  getAdditionalsecretoutputsList(): string[];
}

type Callback<T> = (err: Error | null, response?: T) => void;

const wireProperties = (struct: Struct | undefined): Record<string, unknown> =>
  (struct?.toJavaScript() as Record<string, unknown> | undefined) ?? {};

/** Property dependencies of a request, sorted, empty lists left out. */
export function propertyDependenciesOf(req: RegisterResourceRequest): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((v, k) => {
    const urns = v.getUrnsList();
    if (urns.length) out[k] = [...urns].sort();
  });
  return out;
}

/**
 * The state, redacted, reusing the redacted inputs for every property the engine echoed unchanged (the
 * state is mostly inputs: redacting it again would copy each resource twice).
 */
function redactedState(
  state: Record<string, unknown>,
  inputs: Record<string, unknown>,
  redactedInputs: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(state).sort())
    out[k] = state[k] === inputs[k] ? redactedInputs[k] : redact.value(state[k]);
  return out;
}

/**
 * The RegisterResourceResponse as the SDK reads it, without a protobuf round trip: the same duck-typed shape
 * the SDK builds itself when it runs without an engine (runtime/resource.js). The state is never serialised,
 * so it is handed over as the JavaScript object `Struct.toJavaScript()` would return.
 */
function localResponse(urn: string, id: string, state: Record<string, unknown>) {
  return {
    getUrn: () => urn,
    getId: () => id,
    getObject: () => ({ toJavaScript: () => state }),
    getPropertydependenciesMap: () => undefined,
    getResult: () => 0, // Result.SUCCESS
  };
}

/** An in-process resource monitor that answers from the cloud model and records what it is told. */
class OfflineMonitor {
  readonly recorded: RecordedResource[] = [];
  stackOutputs: Record<string, unknown> = {};
  private stackUrn = "";
  private readonly providers = new ProviderTable();
  private readonly aliasesByUrn = new Map<string, string[]>();

  private readonly scope: UrnScope;

  constructor(
    stack: string,
    private readonly mode: PlanMode,
    private readonly prior?: PriorState,
  ) {
    this.scope = { stack, project: PROJECT };
  }

  registerResource(req: RegisterResourceRequest, callback: Callback<unknown>): void {
    try {
      const type = req.getType();
      const inputs = wireProperties(req.getObject());
      const urn = resourceUrn(this.scope, req.getParent(), type, req.getName());
      if (type === ROOT_STACK_TYPE) this.stackUrn = urn;
      const aliases = aliasUrns(
        req,
        { type, name: req.getName(), parent: req.getParent() },
        (parent, t, n) => resourceUrn(this.scope, parent, t, n),
        this.stackUrn,
        this.aliasesByUrn.get(req.getParent()) ?? [],
      );
      if (aliases.length) this.aliasesByUrn.set(urn, aliases);
      if (isProviderType(type)) this.providers.add(urn, inputs);
      const redactedInputs = redact.value(inputs) as Record<string, unknown>;
      const custom = req.getCustom();
      const protect = req.getProtect() ?? false;
      const ignoreChanges = req.getIgnorechangesList();
      const { step, prior } = this.prior
        ? this.prior.step({ urn, type, custom, inputs: redactedInputs, protect, ignoreChanges, aliases })
        : { step: undefined, prior: undefined };
      const kept =
        prior && (step.op === "same" || step.op === "update")
          ? { op: step.op, id: prior.id, outputs: prior.outputs ?? {} }
          : undefined;
      const answer = answerRegistration(
        {
          type,
          name: req.getName(),
          custom,
          inputs,
          providerInputs: this.providers.inputsOf(req.getProvider()),
          additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        },
        this.mode,
        kept,
      );
      const recorded: RecordedResource = {
        urn,
        type,
        name: req.getName(),
        custom,
        id: answer.id || undefined,
        parent: req.getParent() || undefined,
        provider: req.getProvider() || undefined,
        inputs: redactedInputs,
        outputs: redactedState(answer.state, inputs, redactedInputs),
        dependencies: [...new Set(req.getDependenciesList())].sort(),
        propertyDependencies: propertyDependenciesOf(req),
        protect,
        ignoreChanges,
        deleteBeforeReplace: req.getDeletebeforereplace(),
        retainOnDelete: req.getRetainondelete() ?? false,
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        aliases,
      };
      if (step) recorded.step = step;
      this.recorded.push(recorded);
      callback(null, localResponse(urn, answer.id, answer.state));
    } catch (e) {
      callback(e as Error);
    }
  }

  registerResourceOutputs(
    req: { getUrn(): string; getOutputs(): Struct | undefined },
    callback: Callback<unknown>,
  ) {
    if (req.getUrn() === this.stackUrn)
      this.stackOutputs = redact.value(wireProperties(req.getOutputs())) as Record<string, unknown>;
    callback(null, {});
  }

  invoke(req: { getTok(): string; getArgs(): Struct | undefined }, callback: Callback<unknown>): void {
    try {
      callback(
        null,
        invokeResponse(
          structFromJavaScript(answerInvoke(req.getTok(), wireProperties(req.getArgs())) as never),
        ),
      );
    } catch (e) {
      callback(e as Error);
    }
  }

  /** Every feature the Pulumi engine supports; the program registers exactly as it would against the CLI. */
  supportsFeature(_req: unknown, callback: Callback<unknown>): void {
    callback(null, supportsFeatureResponse(true));
  }

  registerPackage(_req: unknown, callback: Callback<unknown>): void {
    callback(null, registerPackageResponse("offline-package"));
  }

  readResource(req: { getType(): string }, callback: Callback<unknown>): void {
    callback(new Error(`reading existing resources (${req.getType()}) is not supported offline`));
  }

  call(req: { getTok(): string }, callback: Callback<unknown>): void {
    callback(new Error(`method calls (${req.getTok()}) are not supported offline`));
  }
}

let running = false;

/**
 * Runs `program` as the stack `stack` of project msp against the offline engine. Runs are serialised (the
 * Pulumi runtime is process-global) but one process can run any number of stacks one after another.
 */
export async function runProgramOffline(
  stack: string,
  program: () => Record<string, unknown>,
  config: Record<string, string>,
  mode: PlanMode,
  prior?: PriorState,
): Promise<OfflineResult> {
  if (running) throw new Error("the offline engine is not re-entrant: run stacks one after another");
  running = true;
  useOfflineFastPaths();
  const failures: unknown[] = [];
  const onRejection = (reason: unknown) => failures.push(reason);
  process.on("unhandledRejection", onRejection);
  const restoreStructConversion = withoutStructConversion();
  try {
    const monitor = new OfflineMonitor(stack, mode, prior);
    setMockMonitor(monitor, PROJECT, stack, mode === "preview");
    pulumi.runtime.setAllConfig({ ...config, "pulumi:stack": stack });
    await pulumi.runtime.runInPulumiStack(() => Promise.resolve(program()));
    await waitForRPCs();
    // Let rejections raised by the last callbacks reach the handler.
    await new Promise((r) => setImmediate(r));
    if (failures.length) throw failures[0];
    const result: OfflineResult = { stack, mode, resources: monitor.recorded, outputs: monitor.stackOutputs };
    if (prior) result.deletes = prior.deleted();
    return result;
  } finally {
    restoreStructConversion();
    process.off("unhandledRejection", onRejection);
    running = false;
  }
}

/**
 * Runs the stack program for `target` and returns what it would create: in `applied` mode the values after
 * `pulumi up` (what policies check), in `preview` mode what `pulumi preview` knows before anything exists.
 * With `prior` (a deployed state, one PriorState per run), each resource gets its step against that state and
 * the ones it keeps start from the state's IDs and computed values.
 */
export function runStackOffline(
  target: StackTarget,
  platform: PlatformSettings,
  options: { mode?: PlanMode; extraConfig?: Record<string, string>; prior?: PriorState } = {},
): Promise<OfflineResult> {
  return runProgramOffline(
    target.name,
    () => stackProgram(target, platform),
    { ...platformConfig(platform), ...options.extraConfig },
    options.mode ?? "applied",
    options.prior,
  );
}
