/**
 * Text output of `msp preview`, in the layout of `pulumi preview`: a resource tree, outputs, counts, and with
 * `--diff` every resource's inputs. Values known only after apply are shown as Pulumi shows them,
 * `output<string>`, never as a made-up value.
 */
import { isUnknown } from "./cloud-model";
import { isSecret } from "./redact";
import type { RecordedResource } from "./plan";
import type { ExportedResource } from "./export";
import type { StepOp } from "./prior-state";
import { nameOfAnyUrn } from "./urn";

/** How `pulumi preview` displays a value that is known only after apply. */
export const UNKNOWN_DISPLAY = "output<string>";

/** A value for display: JSON, with unknowns as `output<string>` and secrets as `[secret]`. */
export function displayValue(v: unknown, indent = ""): string {
  if (isUnknown(v)) return UNKNOWN_DISPLAY;
  if (isSecret(v)) return "[secret]";
  if (Array.isArray(v)) {
    if (!v.length) return "[]";
    const inner = indent + "    ";
    return `[\n${v.map((x) => inner + displayValue(x, inner)).join(",\n")}\n${indent}]`;
  }
  if (v && typeof v === "object") {
    const keys = Object.keys(v).sort();
    if (!keys.length) return "{}";
    const inner = indent + "    ";
    return `{\n${keys
      .map((k) => `${inner}${k}: ${displayValue((v as Record<string, unknown>)[k], inner)}`)
      .join(",\n")}\n${indent}}`;
  }
  return JSON.stringify(v);
}

/** `gcp:sql/databaseInstance:DatabaseInstance` is shown as `gcp:sql:DatabaseInstance`, as Pulumi does. */
export function displayType(type: string): string {
  const [pkg, mod, name] = type.split(":");
  if (!mod || !name) return type;
  return `${pkg}:${mod.split("/")[0]}:${name}`;
}

/**
 * Parts of the plan a terminal shows in colour: the command decides how (cli/terminal.ts); without a painter
 * the text is plain, exactly as `pulumi preview` prints it without colour.
 */
export type PlanPart = "create" | "update" | "replace" | "delete" | "protected" | "tree" | "heading";
export type PlanPaint = (part: PlanPart, text: string) => string;
const unpainted: PlanPaint = (_part, text) => text;

export function renderTree(
  stack: string,
  resources: readonly RecordedResource[],
  paint: PlanPaint = unpainted,
): string {
  const children = new Map<string | undefined, RecordedResource[]>();
  for (const r of resources) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
  // Tree lines, type, name, protected: widths are measured on the text, colour is added after padding.
  const rows: [string, string, string, boolean][] = [];
  const walk = (r: RecordedResource, prefix: string, last: boolean, root: boolean) => {
    rows.push([root ? "" : prefix + (last ? "└─ " : "├─ "), displayType(r.type), r.name, r.protect === true]);
    const kids = children.get(r.urn) ?? [];
    kids.forEach((k, i) =>
      walk(k, root ? "" : prefix + (last ? "   " : "│  "), i === kids.length - 1, false),
    );
  };
  const roots = resources.filter((r) => !r.parent || !resources.some((p) => p.urn === r.parent));
  roots.forEach((r, i) => walk(r, "", i === roots.length - 1, true));
  const w0 = Math.max(4, ...rows.map((r) => r[0].length + r[1].length));
  const w1 = Math.max(4, ...rows.map((r) => r[2].length));
  const plan = (isProtected: boolean) =>
    paint("create", "create") + (isProtected ? ` ${paint("protected", "(protected)")}` : "");
  return [
    paint("heading", `Previewing update (${stack}) offline:`),
    "",
    paint("heading", `    ${"Type".padEnd(w0)}  ${"Name".padEnd(w1)}  Plan`),
    ...rows.map(
      ([tree, type, name, isProtected]) =>
        `${paint("create", " + ")} ${paint("tree", tree)}${type.padEnd(w0 - tree.length)}  ${name.padEnd(w1)}  ${plan(isProtected)}`,
    ),
  ].join("\n");
}

export function renderSummary(resources: readonly RecordedResource[], paint: PlanPaint = unpainted): string {
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(displayType(r.type), (counts.get(displayType(r.type)) ?? 0) + 1);
  const types = [...counts.keys()].sort();
  const w = Math.max(...types.map((t) => t.length));
  const protectedCount = resources.filter((r) => r.protect).length;
  return [
    paint("heading", "Resources by type:"),
    ...types.map((t) => `    ${t.padEnd(w)}  ${String(counts.get(t)).padStart(3)}`),
    "",
    paint("heading", "Resources:"),
    `    ${paint("create", `+ ${resources.length} to create`)} ${paint("protected", `(${protectedCount} protected from deletion)`)}`,
  ].join("\n");
}

export function renderOutputs(outputs: Record<string, unknown>): string {
  const keys = Object.keys(outputs).sort();
  if (!keys.length) return "";
  const w = Math.max(...keys.map((k) => k.length));
  return ["Outputs:", ...keys.map((k) => `    ${k.padEnd(w)}: ${displayValue(outputs[k], "    ")}`)].join(
    "\n",
  );
}

/** Every resource's inputs, as `pulumi preview --diff` lists them for resources to create. */
export function renderDetails(resources: readonly RecordedResource[]): string {
  const blocks: string[] = [];
  for (const r of resources) {
    if (!r.custom) continue;
    const keys = Object.keys(r.inputs).sort();
    const w = Math.max(0, ...keys.map((k) => k.length));
    blocks.push(
      [
        `  + ${displayType(r.type)}: (create)`,
        `      [urn=${r.urn}]`,
        ...keys.map((k) => `      ${k.padEnd(w)}: ${displayValue(r.inputs[k], "      ")}`),
      ].join("\n"),
    );
  }
  return blocks.join("\n");
}

/** True when any value (at any depth) is known only after apply. */
export function hasUnknown(v: unknown): boolean {
  if (isUnknown(v)) return true;
  if (Array.isArray(v)) return v.some(hasUnknown);
  if (v && typeof v === "object") return Object.values(v).some(hasUnknown);
  return false;
}

/** The legend printed under a plan that shows unknowns. */
export const UNKNOWN_LEGEND = `${UNKNOWN_DISPLAY}: known only after apply (computed by the cloud when the resource is created)`;

/* Plans against a deployed state (msp preview --state): steps as `pulumi preview` shows them. */

type ShownOp = Exclude<StepOp, "same"> | "delete";
const SYMBOL: Record<ShownOp | "same", string> = {
  same: "   ",
  create: " + ",
  update: " ~ ",
  replace: " +-",
  delete: " - ",
};
const PART: Record<ShownOp, PlanPart> = {
  create: "create",
  update: "update",
  replace: "replace",
  delete: "delete",
};

interface PlanRow {
  urn: string;
  type: string;
  name: string;
  parent?: string;
  protect: boolean;
  op: StepOp | "delete";
  fields: string[];
}

const planRows = (
  resources: readonly RecordedResource[],
  deletes: readonly ExportedResource[],
): PlanRow[] => [
  ...resources.map((r) => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    parent: r.parent,
    protect: r.protect,
    op: r.step?.op ?? "create",
    fields: r.step?.fields ?? [],
  })),
  ...deletes.map((r) => ({
    urn: r.urn,
    type: r.type,
    name: nameOfAnyUrn(r.urn),
    parent: r.parent,
    protect: r.protect === true,
    op: "delete" as const,
    fields: [],
  })),
];

/**
 * The tree of a plan against a state: as `pulumi preview` does (without --show-sames), only the resources that
 * change, under their unchanged ancestors; the Info column names the changed inputs (`[diff: ~name]`).
 */
export function renderStateTree(
  stack: string,
  source: string,
  resources: readonly RecordedResource[],
  deletes: readonly ExportedResource[],
  paint: PlanPaint = unpainted,
): string {
  const all = planRows(resources, deletes);
  const byUrn = new Map(all.map((r) => [r.urn, r]));
  const shown = new Set<string>();
  for (const r of all)
    if (r.op !== "same")
      for (let u: string | undefined = r.urn; u && byUrn.has(u) && !shown.has(u); u = byUrn.get(u)!.parent)
        shown.add(u);
  const heading = paint("heading", `Previewing update (${stack}) offline, against the state in ${source}:`);
  if (!shown.size) return [heading, "", "    no changes: the plan matches the state"].join("\n");
  const rows = all.filter((r) => shown.has(r.urn));
  const children = new Map<string | undefined, PlanRow[]>();
  const isRoot = (r: PlanRow) => !r.parent || !shown.has(r.parent);
  for (const r of rows) {
    const key = isRoot(r) ? undefined : r.parent;
    children.set(key, [...(children.get(key) ?? []), r]);
  }
  const lines: [PlanRow, string, string][] = [];
  const walk = (r: PlanRow, prefix: string, last: boolean, root: boolean) => {
    lines.push([r, root ? "" : prefix + (last ? "└─ " : "├─ "), displayType(r.type)]);
    const kids = children.get(r.urn) ?? [];
    kids.forEach((k, i) =>
      walk(k, root ? "" : prefix + (last ? "   " : "│  "), i === kids.length - 1, false),
    );
  };
  const roots = children.get(undefined) ?? [];
  roots.forEach((r, i) => walk(r, "", i === roots.length - 1, true));
  const w0 = Math.max(4, ...lines.map(([, tree, type]) => tree.length + type.length));
  const w1 = Math.max(4, ...lines.map(([r]) => r.name.length));
  const w2 = Math.max(4, ...lines.map(([r]) => (r.op === "same" ? 0 : r.op.length)));
  return [
    heading,
    "",
    paint("heading", `    ${"Type".padEnd(w0)}  ${"Name".padEnd(w1)}  ${"Plan".padEnd(w2)}  Info`.trimEnd()),
    ...lines.map(([r, tree, type]) => {
      const op = r.op === "same" ? "" : r.op;
      const part = r.op === "same" ? undefined : PART[r.op];
      const info =
        r.fields.length && (r.op === "update" || r.op === "replace")
          ? `[diff: ${r.fields.map((f) => `~${f}`).join(", ")}]`
          : r.op === "delete" && r.protect
            ? "(protected)"
            : "";
      const symbol = part ? paint(part, SYMBOL[r.op]) : SYMBOL.same;
      const plan = part ? paint(part, op.padEnd(w2)) : "".padEnd(w2);
      return `${symbol} ${paint("tree", tree)}${type.padEnd(w0 - tree.length)}  ${r.name.padEnd(w1)}  ${plan}  ${info}`.trimEnd();
    }),
  ].join("\n");
}

/** Counts as `pulumi preview` ends: `~ 1 to update`, `+-1 to replace`, then `N changes. M unchanged`. */
export function renderStateSummary(
  resources: readonly RecordedResource[],
  deletes: readonly ExportedResource[],
  paint: PlanPaint = unpainted,
): string {
  const count = (op: StepOp) => resources.filter((r) => (r.step?.op ?? "create") === op).length;
  const lines = [paint("heading", "Resources:")];
  const changes: [ShownOp, number, string][] = [
    ["create", count("create"), "+ "],
    ["update", count("update"), "~ "],
    ["replace", count("replace"), "+-"],
    ["delete", deletes.length, "- "],
  ];
  for (const [op, n, symbol] of changes)
    if (n) lines.push(`    ${paint(PART[op], `${symbol}${n} to ${op}`)}`);
  const total = changes.reduce((sum, [, n]) => sum + n, 0);
  const same = count("same");
  lines.push(
    total ? `    ${total} change${total === 1 ? "" : "s"}. ${same} unchanged` : `    ${same} unchanged`,
  );
  return lines.join("\n");
}

/**
 * Every change's inputs, as `pulumi preview --diff` shows them: for an update or a replacement each changed input
 * with the state's value and the planned one, for a create its inputs, for a delete its URN.
 */
export function renderStateDetails(
  resources: readonly RecordedResource[],
  deletes: readonly ExportedResource[],
): string {
  const blocks: string[] = [];
  for (const r of resources) {
    const op = r.step?.op ?? "create";
    if (!r.custom || op === "same") continue;
    const keys = op === "create" ? Object.keys(r.inputs).sort() : r.step!.fields;
    const w = Math.max(0, ...keys.map((k) => k.length));
    const value = (k: string) => {
      const pair = r.step?.values?.[k];
      return pair
        ? `${displayValue(pair[0], "      ")} => ${displayValue(pair[1], "      ")}`
        : displayValue(r.inputs[k], "      ");
    };
    blocks.push(
      [
        `${SYMBOL[op]} ${displayType(r.type)}: (${op})`,
        `      [urn=${r.urn}]`,
        ...keys.map((k) => `      ${k.padEnd(w)}: ${value(k)}`),
      ].join("\n"),
    );
  }
  for (const r of deletes)
    if (r.custom !== false)
      blocks.push(`${SYMBOL.delete} ${displayType(r.type)}: (delete)\n      [urn=${r.urn}]`);
  return blocks.join("\n");
}
