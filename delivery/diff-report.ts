/**
 * msp diff's report as data: the shape of `--format json` (stable: tools and the pull-request comment read it)
 * and its Markdown rendering for the pull request (the job's step summary and the plan comment), with every
 * value from the specs escaped and the size bounded.
 */
import { nameOfAnyUrn } from "../engine/urn";
import { classify } from "../platform/resource-types";
import { renderDowngrade } from "./downgrades";
import { forcesReplacement, shownValue, verdict, type ExportDiff, type ResourceChange } from "./diff";
import type { ValueChange } from "./value-changes";

export interface PolicySummary {
  category: string;
  mandatory: number;
  advisory: number;
  violations: { policy: string; level: string; resource?: string; message: string }[];
}

interface ReportChange extends ValueChange {
  forcesReplacement?: true;
}
interface ReportResource {
  type: string;
  name: string;
  urn: string;
  fields?: string[];
  changes?: ReportChange[];
}

export interface DiffReport {
  stack?: string;
  /** The base the stack was compared with: a git commit (`--base`) or an export file. */
  base?: string;
  counts: { create: number; update: number; replace: number; delete: number; moved: number };
  creates: ReportResource[];
  updates: ReportResource[];
  replaces: ReportResource[];
  deletes: ReportResource[];
  moves: (ReportResource & { from: string })[];
  losses: (ReportResource & { why: string })[];
  downgrades: (ReportResource & { what: string })[];
  unknown: ReportResource[];
  policies?: PolicySummary;
  notes: string[];
  verdict: { exitCode: 0 | 1; reasons: string[] };
}

function resource(c: ResourceChange, forcing?: readonly string[]): ReportResource {
  const r: ReportResource = { type: c.type, name: nameOfAnyUrn(c.urn), urn: c.urn };
  if (c.fields.length) r.fields = c.fields;
  if (c.changes)
    r.changes = c.changes.map((v) =>
      forcing && forcesReplacement(v, forcing) ? { ...v, forcesReplacement: true } : { ...v },
    );
  return r;
}

/** What a loss loses, in words (the text diff's DATA LOSS lines say the same). */
function lossWhy(c: ResourceChange): string {
  const why = c.detail ?? (c.fields.length ? `${c.fields.join(", ")} changed` : "deleted");
  const t = classify(c.type);
  return !c.detail && t?.stateful ? `${why}: loses ${t.holds}` : why;
}

export function diffReport(
  d: ExportDiff,
  options: {
    allowDowngrade?: boolean;
    stack?: string;
    base?: string;
    policies?: PolicySummary;
    notes?: string[];
  },
): DiffReport {
  const v = verdict(d, !!options.allowDowngrade);
  const reasons = [...v.reasons];
  if (options.policies?.mandatory)
    reasons.push(`${options.policies.mandatory} mandatory policy violation(s)`);
  return {
    ...(options.stack !== undefined && { stack: options.stack }),
    ...(options.base !== undefined && { base: options.base }),
    counts: {
      create: d.creates.length,
      update: d.updates.length,
      replace: d.replaces.length,
      delete: d.deletes.length,
      moved: d.moves.length,
    },
    creates: d.creates.map((c) => resource(c)),
    updates: d.updates.map((c) => resource(c)),
    replaces: d.replaces.map((c) => resource(c, c.fields)),
    deletes: d.deletes.map((c) => resource(c)),
    moves: d.moves.map((m) => ({ type: m.type, name: nameOfAnyUrn(m.urn), urn: m.urn, from: m.from })),
    losses: d.losses.map((c) => ({ type: c.type, name: nameOfAnyUrn(c.urn), urn: c.urn, why: lossWhy(c) })),
    downgrades: d.downgrades.map((g) => ({
      type: g.type,
      name: nameOfAnyUrn(g.urn),
      urn: g.urn,
      what: g.what,
    })),
    unknown: d.unknown.map((c) => resource(c)),
    ...(options.policies && { policies: options.policies }),
    notes: options.notes ?? [],
    verdict: { exitCode: reasons.length ? 1 : 0, reasons },
  };
}

// ---- Markdown -------------------------------------------------------------------------------------------

/**
 * Text from specs and exports inside Markdown: every character that Markdown or HTML could read (`<`, `|`, `*`, `_`,
 * `[`, `@` of a mention, a backtick, a newline) as an HTML entity, so a value renders as itself and can neither
 * format, link, mention nor close the table it is in.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[^A-Za-z0-9 ,.:;/=+"'()-]/g, (ch) => `&#${ch.codePointAt(0)!};`);
}

const code = (text: string) => `<code>${escapeMarkdown(text)}</code>`;

/** Rows of changed values a stack shows at most; the rest is counted (the JSON report has them all). */
export const MAX_ROWS = 60;

/** The Markdown of one stack's report: verdict, counts, policy verdict, findings, changed values. */
export function renderMarkdown(r: DiffReport, allowDowngrade = false): string {
  const ok = r.verdict.exitCode === 0;
  const c = r.counts;
  const lines = [
    `### ${ok ? "✅" : "❌"} ${r.stack !== undefined ? code(r.stack) : "msp diff"}${r.policies ? ` (${escapeMarkdown(r.policies.category)})` : ""}`,
    "",
    `**${c.create} to create, ${c.update} to update, ${c.replace} to replace, ${c.delete} to delete**` +
      (c.moved ? ` (${c.moved} found by an alias)` : "") +
      (r.base !== undefined ? ` against ${code(r.base)}` : ""),
  ];
  if (r.policies) {
    const p = r.policies;
    lines.push(
      "",
      `Policies (msp pack, ${escapeMarkdown(p.category)}): ${p.mandatory} mandatory, ${p.advisory} advisory`,
    );
    for (const v of p.violations)
      lines.push(
        `- ${v.level === "mandatory" ? "❌" : "⚠️"} ${code(v.policy)}${v.resource ? ` on ${code(v.resource)}` : ""}: ${escapeMarkdown(v.message.split("\n")[0]!)}`,
      );
  }
  if (r.losses.length) {
    lines.push("", "**DATA LOSS**: these stateful resources would be deleted, replaced or lose data:");
    for (const l of r.losses) lines.push(`- ${code(`${l.type} ${l.name}`)}: ${escapeMarkdown(l.why)}`);
    lines.push("If this is intended, set `allowDestroys: true` for the environment and deploy that first.");
  }
  if (r.downgrades.length) {
    lines.push(
      "",
      allowDowngrade
        ? "**PROTECTION DOWNGRADE** (allowed by the `msp/allow-downgrade` label):"
        : "**PROTECTION DOWNGRADE**: a reviewer adds the label `msp/allow-downgrade` if this is intended:",
    );
    for (const g of r.downgrades)
      lines.push(`- ${escapeMarkdown(renderDowngrade({ urn: g.urn, type: g.type, what: g.what }))}`);
  }
  if (r.unknown.length) {
    lines.push("", "**UNKNOWN RESOURCE TYPES** (classify them in `delivery/stateful-types.ts`):");
    for (const u of r.unknown) lines.push(`- ${code(`${u.type} ${u.name}`)}`);
  }
  const rows: string[] = [];
  let hidden = 0;
  const row = (op: string, res: ReportResource, ch?: ReportChange) => {
    if (rows.length >= MAX_ROWS) return void hidden++;
    rows.push(
      `| ${op} | ${code(res.name)} | ${ch ? code(ch.path) : ""} | ${ch ? code(shownValue(ch.before)) : ""} | ${ch ? code(shownValue(ch.after)) : ""}${ch?.forcesReplacement ? " (forces replacement)" : ""} |`,
    );
  };
  for (const [op, list] of [
    ["~ update", r.updates],
    ["+- replace", r.replaces],
  ] as const)
    for (const res of list) for (const ch of res.changes ?? [{ path: "" }]) row(op, res, ch);
  for (const res of r.creates) row("+ create", res);
  for (const res of r.deletes) row("- delete", res);
  if (rows.length) {
    lines.push(
      "",
      `<details${r.updates.length + r.replaces.length <= 10 ? " open" : ""}><summary>Changes</summary>`,
      "",
      "| | Resource | Input | Before | After |",
      "|---|---|---|---|---|",
      ...rows,
      "",
      ...(hidden ? [`${hidden} more row(s): see the job's log or \`msp diff --format json\`.`, ""] : []),
      "</details>",
    );
  }
  for (const n of r.notes) lines.push("", `> ${escapeMarkdown(n)}`);
  if (!ok) lines.push("", `**msp diff: ${escapeMarkdown(r.verdict.reasons.join(", "))}**`);
  return lines.join("\n");
}
