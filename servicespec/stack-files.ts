/**
 * Every environment is a Pulumi stack, and `pulumi up` reads the stack's config from its stack file,
 * `<stackConfigDir>/Pulumi.<service>-<env>.yaml` beside the services folder (`stackFileFor` below: where
 * `msp init` and `msp init-env` write it; program/config.ts reads it by the same rule). An environment without
 * one would validate and preview, then fail at its first deploy: the loader reports it at the environment's
 * `id`, with the command that writes it.
 *
 * Stack files are required where the project keeps them: a stack folder beside the services folder holding at
 * least one stack file. A scratch copy of a services folder or a test fixture (no stack folder, or one with no
 * stack file yet) requires nothing.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { asProjectFile, PulumiFileError, readPulumiFile } from "./pulumi-files";
import { findPulumiProject } from "./security-rules";
import { ENVIRONMENT_ID, stackNameOf } from "../platform/naming";

const SERVICE_ID = /^[a-z0-9-]{1,20}$/;

const stackDirs = new Map<string, string | undefined>();

/**
 * The `stackConfigDir` of the Pulumi project that applies to `servicesDir` (undefined: the project's folder): the
 * one above it, else above the working directory (as the Pulumi CLI finds it), else msp's own.
 */
function stackConfigDir(servicesDir: string): string | undefined {
  const project =
    findPulumiProject(servicesDir) ?? findPulumiProject(process.cwd()) ?? findPulumiProject(__dirname);
  if (!project) return undefined;
  if (!stackDirs.has(project)) {
    let dir: string | undefined;
    try {
      dir = asProjectFile(readPulumiFile(project)).stackConfigDir;
    } catch (e) {
      // An unreadable project file is reported by the checks that read its settings.
      if (!(e instanceof PulumiFileError)) throw e;
    }
    stackDirs.set(project, dir);
  }
  return stackDirs.get(project);
}

/**
 * Where the stack file of `<svc>-<env>` lives for specs in `servicesDir`: the project's stackConfigDir in the
 * folder the services folder is in (stacks/ beside services/). `msp init` and `msp init-env` write it there.
 */
export function stackFileFor(servicesDir: string, svc: string, env: string): string {
  const root = path.dirname(path.resolve(servicesDir));
  return path.join(root, stackConfigDir(servicesDir) ?? ".", `Pulumi.${stackNameOf(svc, env)}.yaml`);
}

const shown = (file: string) => {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
};

/**
 * The environments of a spec (its parsed value, valid or not) whose stack file is missing, by index in
 * `environments`, with the message to report at the environment's `id`.
 */
export function missingStackFiles(value: unknown, servicesDir: string): { index: number; message: string }[] {
  const spec = value as { service?: { id?: unknown }; environments?: unknown };
  const svc = spec?.service?.id;
  if (typeof svc !== "string" || !SERVICE_ID.test(svc) || !Array.isArray(spec.environments)) return [];
  const folder = path.join(path.dirname(path.resolve(servicesDir)), stackConfigDir(servicesDir) ?? ".");
  const present = stackFilesIn(folder);
  if (!present.size) return [];
  const out: { index: number; message: string }[] = [];
  spec.environments.forEach((env: unknown, index) => {
    const e = env as { id?: unknown; projectID?: unknown };
    if (typeof e?.id !== "string" || !ENVIRONMENT_ID.test(e.id)) return;
    const file = stackFileFor(servicesDir, svc, e.id);
    if (present.has(path.basename(file))) return;
    const project = typeof e.projectID === "string" ? e.projectID : "<projectID>";
    out.push({
      index,
      message: `has no stack file ${shown(file)} (pulumi up reads the stack's config there): run npx msp init-env ${svc} ${e.id} to write it, or create it with "config:" and "  gcp:project: ${project}"`,
    });
  });
  return out;
}

/** The stack files (`Pulumi.<stack>.yaml`) in a folder; none when it is missing or cannot be listed. */
function stackFilesIn(folder: string): Set<string> {
  try {
    return new Set(
      fs.readdirSync(folder).filter((f) => /^Pulumi\.[^.]+.*\.yaml$/.test(f) && f !== "Pulumi.yaml"),
    );
  } catch {
    return new Set();
  }
}
