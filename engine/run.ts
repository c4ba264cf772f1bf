/**
 * The offline engine: runs the real stack program in-process under `pulumi.runtime.setMocks`, with the cloud
 * model of cloud-model.ts, and records every resource the program registers, with the options the engine
 * would see (protect, ignoreChanges, deleteBeforeReplace, retainOnDelete), dependencies and providers.
 * Secret values are redacted as they are recorded: nothing secret is ever kept in plain text.
 */
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { cloudModel } from "./cloud-model";
import { redact, SECRET_OUTPUT_KEYS } from "./redact";
import type { PlatformSettings } from "../components/platform";
import { stackProgram, type StackTarget } from "../program/stack";

const settingsModule = require("@pulumi/pulumi/runtime/settings") as {
  setMockOptions(monitor: unknown, project?: string, stack?: string, preview?: boolean): void;
  waitForRPCs(): Promise<void>;
};
const rpc = require("@pulumi/pulumi/runtime/rpc") as {
  deserializeProperties(struct: unknown, keepUnknowns?: boolean): Record<string, unknown>;
};

export const PROJECT = "msp";

export interface RecordedResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  id?: string;
  parent?: string;
  provider?: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  protect: boolean;
  ignoreChanges: string[];
  deleteBeforeReplace: boolean;
  retainOnDelete: boolean;
}

export interface OfflineResult {
  stack: string;
  resources: RecordedResource[];
  /** Stack outputs, secrets redacted. */
  outputs: Record<string, unknown>;
}

/**
 * The properties as sent, secrets left where they are: the SDK's own deserialisation would mark a whole
 * top-level property secret when any value inside it is (one probe header would hide a Cloud Run template).
 */
function rawProperties(struct: unknown): Record<string, unknown> {
  return struct ? ((struct as { toJavaScript(): Record<string, unknown> }).toJavaScript() ?? {}) : {};
}

/** Minimal view of the SDK's RegisterResourceRequest (protobuf getters). */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getObject(): unknown;
  getProtect(): boolean | undefined;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(cb: (v: { getUrnsList(): string[] }, k: string) => void): void };
  getIgnorechangesList(): string[];
  getDeletebeforereplace(): boolean;
  getRetainondelete(): boolean | undefined;
  getAdditionalsecretoutputsList(): string[];
}

type Callback = (
  err: unknown,
  response: { getUrn(): string; getId(): string; getObject(): unknown } | undefined,
) => void;

/** A mock monitor that also writes down everything the engine would be told. */
class RecordingMonitor extends MockMonitor {
  readonly recorded: RecordedResource[] = [];
  stackOutputs: Record<string, unknown> = {};
  private stackUrn = "";

  override async registerResource(req: RegisterRequest, callback: Callback): Promise<void> {
    const inputs = rawProperties(req.getObject());
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((v, k) => {
      const urns = v.getUrnsList();
      if (urns.length) propertyDependencies[k] = [...urns].sort();
    });
    await super.registerResource(req, (err, response) => {
      if (!err && response) {
        const urn = response.getUrn();
        const type = req.getType();
        if (type === "pulumi:pulumi:Stack") this.stackUrn = urn;
        const secretOutputs = new Set([
          ...req.getAdditionalsecretoutputsList(),
          ...(SECRET_OUTPUT_KEYS[type] ?? []),
        ]);
        const state = rawProperties(response.getObject());
        const outputs: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(state))
          outputs[k] = secretOutputs.has(k) ? redact.secret() : redact.value(v);
        this.recorded.push({
          urn,
          type,
          name: req.getName(),
          custom: req.getCustom(),
          id: response.getId() || undefined,
          parent: req.getParent() || undefined,
          provider: req.getProvider() || undefined,
          inputs: redact.value(inputs) as Record<string, unknown>,
          outputs,
          dependencies: [...new Set(req.getDependenciesList())].sort(),
          propertyDependencies,
          protect: req.getProtect() ?? false,
          ignoreChanges: req.getIgnorechangesList(),
          deleteBeforeReplace: req.getDeletebeforereplace(),
          retainOnDelete: req.getRetainondelete() ?? false,
        });
      }
      callback(err, response);
    });
  }

  override registerResourceOutputs(
    req: { getUrn(): string; getOutputs(): unknown },
    callback: (err: unknown, r: unknown) => void,
  ): void {
    if (req.getUrn() === this.stackUrn && req.getOutputs())
      this.stackOutputs = redact.value(rpc.deserializeProperties(req.getOutputs())) as Record<
        string,
        unknown
      >;
    super.registerResourceOutputs(req, callback);
  }
}

/** Pulumi config for the run: `msp:*` platform settings, as the CLI would pass them. */
function configFor(
  stack: string,
  settings: PlatformSettings,
  extra: Record<string, string>,
): Record<string, string> {
  const config: Record<string, string> = {};
  for (const [k, v] of Object.entries(settings))
    config[`msp:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
  return { ...config, ...extra, "pulumi:stack": stack };
}

let running = false;

/**
 * Runs the stack program for `target` and returns what it would create. Runs are serialised (the Pulumi
 * runtime is process-global) but one process can run any number of stacks one after another.
 */
export async function runStackOffline(
  target: StackTarget,
  settings: PlatformSettings,
  extraConfig: Record<string, string> = {},
): Promise<OfflineResult> {
  if (running) throw new Error("runStackOffline is not re-entrant: run stacks one after another");
  running = true;
  const failures: unknown[] = [];
  const onRejection = (reason: unknown) => failures.push(reason);
  process.on("unhandledRejection", onRejection);
  try {
    await pulumi.runtime.setMocks(cloudModel, PROJECT, target.name, true);
    const monitor = new RecordingMonitor(cloudModel);
    settingsModule.setMockOptions(monitor, PROJECT, target.name, true);
    pulumi.runtime.setAllConfig(configFor(target.name, settings, extraConfig));
    await pulumi.runtime.runInPulumiStack(async () => stackProgram(target, settings));
    await settingsModule.waitForRPCs();
    // Let rejections raised by the last callbacks reach the handler.
    await new Promise((r) => setImmediate(r));
    if (failures.length) throw failures[0];
    return { stack: target.name, resources: monitor.recorded, outputs: monitor.stackOutputs };
  } finally {
    process.off("unhandledRejection", onRejection);
    running = false;
  }
}
