/**
 * The plan of a stack against its deployed state (`msp preview --state`), as `pulumi preview` makes it: each
 * resource the program registers is matched with the state's resource it is (same URN, else an alias), then
 * compared the way the provider compares, with the replacement table msp diff uses (platform/resource-types.ts).
 *
 * What is compared: the program's inputs against the state as the API returned it. A bridged provider diffs the
 * planned inputs against the prior state's outputs (what its Read stored), so for every input the state's output
 * of the same name is the base when there is one, and the state's input otherwise. Inputs the bridge filled in
 * itself (listed in the state's `__defaults`, such as auto-names) are carried over by its Check, not changed.
 */
import type { ExportedResource, StackExport } from "../engine/export";
import type { PlanStep, PriorState } from "../engine/prior-state";
import { providerComparison } from "../engine/model";
import { isSecret } from "../engine/redact";
import { isUnknown } from "../engine/cloud-model";
import { scopeOfAnyUrn } from "../engine/urn";
import { PROTECT_FIELD, resourceChange, type SameInputs } from "./diff";
import { getPath, sameValue } from "./paths";

/** Keys of a real state's inputs that are the bridge's bookkeeping, not inputs. */
const BRIDGE_KEYS = new Set(["__defaults", "__meta"]);

/** Default providers are the engine's, not the program's: a real state holds them, the program never registers them. */
const isDefaultProvider = (r: ExportedResource) =>
  r.type.startsWith("pulumi:providers:") && /::default(_[0-9a-z_-]+)?$/.test(r.urn);

/**
 * The provider's comparison: its own rule for the input (engine/model/returns.ts), else JSON equality. Two
 * secrets are the same: their plaintext is not in an export (encrypted by the CLI, redacted by msp), so a changed
 * secret value is not seen offline.
 */
const asProviderCompares: SameInputs = (type, input, before, after) => {
  if (isSecret(before) && isSecret(after)) return true;
  const same = providerComparison(type, input);
  return same ? !isUnknown(after) && same(before, after) : sameValue(before, after);
};

/** The state's resource as the provider sees it when planning `next`: stored outputs over stored inputs. */
function asStored(prior: ExportedResource, next: ExportedResource): ExportedResource {
  const inputs = prior.inputs ?? {};
  const outputs = prior.outputs ?? {};
  const defaults = new Set(Array.isArray(inputs.__defaults) ? (inputs.__defaults as string[]) : []);
  const view: Record<string, unknown> = {};
  for (const k of new Set([...Object.keys(inputs), ...Object.keys(next.inputs ?? {})])) {
    if (BRIDGE_KEYS.has(k)) continue;
    if (defaults.has(k) && !(k in (next.inputs ?? {}))) continue; // carried over by the provider's Check
    view[k] = k in outputs ? outputs[k] : inputs[k];
  }
  return { ...prior, inputs: view };
}

/** Why a file cannot be planned against: it is not a state after apply. */
export class NotAStateError extends Error {}

/** Checks that `state` is a deployed state (not a preview with unknowns) of `stack`; throws NotAStateError. */
export function checkState(state: StackExport, stack: string): void {
  if (state.deployment.manifest?.magic === "msp-offline-preview")
    throw new NotAStateError(
      "it is a preview (--preview-json, values unknown until apply): give a state after apply (msp preview --json, or pulumi stack export)",
    );
  const root = state.deployment.resources.find((r) => r.type === "pulumi:pulumi:Stack");
  const of = root && scopeOfAnyUrn(root.urn)?.stack;
  if (of !== undefined && of !== stack)
    throw new NotAStateError(`it is the state of stack ${of}, not ${stack}`);
}

/** The engine's PriorState for one run of the program against `state`. */
export function priorState(state: StackExport): PriorState {
  const resources = state.deployment.resources;
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const claimed = new Set<string>();
  return {
    step(next) {
      const urn = [next.urn, ...(next.aliases ?? [])].find((u) => byUrn.has(u) && !claimed.has(u));
      if (urn === undefined) return { step: { op: "create", fields: [] } };
      claimed.add(urn);
      const prior = byUrn.get(urn)!;
      const stored = asStored(prior, next);
      const { fields, forcing } = resourceChange(stored, next, asProviderCompares);
      if (!fields.length) return { step: { op: "same", fields }, prior };
      const shown = forcing.length ? forcing : fields;
      const values: NonNullable<PlanStep["values"]> = {};
      for (const f of shown)
        values[f] =
          f === PROTECT_FIELD
            ? [!!prior.protect, !!next.protect]
            : [getPath(stored.inputs, f), getPath(next.inputs, f)];
      return { step: { op: forcing.length ? "replace" : "update", fields: shown, values }, prior };
    },
    deleted: () => resources.filter((r) => !claimed.has(r.urn) && !isDefaultProvider(r)),
  };
}
