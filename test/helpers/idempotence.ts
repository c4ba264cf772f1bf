/**
 * Plans a stack twice, as a real first deploy and the preview after it: the first plan's applied state (as
 * `msp preview --json` writes it, read back from JSON), then the program again against that state.
 */
import { runStackOffline } from "../../runner/run";
import { type OfflineResult } from "../../engine/plan";
import { toStackExport, type StackExport } from "../../engine/export";
import { priorState } from "../../delivery/state-plan";
import type { PlanMode } from "../../engine/cloud-model";
import type { StackTarget } from "../../program/stack";
import type { PlatformSettings } from "../../platform/settings";

/** The state `pulumi up` leaves: the applied plan's export, as a file would hold it. */
export const stateOf = (applied: OfflineResult): StackExport =>
  JSON.parse(JSON.stringify(toStackExport(applied, "0.0.0"))) as StackExport;

/** The program of `target` run against `state`, in `mode`. */
export const planAgainst = (
  target: StackTarget,
  platform: PlatformSettings,
  state: StackExport,
  mode: PlanMode,
): Promise<OfflineResult> => runStackOffline(target, platform, { mode, prior: priorState(state) });

/** Every change of a plan against a state, one line each (empty when it matches the state). */
export function changesOf(plan: OfflineResult): string[] {
  const out = plan.resources
    .filter((r) => r.step?.op !== "same")
    .map((r) =>
      `${r.step?.op ?? "no step"} ${r.type} ${r.name} ${(r.step?.fields ?? []).join(", ")}`.trimEnd(),
    );
  for (const d of plan.deletes ?? []) out.push(`delete ${d.type} ${d.urn}`);
  return out;
}
