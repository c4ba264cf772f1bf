/** Writes handbook pages and their SVG diagrams. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { LoadedService } from "../spec/loader";
import type { PlatformSettings } from "../components/platform";
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
export async function writeServiceDocs(
  s: LoadedService,
  settings: PlatformSettings,
  out: string,
): Promise<string[]> {
  const svc = s.spec.service.id;
  const files = [{ name: `${svc}.md`, text: renderServicePage(s, settings) }];
  for (const env of s.spec.environments)
    files.push({
      name: diagramFile(svc, env.id),
      text: await renderSvg(toDot(architecture(s.spec, env), `${svc}-${env.id}`)),
    });
  return writeAll(out, files);
}

export function writeIndex(services: readonly LoadedService[], out: string): string {
  return writeAll(out, [{ name: "index.md", text: renderIndexPage(services) }])[0]!;
}
