/**
 * The files a stack's plan reads, as they were at another commit, written to a temporary folder shaped like the
 * repository: the services folder (every service: the loader checks claims across services), the project's
 * Pulumi.yaml (platform settings) and the stack files. `msp diff <stack> --base <ref>` plans the base from it
 * with this checkout's code, so a pull request that changes only specs is reviewed without a second checkout.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Git } from "./git";
import { sdkNodeModules } from "../pulumi-sdk/versions";

export interface TreeAt {
  /** The temporary root: `<root>/Pulumi.yaml`, `<root>/stacks/`, `<root>/<services>/`. */
  root: string;
  /** The services folder in it. */
  services: string;
  remove(): void;
}

/**
 * Writes `<servicesRel>/**` and, when `projectRel` is given (the folder of Pulumi.yaml, repository-relative),
 * its Pulumi.yaml and `stacks/Pulumi.*.yaml` at `commit` into a new temporary folder.
 */
export function treeAt(
  git: Git,
  commit: string,
  servicesRel: string,
  projectRel: string | undefined,
): TreeAt {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "msp-base-tree-"));
  const services = path.join(root, "services");
  const write = (file: string, to: string) => {
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.writeFileSync(to, git.show(commit, file));
  };
  try {
    const prefix = servicesRel === "." ? "" : `${servicesRel}/`;
    for (const file of git.filesAt(commit, servicesRel))
      write(file, path.join(services, ...file.slice(prefix.length).split("/")));
    fs.mkdirSync(services, { recursive: true });
    if (projectRel !== undefined) {
      const at = (f: string) => (projectRel === "." ? f : `${projectRel}/${f}`);
      write(at("Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
      // Every stack file: the loader checks that each environment of the service has one.
      const stacks = at("stacks");
      for (const file of git.filesAt(commit, stacks))
        if (/^Pulumi\.[^/]+\.yaml$/.test(file.slice(stacks.length + 1)))
          write(file, path.join(root, "stacks", file.slice(stacks.length + 1)));
    }
    // A service's own resources.ts resolves @pulumi/* through this link (pulumi-sdk/versions.ts says why).
    fs.symlinkSync(sdkNodeModules(), path.join(root, "node_modules"), "dir");
  } catch (e) {
    remove(root);
    throw e;
  }
  return { root, services, remove: () => remove(root) };
}

/** Removes the temporary tree: the node_modules link first (the link, never what it points to). */
function remove(root: string): void {
  fs.rmSync(path.join(root, "node_modules"), { force: true });
  fs.rmSync(root, { recursive: true, force: true });
}
