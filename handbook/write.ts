/** Writes handbook pages and their SVG diagrams. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { LoadedService } from "../spec/loader";
import type { PlatformSettings } from "../components/platform";
import { architecture, renderSvg, toDot } from "./diagram";
import { diagramFile, renderIndexPage, renderServicePage } from "./page";

export const DEFAULT_DOCS_DIR = "docs/services";

/** Writes `<out>/<service>.md` and one SVG per environment; returns the files written. */
export async function writeServiceDocs(
  s: LoadedService,
  settings: PlatformSettings,
  out: string,
): Promise<string[]> {
  fs.mkdirSync(out, { recursive: true });
  const svc = s.spec.service.id;
  const files = [path.join(out, `${svc}.md`)];
  fs.writeFileSync(files[0]!, renderServicePage(s, settings));
  for (const env of s.spec.environments) {
    const file = path.join(out, diagramFile(svc, env.id));
    fs.writeFileSync(file, await renderSvg(toDot(architecture(s.spec, env), `${svc}-${env.id}`)));
    files.push(file);
  }
  return files;
}

export function writeIndex(services: readonly LoadedService[], out: string): string {
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, "index.md");
  fs.writeFileSync(file, renderIndexPage(services));
  return file;
}
