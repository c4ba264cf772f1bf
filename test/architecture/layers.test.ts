/**
 * The layering of the code, checked over its import graph: every relative import (static `import`/`export ...
 * from`, `import type`, `require()`, dynamic `import()`) of every source file must point to its own folder or
 * to a folder of a lower layer, never sideways within a layer, never up; and the folders' graph has no cycle.
 * LAYERS (test/architecture/layers.ts) is the one statement of the order; README.md's architecture section lists the same layers (checked
 * below), so the README says what the code does.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { importsOf, sourceFiles } from "../helpers/source-graph";
import { LAYERS } from "./layers";

const ROOT = path.join(__dirname, "..", "..");
const rank = new Map(LAYERS.flatMap((row, i) => row.map((folder) => [folder, i] as const)));
/** Data any layer may read: the package manifest (the CLI prints its version). */
const ROOT_DATA = new Set(["package.json"]);
/** The layer unit of a repository path: its top-level folder, or the root file itself. */
const unitOf = (rel: string) => rel.split("/")[0]!;

interface Edge {
  from: string;
  to: string;
  file: string;
  specifier: string;
}

function edges(): Edge[] {
  const out: Edge[] = [];
  for (const file of sourceFiles(ROOT, [...rank.keys()])) {
    for (const { specifier, target } of importsOf(path.join(ROOT, file))) {
      const to = unitOf(path.relative(ROOT, target));
      const from = unitOf(file);
      if (to !== from && !ROOT_DATA.has(to)) out.push({ from, to, file, specifier });
    }
  }
  return out;
}

/** Arrows that break the layering: to an unknown folder, sideways within a layer, or up. */
export function violations(all: readonly Edge[]): string[] {
  return all
    .filter((e) => !rank.has(e.to) || rank.get(e.to)! >= rank.get(e.from)!)
    .map((e) =>
      rank.has(e.to)
        ? `${e.file} imports ${e.specifier}: ${e.from} (layer ${rank.get(e.from)}) may not import ${e.to} (layer ${rank.get(e.to)})`
        : `${e.file} imports ${e.specifier}: ${e.to} is in no layer (add it to LAYERS and README.md)`,
    );
}

/** A cycle of the folders' graph, as a path that returns to its start, or undefined. */
export function folderCycle(all: readonly Edge[]): string[] | undefined {
  const next = new Map<string, Set<string>>();
  for (const e of all) (next.get(e.from) ?? next.set(e.from, new Set()).get(e.from)!).add(e.to);
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === "open") return [...stack.slice(stack.indexOf(n)), n];
    if (state.get(n) === "done") return undefined;
    state.set(n, "open");
    stack.push(n);
    for (const m of next.get(n) ?? []) {
      const found = visit(m);
      if (found) return found;
    }
    stack.pop();
    state.set(n, "done");
    return undefined;
  };
  for (const n of next.keys()) {
    const found = visit(n);
    if (found) return found;
  }
  return undefined;
}

describe("architecture: the import graph's layers", () => {
  const all = edges();

  it("reads the imports (a graph this small would mean the scan is broken)", () => {
    assert.ok(all.length > 100, `only ${all.length} cross-folder imports found`);
    assert.ok(all.some((e) => e.from === "program" && e.to === "components"));
  });

  it("every arrow points down the layers", () => {
    assert.deepEqual(violations(all), []);
  });

  it("the folders' graph has no cycle", () => {
    assert.equal(folderCycle(all)?.join(" -> "), undefined);
  });

  it("finds an upward arrow and a cycle when there is one (the checks can fail)", () => {
    const up = { from: "platform", to: "resolve", file: "platform/x.ts", specifier: "../resolve/fields" };
    const down = { from: "resolve", to: "platform", file: "resolve/y.ts", specifier: "../platform/naming" };
    assert.equal(violations([up]).length, 1);
    assert.match(violations([up])[0]!, /platform \(layer 1\) may not import resolve \(layer 3\)/);
    assert.match(violations([{ ...down, to: "elsewhere" }])[0]!, /elsewhere is in no layer/);
    assert.deepEqual(violations([down]), []);
    assert.deepEqual(folderCycle([up, down]), ["platform", "resolve", "platform"]);
    assert.equal(folderCycle([down]), undefined);
  });

  it("every top-level source folder is in a layer", () => {
    const unplaced = fs
      .readdirSync(ROOT, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith(".") && !rank.has(d.name))
      .filter((d) => sourceFiles(ROOT, [d.name]).length > 0)
      .map((d) => d.name)
      .filter((name) => !["test", "node_modules", "build", "docs"].includes(name));
    assert.deepEqual(unplaced, []);
  });

  it("README.md's layer list is LAYERS, top first", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const section = /<!-- layers -->\n([\s\S]*?)<!-- \/layers -->/.exec(readme);
    assert.ok(section, "README.md has no <!-- layers --> ... <!-- /layers --> block");
    const rows = section[1]!
      .split("\n")
      .filter((l) => /^\d+\. /.test(l))
      .map((l) => [...l.split(":")[0]!.matchAll(/`([^`]+?)\/?`/g)].map((m) => m[1]!));
    assert.deepEqual(
      rows,
      [...LAYERS].reverse().map((row) => [...row]),
    );
  });
});
