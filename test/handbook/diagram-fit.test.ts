/**
 * The architecture diagrams as readers see them: rendered by a real SVG renderer (resvg, with the DejaVu Sans
 * font file from npm rather than whatever this machine has), every label inside its box.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { DOMParser, XMLSerializer, type Element } from "@xmldom/xmldom";
import { exampleResolved, exampleServices } from "../helpers/stacks";
import { REPO } from "../helpers/cli";
import { architecture, DIAGRAM_FONT, renderSvg, toDot, toMermaid } from "../../handbook/diagram";
import type { Diagram } from "../../handbook/architecture";

const FONT_FILE = require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf");
const DOCS = path.join(REPO, "docs", "services");

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The bounding box resvg draws for some elements of an SVG (text as glyph outlines), in SVG units. */
function rendered(svg: Element, transform: string, elements: Element[]): Box | undefined {
  const attrs = ["width", "height", "viewBox"].map((a) => `${a}="${svg.getAttribute(a)}"`).join(" ");
  const inner = elements.map((e) => new XMLSerializer().serializeToString(e)).join("");
  const doc = `<svg xmlns="http://www.w3.org/2000/svg" ${attrs}><g transform="${transform}">${inner}</g></svg>`;
  const r = new Resvg(doc, {
    font: { loadSystemFonts: false, fontFiles: [FONT_FILE], defaultFontFamily: DIAGRAM_FONT },
  });
  const b = r.getBBox();
  return b && { x: b.x, y: b.y, width: b.width, height: b.height };
}

const children = (e: Element, tag: string) => Array.from(e.getElementsByTagName(tag));
const inside = (inner: Box, outer: Box, margin: number) =>
  inner.x >= outer.x + margin &&
  inner.y >= outer.y + margin &&
  inner.x + inner.width <= outer.x + outer.width - margin &&
  inner.y + inner.height <= outer.y + outer.height - margin;
const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Every node's and group's text inside its shape (by 2 units), and no edge label on a node. */
function misfits(svgText: string): string[] {
  const svg = new DOMParser().parseFromString(svgText, "image/svg+xml").documentElement!;
  const graph = children(svg, "g").find((g) => g.getAttribute("class") === "graph")!;
  const transform = graph.getAttribute("transform") ?? "";
  const problems: string[] = [];
  const nodeBoxes: [string, Box][] = [];
  const parts = children(graph, "g");
  for (const g of parts.filter((x) => ["node", "cluster"].includes(x.getAttribute("class") ?? ""))) {
    const name = children(g, "title")[0]?.textContent ?? "?";
    const shape = [...children(g, "path"), ...children(g, "polygon")];
    const texts = children(g, "text");
    const box = rendered(svg, transform, shape);
    const text = rendered(svg, transform, texts);
    if (!box || !text) problems.push(`${name}: nothing rendered`);
    else if (!inside(text, box, 2))
      problems.push(`${name}: text ${JSON.stringify(text)} extends past its box ${JSON.stringify(box)}`);
    if (box && g.getAttribute("class") === "node") nodeBoxes.push([name, box]);
  }
  for (const g of parts.filter((x) => x.getAttribute("class") === "edge")) {
    const texts = children(g, "text");
    if (!texts.length) continue;
    const label = rendered(svg, transform, texts)!;
    for (const [name, box] of nodeBoxes)
      if (overlap(label, box))
        problems.push(`edge ${children(g, "title")[0]?.textContent}: label overlaps node ${name}`);
  }
  return problems;
}

const diagrams = () =>
  exampleServices().flatMap((s) =>
    exampleResolved(s.spec.service.id).environments.map((env) => ({
      name: env.stack,
      graph: architecture(env),
    })),
  );

describe("architecture diagrams, rendered", function () {
  this.timeout(60_000);

  it("committed SVGs are up to date (npx msp docs --all)", async () => {
    for (const d of diagrams())
      assert.equal(
        fs.readFileSync(path.join(DOCS, `${d.name}.svg`), "utf8"),
        await renderSvg(toDot(d.graph, d.name)),
        d.name,
      );
  });

  it("every label fits inside its box, and no edge label covers a node (resvg, DejaVu Sans)", () => {
    const problems = diagrams().flatMap((d) =>
      misfits(fs.readFileSync(path.join(DOCS, `${d.name}.svg`), "utf8")).map((p) => `${d.name}: ${p}`),
    );
    assert.deepEqual(problems, []);
  });

  it("also fits where Verdana replaces DejaVu Sans (Graphviz's Verdana metrics, 2 pt to spare each side)", async () => {
    const viz = await (require("@viz-js/viz") as typeof import("@viz-js/viz")).instance();
    type Laid = { objects: { name: string; width: string }[] };
    const tight: string[] = [];
    for (const d of diagrams()) {
      const laid = JSON.parse(viz.renderString(toDot(d.graph, d.name), { format: "json" })) as Laid;
      const lines = d.graph.nodes.flatMap((n) => [n.title, ...n.details].map((text) => ({ id: n.id, text })));
      const probe = `digraph { node [shape=box, margin=0, width=0, height=0, fontname="Verdana", fontsize=11]; ${lines
        .map((l, i) => `p${i} [label=${JSON.stringify(l.text)}];`)
        .join(" ")} }`;
      const verdana = JSON.parse(viz.renderString(probe, { format: "json" })) as Laid;
      const inches = (o: Laid, name: string) => Number(o.objects.find((x) => x.name === name)!.width);
      lines.forEach((l, i) => {
        const text = inches(verdana, `p${i}`) * 72;
        const box = inches(laid, l.id) * 72;
        if (text + 4 > box)
          tight.push(`${d.name} ${l.id}: "${l.text}" is ${text} pt in Verdana, box ${box} pt`);
      });
    }
    assert.deepEqual(tight, []);
  });

  it("names the font it was measured with first, with fallbacks of similar widths", () => {
    const svg = fs.readFileSync(path.join(DOCS, "accounts-prod.svg"), "utf8");
    const families = new Set([...svg.matchAll(/font-family="([^"]+)"/g)].map((m) => m[1]));
    assert.deepEqual([...families], ["DejaVu Sans,Verdana,sans-serif"]);
  });

  it("catches the old overflow: a layout measured for Helvetica, rendered in DejaVu Sans", async () => {
    const d = diagrams().find((x) => x.name === "accounts-prod")!;
    const helvetica = (await renderSvg(toDot(d.graph, d.name).replaceAll(DIAGRAM_FONT, "Helvetica"))).replace(
      /font-family="Helvetica,sans-Serif"/g,
      'font-family="DejaVu Sans"',
    );
    const problems = misfits(helvetica);
    assert.ok(
      problems.some((p) => /: text .* extends past its box/.test(p)),
      problems.join("\n"),
    );
  });
});

describe("architecture diagrams, content", () => {
  const titles = (g: Diagram) => g.nodes.map((n) => n.title);
  const find = (name: string) => diagrams().find((d) => d.name === name)!.graph;

  it("draws the edge, workload, data, secrets, monitoring and notifications of a service", () => {
    const g = find("accounts-prod");
    for (const t of [
      "Users",
      "Cloudflare WAF",
      "HTTPS load balancer",
      "Cloud Armor",
      "Cloud Run service",
      "Container image",
      "Cloud SQL PostgreSQL",
      "Memorystore Redis",
      "Secret Manager",
      "Cloud Monitoring",
      "Notifications",
    ])
      assert.ok(titles(g).includes(t), t);
    const node = (id: string) => g.nodes.find((n) => n.id === id)!.details.join(" | ");
    assert.equal(node("cloudflare"), "accounts.sourcegraph.com");
    assert.equal(node("sql"), "accounts | regional (HA), PITR, backups");
    assert.match(node("notify"), /pages core-services, security/);
    assert.deepEqual(
      g.groups.map((x) => x.label),
      ["Cloudflare zone sourcegraph.com", "GCP project accounts-prod-csvc"],
    );
  });

  it("draws a job's schedule and BigQuery dataset, and a rollout's stages", () => {
    const job = find("usage-exporter-prod");
    assert.deepEqual(
      titles(job).filter((t) =>
        ["Cloud Scheduler", "Cloud Run job", "BigQuery dataset", "Users"].includes(t),
      ),
      ["Cloud Run job", "Cloud Scheduler", "BigQuery dataset"],
    );
    assert.ok(job.edges.some((e) => e.from === "scheduler" && e.to === "run"));
    assert.equal(job.nodes.find((n) => n.id === "scheduler")!.details[0], "0 */2 * * * (UTC)");
    const rollout = find("pings-prod").nodes.find((n) => n.id === "deploy")!;
    assert.deepEqual(
      [rollout.title, ...rollout.details],
      ["Cloud Deploy pipeline", "stages: dev, prod", "this is stage 2 of 2"],
    );
  });

  it("renders the same graph as SVG and as Mermaid: same nodes, labels, groups and edges", () => {
    for (const d of diagrams()) {
      const dot = toDot(d.graph, d.name);
      const mermaid = toMermaid(d.graph);
      for (const n of d.graph.nodes) {
        const text = [n.title, ...n.details];
        assert.ok(
          dot.includes(`${n.id} [label="${text.join("\\n").replace(/"/g, '\\"')}"`),
          `${d.name} dot ${n.id}`,
        );
        assert.ok(mermaid.includes(`${n.id}["${text.join("<br/>")}"]`), `${d.name} mermaid ${n.id}`);
        assert.match(mermaid, new RegExp(`class [a-z_,]*\\b${n.id}\\b[a-z_,]* k_${n.kind}`));
      }
      for (const grp of d.graph.groups) {
        assert.ok(dot.includes(`subgraph cluster_${grp.id} {`), grp.id);
        assert.ok(mermaid.includes(`subgraph ${grp.id}["${grp.label}"]`), grp.id);
      }
      const dotEdges = [...dot.matchAll(/^ {2}(\w+) -> (\w+)/gm)].map((m) => `${m[1]}>${m[2]}`);
      const mermaidEdges = [...mermaid.matchAll(/^ {2}(\w+) -\.?->(?:\|"[^"]*"\|)? (\w+)$/gm)].map(
        (m) => `${m[1]}>${m[2]}`,
      );
      assert.deepEqual(mermaidEdges, dotEdges, d.name);
      assert.deepEqual(
        dotEdges,
        d.graph.edges.map((e) => `${e.from}>${e.to}`),
        d.name,
      );
    }
  });
});
