/**
 * The service README (`services/<id>/README.md`), which MSP embeds in the handbook page: it must begin with the
 * line `# <service name>` (`service.name`, else the ID: MSP's spec.go refuses any other start); the page shows the
 * body under the service overview.
 */
import * as path from "node:path";
import { FileReadError, readRegularFile } from "./read-file";
import { clipText } from "./values";

export const README_FILE = "README.md";
const MAX_README_BYTES = 256 * 1024;

export type ReadmeResult = { body?: string } | { problem: string; unreadable: boolean };

/** The README's body (without its title line), nothing when there is no README, or what is wrong with it. */
export function readServiceReadme(dir: string, root: string, serviceName: string): ReadmeResult {
  let text: string;
  try {
    text = readRegularFile(path.join(dir, README_FILE), {
      maxBytes: MAX_README_BYTES,
      within: root,
    }).toString("utf8");
  } catch (e) {
    if (!(e instanceof FileReadError)) throw e;
    if (e.problem === "not-found") return {};
    return { problem: `${README_FILE} beside the spec ${e.message}`, unreadable: e.problem !== "too-large" };
  }
  const [first, ...rest] = text.replace(/^\uFEFF/, "").split("\n");
  const title = `# ${serviceName}`;
  if ((first ?? "").trimEnd() !== title)
    return {
      problem: `${README_FILE} beside the spec must begin with the title line ${JSON.stringify(clipText(title, 62))} (the service name, service.name or else the ID, as MSP requires)`,
      unreadable: false,
    };
  return { body: rest.join("\n").trim() };
}
