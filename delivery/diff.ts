/**
 * Differences between two stack exports, and the loud part: stateful resources that would be deleted or
 * replaced (a field that forces replacement changed), which lose data unless allowDestroys was applied first.
 */
import type { ExportedResource, StackExport } from "../engine/export";

/** Stateful types and the input fields whose change makes the provider replace the resource. */
export const REPLACE_ON: Readonly<Record<string, readonly string[]>> = {
  "gcp:organizations/project:Project": ["projectId"],
  "gcp:sql/databaseInstance:DatabaseInstance": ["name", "region", "project"],
  "gcp:sql/database:Database": ["name", "instance", "project"],
  "gcp:redis/instance:Instance": ["name", "region", "tier", "project", "connectMode", "authorizedNetwork"],
  "gcp:bigquery/dataset:Dataset": ["datasetId", "location", "project"],
  "gcp:bigquery/table:Table": ["tableId", "datasetId", "project"],
  "gcp:secretmanager/secret:Secret": ["secretId", "project", "replication"],
};

export interface ResourceChange {
  urn: string;
  type: string;
  fields: string[];
}

export interface ExportDiff {
  creates: ResourceChange[];
  updates: ResourceChange[];
  deletes: ResourceChange[];
  replaces: ResourceChange[];
  /** Stateful deletes and replacements not cleared by allowDestroys (unprotected before the change). */
  losses: ResourceChange[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function changedFields(a: ExportedResource, b: ExportedResource): string[] {
  const keys = new Set([...Object.keys(a.inputs ?? {}), ...Object.keys(b.inputs ?? {})]);
  const fields = [...keys].filter((k) => !same(a.inputs?.[k], b.inputs?.[k]));
  if (!!a.protect !== !!b.protect) fields.push("(protect)");
  return fields.sort();
}

export function diffExports(before: StackExport, after: StackExport): ExportDiff {
  const old = new Map(before.deployment.resources.map((r) => [r.urn, r]));
  const now = new Map(after.deployment.resources.map((r) => [r.urn, r]));
  const d: ExportDiff = { creates: [], updates: [], deletes: [], replaces: [], losses: [] };
  for (const [urn, b] of now) {
    const a = old.get(urn);
    if (!a) {
      d.creates.push({ urn, type: b.type, fields: [] });
      continue;
    }
    const fields = changedFields(a, b);
    if (!fields.length) continue;
    const forcing = fields.filter((f) => REPLACE_ON[b.type]?.includes(f));
    if (forcing.length) {
      const change = { urn, type: b.type, fields: forcing };
      d.replaces.push(change);
      // allowDestroys applied beforehand shows as protect: false on both sides.
      if (a.protect || b.protect) d.losses.push(change);
    } else d.updates.push({ urn, type: b.type, fields });
  }
  for (const [urn, a] of old)
    if (!now.has(urn)) {
      const change = { urn, type: a.type, fields: [] };
      d.deletes.push(change);
      if (REPLACE_ON[a.type] && a.protect) d.losses.push(change);
    }
  return d;
}

export function renderDiff(d: ExportDiff): string {
  const name = (urn: string) => urn.split("::").pop();
  const lines: string[] = [];
  for (const c of d.creates) lines.push(`  + ${c.type} ${name(c.urn)}`);
  for (const c of d.updates) lines.push(`  ~ ${c.type} ${name(c.urn)} (${c.fields.join(", ")})`);
  for (const c of d.replaces)
    lines.push(`+-  ${c.type} ${name(c.urn)} (replaced: ${c.fields.join(", ")} changed)`);
  for (const c of d.deletes) lines.push(`  - ${c.type} ${name(c.urn)}`);
  lines.push(
    "",
    `${d.creates.length} to create, ${d.updates.length} to update, ${d.replaces.length} to replace, ${d.deletes.length} to delete`,
  );
  if (d.losses.length) {
    lines.push("", "DATA LOSS: these stateful resources would be deleted or replaced:");
    for (const c of d.losses)
      lines.push(`  ${c.type} ${name(c.urn)}${c.fields.length ? ` (${c.fields.join(", ")} changed)` : ""}`);
    lines.push("If this is intended, set allowDestroys: true for the environment and deploy that first.");
  }
  return lines.join("\n");
}
