/** Writes handbook pages and their SVG diagrams. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ResolvedService } from "../resolve/model";
import { architecture, renderSvg, toDot } from "./diagram";
import { diagramFile, renderIndexPage, renderServicePage } from "./page";

export const DEFAULT_DOCS_DIR = "docs/services";

/**
 * Writes files into `out` only after every one of them rendered (a failure leaves no half-written page), and
 * only directly inside `out`: a name that would lead elsewhere is a bug, refused rather than written.
 */
function writeAll(out: string, files: readonly { name: string; text: string }[]): string[] {
  const folder = path.resolve(out);
  for (const f of files)
    if (path.dirname(path.resolve(folder, f.name)) !== folder)
      throw new Error(`refusing to write ${JSON.stringify(f.name)}: it is not a file name inside ${out}`);
  fs.mkdirSync(out, { recursive: true });
  return files.map((f) => {
    const file = path.join(out, f.name);
    fs.writeFileSync(file, f.text);
    return file;
  });
}

/** Writes `<out>/<service>.md` and one SVG per environment; returns the files written. */
export async function writeServiceDocs(s: ResolvedService, out: string): Promise<string[]> {
  const files = [{ name: `${s.id}.md`, text: renderServicePage(s) }];
  for (const env of s.environments)
    files.push({
      name: diagramFile(s.id, env.envId),
      text: await renderSvg(toDot(architecture(env), env.stack)),
    });
  return writeAll(out, files);
}

export function writeIndex(services: readonly ResolvedService[], out: string): string {
  return writeAll(out, [{ name: "index.md", text: renderIndexPage(services) }])[0]!;
}
