/**
 * Text output of `msp preview`, in the layout of `pulumi preview`: a resource tree, outputs, counts, and with
 * `--diff` every resource's inputs. Values known only after apply are shown as Pulumi shows them,
 * `output<string>`, never as a made-up value.
 */
import { isUnknown } from "./cloud-model";
import { isSecret } from "./redact";
import type { RecordedResource } from "./run";

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
export type PlanPart = "create" | "protected" | "tree" | "heading";
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
