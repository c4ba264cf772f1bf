/**
 * Which resource of the base export each resource of a new export is, as the engine decides it: the one with
 * the same URN, else the first of its aliases (former URNs, the state's `aliases`) that the base holds and no
 * resource of the new export has as its own URN. A resource that moved between components with an alias is
 * then an update, not a delete and a create.
 */
import type { ExportedResource, StackExport } from "../engine/export";

export interface Pairing {
  /** New URN to the base resource it is. */
  readonly previous: ReadonlyMap<string, ExportedResource>;
  /** Base URNs no new resource is (deleted). */
  readonly gone: readonly ExportedResource[];
}

export function pairResources(before: StackExport, after: StackExport): Pairing {
  const old = new Map(before.deployment.resources.map((r) => [r.urn, r]));
  const now = new Set(after.deployment.resources.map((r) => r.urn));
  const previous = new Map<string, ExportedResource>();
  const claimed = new Set<string>();
  for (const r of after.deployment.resources) {
    const urn = old.has(r.urn)
      ? r.urn
      : (r.aliases ?? []).find((a) => old.has(a) && !now.has(a) && !claimed.has(a));
    if (urn === undefined) continue;
    claimed.add(urn);
    previous.set(r.urn, old.get(urn)!);
  }
  return { previous, gone: before.deployment.resources.filter((r) => !claimed.has(r.urn)) };
}
