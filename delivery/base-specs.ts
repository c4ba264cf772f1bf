/**
 * The service specs as they were at another commit (the base branch, or the commit a stack was last deployed
 * from), read from git objects and validated by the same loader as the working tree. This is how removed
 * stacks are found and how a stack is known to be new: from specs, never from whether a command failed.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { parseServiceSpec, SpecError, SPEC_FILE, type LoadedService } from "../servicespec/loader";
import { CATEGORIES } from "../platform/categories";
import { listStacks } from "../program/stack-targets";
import { stackNameOf } from "../platform/naming";
import type { Git } from "./git";
import type { StackRef } from "./affected";

/** A stack as the specs at some commit define it, with the environment's allowDestroys there. */
export interface StackAt extends StackRef {
  allowDestroys: boolean;
}

/** The services folder as a repository-relative path ("services"), for reading it at other commits. */
export function repoRelative(git: Git, dir: string): string {
  const rel = path.relative(fs.realpathSync(git.topLevel()), fs.realpathSync(path.resolve(dir)));
  if (rel.startsWith("..") || path.isAbsolute(rel))
    throw new SpecError([
      { file: dir, line: 1, col: 1, field: "", message: "the services folder is outside the git repository" },
    ]);
  return rel.split(path.sep).join("/") || ".";
}

/** The stacks the specs of `commit` define, and notes about specs that were read without validation. */
export interface StacksAt {
  stacks: StackAt[];
  notes: string[];
}

/**
 * The stacks every `<dir>/<id>/service.yaml` of `commit` defines. Each folder's files are copied to a
 * temporary folder so the loader finds BigQuery table schemas beside the spec as usual. A spec that this
 * version's loader rejects (rules get stricter; the change under review may fix the spec) is read once more
 * without validation: only its service ID and its environments' IDs, categories and allowDestroys count here.
 * A spec that is not even that throws `SpecError`, with messages naming `<commit>:<path>`.
 */
export function stacksAt(git: Git, commit: string, dir: string): StacksAt {
  const byService = new Map<string, string[]>();
  for (const file of git.filesAt(commit, dir)) {
    const rest = file.slice(dir.length + 1).split("/");
    if (rest.length !== 2) continue; // only files directly in a service folder
    const [id, name] = rest as [string, string];
    byService.set(id, [...(byService.get(id) ?? []), name]);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "msp-base-"));
  const out: StacksAt = { stacks: [], notes: [] };
  const issues: SpecError["issues"] = [];
  try {
    for (const [id, names] of [...byService].sort(([a], [b]) => a.localeCompare(b))) {
      if (!names.includes(SPEC_FILE)) continue;
      fs.mkdirSync(path.join(tmp, id));
      for (const name of names)
        if (name === SPEC_FILE || name.endsWith(".bigquerytable.json"))
          fs.writeFileSync(path.join(tmp, id, name), git.show(commit, `${dir}/${id}/${name}`));
      const file = path.join(tmp, id, SPEC_FILE);
      const bytes = fs.readFileSync(file);
      try {
        out.stacks.push(...stacksOf([parseServiceSpec(file, bytes)]));
      } catch (e) {
        if (!(e instanceof SpecError)) throw e;
        const shown = `${commit.slice(0, 12)}:${dir}/${id}/${SPEC_FILE}`;
        const lenient = unvalidatedStacks(bytes, id);
        if (lenient) {
          out.stacks.push(...lenient);
          out.notes.push(
            `${shown} is not valid under the current rules; its environments were read as written`,
          );
        } else issues.push(...e.issues.map((i) => ({ ...i, file: i.file === file ? shown : i.file })));
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (issues.length) throw new SpecError(issues);
  return out;
}

/** Stacks from a spec's raw YAML, or undefined when even the IDs and categories are not there. */
function unvalidatedStacks(bytes: Buffer, folder: string): StackAt[] | undefined {
  let doc: unknown;
  try {
    doc = parse(bytes.toString("utf8"), { maxAliasCount: 100 });
  } catch {
    return undefined;
  }
  const spec = doc as { service?: { id?: unknown }; environments?: unknown };
  const service = spec?.service?.id;
  if (service !== folder || !Array.isArray(spec.environments)) return undefined;
  const stacks: StackAt[] = [];
  for (const env of spec.environments as { id?: unknown; category?: unknown; allowDestroys?: unknown }[]) {
    const { id, category, allowDestroys } = env ?? {};
    if (typeof id !== "string" || !/^[a-z0-9-]+$/.test(id)) return undefined;
    if (!(CATEGORIES as readonly unknown[]).includes(category)) return undefined;
    stacks.push({
      stack: stackNameOf(service, id),
      service,
      env: id,
      category: category as string,
      allowDestroys: allowDestroys === true,
    });
  }
  return stacks;
}

export function stacksOf(services: readonly LoadedService[]): StackAt[] {
  return listStacks(services).map((t) => ({
    stack: t.name,
    service: t.service.spec.service.id,
    env: t.env.id,
    category: t.env.category,
    allowDestroys: t.env.allowDestroys === true,
  }));
}
