/**
 * What an offline preview produces: each resource as the engine would record it, and the stack's result. The
 * runner (runner/run.ts) fills them; the export, the renderer, delivery and the policy emulator read them.
 */
import type { PlanMode } from "./cloud-model";
import type { ExportedResource } from "./export";
import type { PlanStep } from "./prior-state";

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
  additionalSecretOutputs: string[];
  /** Former URNs the engine would look the resource up by (its aliases, its parent's inherited). */
  aliases: string[];
  /** In a plan against a deployed state: what happens to the resource. */
  step?: PlanStep;
}

export interface OfflineResult {
  stack: string;
  /** `applied`: values as after `pulumi up`; `preview`: computed values are `UNKNOWN`, as `pulumi preview` sees them. */
  mode: PlanMode;
  resources: RecordedResource[];
  /** Stack outputs, secrets redacted. */
  outputs: Record<string, unknown>;
  /** In a plan against a deployed state: the state's resources the program no longer has. */
  deletes?: ExportedResource[];
}
