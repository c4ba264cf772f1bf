/**
 * Architecture diagrams: one graph (handbook/architecture.ts) and one style, rendered twice: Graphviz DOT,
 * laid out and drawn to SVG by a WebAssembly build of Graphviz (no system binaries), and Mermaid, which
 * GitHub renders inline. Same nodes, groups, edges and colours in both.
 *
 * Text fits its boxes in any renderer because the layout measures labels with the metrics of the font the
 * SVG asks for: Graphviz knows DejaVu Sans's character widths, and the SVG names DejaVu Sans first (Linux
 * browsers, rsvg, resvg, Inkscape), then Verdana, whose widths are within a few percent of it (Windows and
 * macOS browsers). The node margin absorbs that difference; test/handbook/diagram-fit.test.ts renders every
 * diagram with a real SVG renderer and checks each label against its box.
 */
import type { Diagram, NodeKind } from "./architecture";

export { architecture, type Diagram } from "./architecture";

/** The font the layout measures with, and what the SVG asks renderers for. */
export const DIAGRAM_FONT = "DejaVu Sans";
export const DIAGRAM_FONT_FAMILY = "DejaVu Sans,Verdana,sans-serif";

/** One colour per kind of node: fill and border. */
export const KIND_STYLE: Readonly<Record<NodeKind, { fill: string; stroke: string }>> = {
  outside: { fill: "#f1f3f4", stroke: "#80868b" },
  edge: { fill: "#fef7e0", stroke: "#f29900" },
  workload: { fill: "#e8f0fe", stroke: "#1a73e8" },
  data: { fill: "#e6f4ea", stroke: "#1e8e3e" },
  secrets: { fill: "#fce8e6", stroke: "#d93025" },
  monitoring: { fill: "#f3e8fd", stroke: "#9334e6" },
  delivery: { fill: "#e4f7fb", stroke: "#129eaf" },
};
const GROUP_STROKE = "#9aa0a6";
const TEXT = "#202124";

const lines = (n: { title: string; details: string[] }) => [n.title, ...n.details];

export function toDot(g: Diagram, title: string): string {
  const q = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  const label = (parts: string[]) => `"${parts.map((p) => q(p).slice(1, -1)).join("\\n")}"`;
  const inGroup = new Set(g.groups.flatMap((x) => x.nodes));
  const nodeLine = (id: string) => {
    const n = g.nodes.find((x) => x.id === id)!;
    const s = KIND_STYLE[n.kind];
    return `${n.id} [label=${label(lines(n))}, fillcolor=${q(s.fill)}, color=${q(s.stroke)}];`;
  };
  return [
    `digraph ${q(title)} {`,
    `  graph [rankdir=LR, fontname=${q(DIAGRAM_FONT)}, fontsize=11, fontcolor=${q(TEXT)}, nodesep=0.3, ranksep=0.45, pad=0.2];`,
    // margin: inches around the label; wide enough for Verdana, a few percent wider than DejaVu Sans.
    `  node [shape=box, style="rounded,filled", fontname=${q(DIAGRAM_FONT)}, fontsize=11, fontcolor=${q(TEXT)}, margin="0.16,0.08"];`,
    `  edge [fontname=${q(DIAGRAM_FONT)}, fontsize=9, fontcolor="#3c4043", color="#5f6368", arrowsize=0.7];`,
    ...g.groups.flatMap((grp) => [
      `  subgraph cluster_${grp.id} {`,
      `    label=${q(grp.label)}; style="rounded,dashed"; color=${q(GROUP_STROKE)}; margin=12;`,
      ...grp.nodes.map((id) => `    ${nodeLine(id)}`),
      "  }",
    ]),
    ...g.nodes.filter((n) => !inGroup.has(n.id)).map((n) => `  ${nodeLine(n.id)}`),
    ...g.edges.map(
      (e) =>
        `  ${e.from} -> ${e.to}${e.label || e.dashed ? ` [${[e.label ? `label=${q(e.label)}` : "", e.dashed ? "style=dashed, constraint=false" : ""].filter(Boolean).join(", ")}]` : ""};`,
    ),
    "}",
  ].join("\n");
}

/**
 * Text inside a quoted Mermaid label: every character that could end the label or the block, or be read as
 * markup, written as a Mermaid entity code (`#quot;`, `#60;`: Mermaid's own escape, "Entity codes to escape
 * characters", https://mermaid.js.org/syntax/flowchart.html#entity-codes-to-escape-characters). Quotes end the
 * label; `<`, `>` and `&` are HTML in labels; backticks start Markdown strings and could close the page's code
 * fence; `#` followed by a word and `;` would be read as an entity; line breaks end the statement.
 */
export function mermaidText(s: string): string {
  return s.replace(/["<>&`\r\n]|#(?=[A-Za-z0-9]+;)/g, (c) => (c === '"' ? "#quot;" : `#${c.charCodeAt(0)};`));
}

export function toMermaid(g: Diagram): string {
  const text = mermaidText;
  const inGroup = new Set(g.groups.flatMap((x) => x.nodes));
  const nodeLine = (id: string) => {
    const n = g.nodes.find((x) => x.id === id)!;
    return `${n.id}["${lines(n).map(text).join("<br/>")}"]`;
  };
  const kinds = [...new Set(g.nodes.map((n) => n.kind))];
  return [
    "flowchart LR",
    ...g.groups.flatMap((grp) => [
      `  subgraph ${grp.id}["${text(grp.label)}"]`,
      ...grp.nodes.map((id) => `    ${nodeLine(id)}`),
      "  end",
    ]),
    ...g.nodes.filter((n) => !inGroup.has(n.id)).map((n) => `  ${nodeLine(n.id)}`),
    // `-->|"label"|` and `-.->|"label"|`: the link forms Mermaid documents for labelled solid and dotted links.
    ...g.edges.map(
      (e) => `  ${e.from} ${e.dashed ? "-.->" : "-->"}${e.label ? `|"${text(e.label)}"|` : ""} ${e.to}`,
    ),
    ...kinds.map(
      (k) => `  classDef k_${k} fill:${KIND_STYLE[k].fill},stroke:${KIND_STYLE[k].stroke},color:${TEXT}`,
    ),
    ...kinds.map(
      (k) =>
        `  class ${g.nodes
          .filter((n) => n.kind === k)
          .map((n) => n.id)
          .join(",")} k_${k}`,
    ),
    ...g.groups.map((grp) => `  style ${grp.id} fill:none,stroke:${GROUP_STROKE},stroke-dasharray:4 3`),
  ].join("\n");
}

/**
 * SVG from DOT, with @viz-js/viz (Graphviz compiled to WebAssembly). Graphviz writes the measured font's
 * name; the fallbacks are added so renderers without DejaVu Sans pick a font of nearly the same widths.
 */
export async function renderSvg(dot: string): Promise<string> {
  const viz = await (require("@viz-js/viz") as typeof import("@viz-js/viz")).instance();
  return viz
    .renderString(dot, { format: "svg" })
    .replaceAll(`font-family="${DIAGRAM_FONT}"`, `font-family="${DIAGRAM_FONT_FAMILY}"`);
}
