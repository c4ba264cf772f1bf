/**
 * Differences between two stack exports, and the loud parts: stateful resources that would be deleted,
 * replaced or lose data (platform/resource-types.ts says which and when), protection downgrades
 * (delivery/downgrades.ts), and changes to resource types nobody classified (fail closed).
 */
import type { ExportedResource, StackExport } from "../engine/export";
import { classify, type StatefulType } from "../platform/resource-types";
import { protectionDowngrades, renderDowngrade, type Downgrade } from "./downgrades";
import { getPath, sameValue, withoutPaths } from "./paths";
import { nameOfAnyUrn } from "../engine/urn";
import { pairResources } from "./pairing";
import { isUnder, valueChanges, type ValueChange } from "./value-changes";

export interface ResourceChange {
  urn: string;
  type: string;
  /** Changed inputs; for a replacement, the inputs that force it. */
  fields: string[];
  /** For a loss: what is lost, when it is more than the resource itself (dropped columns). */
  detail?: string;
  /** For an update or a replacement: every changed input, down to the leaf, before -> after (secrets masked). */
  changes?: ValueChange[];
}

export interface ExportDiff {
  creates: ResourceChange[];
  updates: ResourceChange[];
  /** Resources found under a former URN (an alias): the same resource, updated in place if at all. */
  moves: { urn: string; type: string; from: string }[];
  deletes: ResourceChange[];
  replaces: ResourceChange[];
  /** Stateful deletes, replacements and in-place losses not cleared by allowDestroys. */
  losses: ResourceChange[];
  downgrades: Downgrade[];
  /** Changes to types missing from the table in platform/resource-types.ts. */
  unknown: ResourceChange[];
}

export interface DiffVerdict {
  /** 1 when something must stop the change, 0 otherwise. */
  exitCode: 0 | 1;
  reasons: string[];
}

/** The field name a change of Pulumi's `protect` option is reported under. */
export const PROTECT_FIELD = "(protect)";
const PROTECT = PROTECT_FIELD;

/** Whether a base input equals the new one; msp diff compares JSON values, a plan against a state as the provider does. */
export type SameInputs = (type: string, input: string, before: unknown, after: unknown) => boolean;
const sameJsonInputs: SameInputs = (_type, _input, a, b) => sameValue(a, b);

/** Top-level inputs that differ, ignoring the paths Pulumi ignores (`ignoreChanges` of the new resource). */
function changedFields(a: ExportedResource, b: ExportedResource, same: SameInputs): string[] {
  const ignored = b.ignoreChanges ?? [];
  const x = withoutPaths(a.inputs ?? {}, ignored);
  const y = withoutPaths(b.inputs ?? {}, ignored);
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  const fields = [...keys].filter((k) => !same(b.type, k, x[k], y[k]));
  if (!!a.protect !== !!b.protect) fields.push(PROTECT);
  return fields.sort();
}

/**
 * Every changed leaf of the inputs, ignoring what Pulumi ignores, and a change of `protect` (under
 * PROTECT_FIELD), for people to read: delivery/value-changes.ts.
 */
export function inputChanges(a: ExportedResource, b: ExportedResource): ValueChange[] {
  const ignored = b.ignoreChanges ?? [];
  const changes = valueChanges(withoutPaths(a.inputs ?? {}, ignored), withoutPaths(b.inputs ?? {}, ignored));
  if (!!a.protect !== !!b.protect) changes.push({ path: PROTECT, before: !!a.protect, after: !!b.protect });
  return changes;
}

/** The replacement-forcing inputs that changed, by the type's rules. */
function forcingFields(t: StatefulType, a: ExportedResource, b: ExportedResource): string[] {
  const ignored = new Set(b.ignoreChanges ?? []);
  const at = (r: ExportedResource, p: string) => getPath(r.inputs, p);
  const forcing = t.replaceOn.filter((p) => !ignored.has(p) && !sameValue(at(a, p), at(b, p)));
  for (const [p, rule] of Object.entries(t.replaceWhen ?? {}))
    if (!ignored.has(p) && !sameValue(at(a, p), at(b, p)) && rule(at(a, p), at(b, p))) forcing.push(p);
  return forcing;
}

/**
 * How the resource `a` of the base becomes `b`: its changed inputs, and among them the ones that make the provider
 * replace it (only stateful types list them: platform/resource-types.ts).
 */
export function resourceChange(
  a: ExportedResource,
  b: ExportedResource,
  same: SameInputs = sameJsonInputs,
): { fields: string[]; forcing: string[] } {
  const fields = changedFields(a, b, same);
  if (!fields.length) return { fields, forcing: [] };
  const type = classify(b.type, b.custom !== false);
  // Only an input that changed can force a replacement (a plan against a state compares as the provider does).
  const changed = (p: string) => fields.includes(p.split(".")[0]!);
  return { fields, forcing: type?.stateful ? forcingFields(type, a, b).filter(changed) : [] };
}

function inPlaceLosses(t: StatefulType, a: ExportedResource, b: ExportedResource): string[] {
  const out: string[] = [];
  for (const [p, rule] of Object.entries(t.loseWhen ?? {})) {
    const lost = rule(getPath(a.inputs, p), getPath(b.inputs, p));
    if (lost) out.push(lost);
  }
  return out;
}

/**
 * Whether the base had allowDestroys applied: its project is unprotected (the platform protects the project
 * and every stateful resource exactly while allowDestroys is false). Without a project, nothing is released.
 */
function destroysAllowed(before: StackExport): boolean {
  const projects = before.deployment.resources.filter((r) => r.type === "gcp:organizations/project:Project");
  return projects.length > 0 && projects.every((p) => !p.protect);
}

export function diffExports(before: StackExport, after: StackExport): ExportDiff {
  const { previous, gone } = pairResources(before, after);
  const d: ExportDiff = {
    creates: [],
    updates: [],
    moves: [],
    deletes: [],
    replaces: [],
    losses: [],
    downgrades: [],
    unknown: [],
  };
  const allowed = destroysAllowed(before);
  // allowDestroys applied beforehand shows as an unprotected resource in an unprotected stack.
  const released = (a: ExportedResource) => allowed && !a.protect;

  for (const b of after.deployment.resources) {
    const urn = b.urn;
    const a = previous.get(urn);
    const type = classify(b.type, b.custom !== false);
    if (a && a.urn !== urn) d.moves.push({ urn, type: b.type, from: a.urn });
    if (!a) {
      d.creates.push({ urn, type: b.type, fields: [] });
      if (!type) d.unknown.push({ urn, type: b.type, fields: [] });
      continue;
    }
    const { fields, forcing } = resourceChange(a, b);
    if (!fields.length) continue;
    if (!type) d.unknown.push({ urn, type: b.type, fields });
    const changes = inputChanges(a, b);
    if (forcing.length) {
      const change = { urn, type: b.type, fields: forcing, changes };
      d.replaces.push(change);
      if (!released(a)) d.losses.push(change);
      continue;
    }
    d.updates.push({ urn, type: b.type, fields, changes });
    if (type?.stateful && !released(a))
      for (const detail of inPlaceLosses(type, a, b)) d.losses.push({ urn, type: b.type, fields, detail });
  }
  for (const a of gone) {
    const change = { urn: a.urn, type: a.type, fields: [] };
    d.deletes.push(change);
    const type = classify(a.type, a.custom !== false);
    if (!type) d.unknown.push(change);
    else if (type.stateful && !released(a)) d.losses.push(change);
  }
  d.downgrades = protectionDowngrades(before, after);
  return d;
}

/** Exit 1 on a loss, an unknown type, or a downgrade unless downgrades are allowed (the PR label). */
export function verdict(d: ExportDiff, allowDowngrade = false): DiffVerdict {
  const reasons: string[] = [];
  if (d.losses.length) reasons.push(`${d.losses.length} data loss(es)`);
  if (d.unknown.length) reasons.push(`${d.unknown.length} change(s) to unclassified resource types`);
  if (d.downgrades.length && !allowDowngrade) reasons.push(`${d.downgrades.length} protection downgrade(s)`);
  return { exitCode: reasons.length ? 1 : 0, reasons };
}

export const ALLOW_DOWNGRADE_LABEL = "msp/allow-downgrade";

/**
 * Parts of the diff a terminal shows in colour (cli/terminal.ts decides how; `danger` and `warning` headings
 * may get a symbol); without a painter the text is plain.
 */
export type DiffPart = "create" | "update" | "move" | "replace" | "delete" | "loss" | "danger" | "warning";
export type DiffPaint = (part: DiffPart, text: string) => string;
const unpainted: DiffPaint = (_part, text) => text;

/** Longest value a text diff prints whole; `--format json` always has the whole value. */
const SHOWN_CHARS = 200;

/** A value in a text diff: JSON, `(unset)` when absent, long ones cut with their length. */
export function shownValue(v: unknown): string {
  if (v === undefined) return "(unset)";
  const text = JSON.stringify(v);
  return text.length <= SHOWN_CHARS ? text : `${text.slice(0, SHOWN_CHARS)}... (${text.length} characters)`;
}

/** The input paths of a replacement (its `fields`) that a change lies under: it forces the replacement. */
export const forcesReplacement = (c: ValueChange, forcing: readonly string[]) =>
  forcing.some((f) => f !== PROTECT && isUnder(c, f));

/** The lines `path: before -> after` of a change, marking what forces a replacement. */
export function changeLines(c: ResourceChange, forcing: readonly string[] = [], indent = "      "): string[] {
  return (c.changes ?? []).map(
    (v) =>
      `${indent}${v.path}: ${shownValue(v.before)} -> ${shownValue(v.after)}` +
      (forcesReplacement(v, forcing) ? "  (forces replacement)" : ""),
  );
}

export function renderDiff(d: ExportDiff, allowDowngrade = false, paint: DiffPaint = unpainted): string {
  const lines: string[] = [];
  for (const c of d.creates) lines.push(paint("create", `  + ${c.type} ${nameOfAnyUrn(c.urn)}`));
  for (const c of d.updates) {
    lines.push(paint("update", `  ~ ${c.type} ${nameOfAnyUrn(c.urn)} (${c.fields.join(", ")})`));
    lines.push(...changeLines(c));
  }
  for (const c of d.moves)
    lines.push(paint("move", `  > ${c.type} ${nameOfAnyUrn(c.urn)} (found by its alias ${c.from})`));
  for (const c of d.replaces) {
    lines.push(
      paint("replace", `+-  ${c.type} ${nameOfAnyUrn(c.urn)} (replaced: ${c.fields.join(", ")} changed)`),
    );
    lines.push(...changeLines(c, c.fields));
  }
  for (const c of d.deletes) lines.push(paint("delete", `  - ${c.type} ${nameOfAnyUrn(c.urn)}`));
  lines.push(
    "",
    `${d.creates.length} to create, ${d.updates.length} to update, ${d.replaces.length} to replace, ${d.deletes.length} to delete` +
      (d.moves.length ? ` (${d.moves.length} found by an alias)` : ""),
  );
  if (d.losses.length) {
    lines.push(
      "",
      paint("danger", "DATA LOSS: these stateful resources would be deleted, replaced or lose data:"),
    );
    for (const c of d.losses) {
      const why = c.detail ?? (c.fields.length ? `${c.fields.join(", ")} changed` : "deleted");
      const t = classify(c.type);
      const loses = !c.detail && t?.stateful ? `: loses ${t.holds}` : "";
      lines.push(paint("loss", `  ${c.type} ${nameOfAnyUrn(c.urn)} (${why})${loses}`));
    }
    lines.push("If this is intended, set allowDestroys: true for the environment and deploy that first.");
  }
  if (d.downgrades.length) {
    lines.push(
      "",
      allowDowngrade
        ? paint("warning", `PROTECTION DOWNGRADE (allowed by the ${ALLOW_DOWNGRADE_LABEL} label):`)
        : paint("danger", "PROTECTION DOWNGRADE: these changes weaken the protection of the environment:"),
    );
    for (const g of d.downgrades)
      lines.push(allowDowngrade ? `  ${renderDowngrade(g)}` : paint("loss", `  ${renderDowngrade(g)}`));
    if (!allowDowngrade)
      lines.push(
        `If this is intended, a reviewer adds the label ${ALLOW_DOWNGRADE_LABEL} to the pull request (msp diff --allow-downgrade).`,
      );
  }
  if (d.unknown.length) {
    lines.push(
      "",
      paint("danger", "UNKNOWN RESOURCE TYPES: msp diff cannot tell whether these changes lose data:"),
    );
    for (const c of d.unknown) lines.push(paint("loss", `  ${c.type} ${nameOfAnyUrn(c.urn)}`));
    lines.push(
      "Classify each type in platform/resource-types.ts (stateful with its replace-on inputs, or stateless).",
    );
  }
  return lines.join("\n");
}
