/**
 * The repository's source files and what each imports, read from the text (no compiler needed): what the
 * architecture tests check the layering and the SDK's one room with.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const SOURCE = /\.(ts|js|mjs|cjs)$/;

/** Repository-relative paths of the source files of `units` (top-level folders, or files at the root). */
export function sourceFiles(root: string, units: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const abs = path.join(root, rel);
    if (!fs.existsSync(abs)) return;
    if (fs.statSync(abs).isFile()) {
      if (SOURCE.test(rel)) out.push(rel);
      return;
    }
    for (const d of fs.readdirSync(abs, { withFileTypes: true }))
      if (d.name !== "node_modules") walk(path.posix.join(rel, d.name));
  };
  for (const u of units) walk(u);
  return out.sort();
}

/**
 * Every module specifier of a file: `import ... from`, `import "x"`, `export ... from`, `import type`,
 * `require("x")`, `import("x")`, `require.resolve("x")`.
 */
export const specifiersOf = (file: string): string[] => specifiersIn(fs.readFileSync(file, "utf8"));

/** The module specifiers of a source text (see specifiersOf). */
export function specifiersIn(text: string): string[] {
  const pattern =
    /(?:\bfrom\s*|\brequire(?:\.resolve)?\(\s*|\bimport\(\s*|^\s*import\s+)(["'])([^"'\n]+)\1/gm;
  return [...text.matchAll(pattern)].map((m) => m[2]!);
}

const EXTENSIONS = ["", ".ts", ".js", ".json", "/index.ts", "/index.js"];

/** The relative imports of a file, each with the file it names (the path itself when none exists). */
export function importsOf(file: string): { specifier: string; target: string }[] {
  return specifiersOf(file)
    .filter((s) => s.startsWith("./") || s.startsWith("../"))
    .map((specifier) => {
      const base = path.resolve(path.dirname(file), specifier);
      const found = EXTENSIONS.map((e) => base + e).find((p) => fs.existsSync(p) && fs.statSync(p).isFile());
      return { specifier, target: found ?? base };
    });
}
