/**
 * Writes offline results in the shape and field names of `pulumi stack export` (deployment version 3), so
 * tools that read stack exports (policy checks, diffs, reviewers' scripts) read ours too. An applied plan
 * exports the state `pulumi up` would leave (modelled IDs and computed values); a preview plan exports what
 * `pulumi preview` knows: no IDs, and Pulumi's unknown sentinel wherever a value is known only after apply.
 */
import type { OfflineResult, RecordedResource } from "./plan";
import { SIG_KEY, SECRET_SIG } from "./redact";

export interface ExportedResource {
  urn: string;
  custom: boolean;
  id?: string;
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  parent?: string;
  protect?: boolean;
  provider?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  ignoreChanges?: string[];
  deleteBeforeReplace?: boolean;
  retainOnDelete?: boolean;
  /** Former URNs of the resource (the state file's `aliases`). */
  aliases?: string[];
}

export interface StackExport {
  version: 3;
  deployment: {
    manifest: { time: string; magic: string; version: string };
    secrets_providers: { type: string; state: Record<string, unknown> };
    resources: ExportedResource[];
  };
}

/** Fixed: the same spec must give byte-identical exports. */
const EXPORT_TIME = "1970-01-01T00:00:00Z";

function exportResource(r: RecordedResource): ExportedResource {
  const out: ExportedResource = { urn: r.urn, custom: r.custom, type: r.type };
  if (r.custom && r.id) out.id = r.id;
  if (Object.keys(r.inputs).length) out.inputs = r.inputs;
  if (Object.keys(r.outputs).length) out.outputs = r.outputs;
  if (r.parent) out.parent = r.parent;
  if (r.protect) out.protect = true;
  if (r.provider) out.provider = r.provider;
  if (r.dependencies.length) out.dependencies = r.dependencies;
  if (Object.keys(r.propertyDependencies).length) out.propertyDependencies = r.propertyDependencies;
  if (r.ignoreChanges.length) out.ignoreChanges = r.ignoreChanges;
  if (r.deleteBeforeReplace) out.deleteBeforeReplace = true;
  if (r.retainOnDelete) out.retainOnDelete = true;
  if (r.aliases.length) out.aliases = r.aliases;
  return out;
}

export function toStackExport(result: OfflineResult, sdkVersion: string): StackExport {
  const stack = result.resources.find((r) => r.type === "pulumi:pulumi:Stack");
  const resources = result.resources.map((r) =>
    r === stack ? exportResource({ ...r, outputs: result.outputs }) : exportResource(r),
  );
  return {
    version: 3,
    deployment: {
      // Which plan this is: "applied" (values as after `pulumi up`) or "preview" (unknowns as Pulumi's sentinel).
      manifest: { time: EXPORT_TIME, magic: `msp-offline-${result.mode}`, version: `v${sdkVersion}` },
      secrets_providers: {
        type: "service",
        state: { note: "secrets are redacted by msp preview", sig: `${SIG_KEY}:${SECRET_SIG}` },
      },
      resources,
    },
  };
}

export function stackExportJson(result: OfflineResult, sdkVersion: string): string {
  return JSON.stringify(toStackExport(result, sdkVersion), null, 2) + "\n";
}
