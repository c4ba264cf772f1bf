/** The usage errors of the commands that read git and stack exports (msp affected, msp diff). */
import { GitError } from "../delivery/git";
import { StackExportError } from "../engine/read-export";
import { UsageError } from "./errors";

/** Problems with git or an export are usage errors: exit 2, the input could not be used. */
export function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof GitError || e instanceof StackExportError) throw new UsageError(e.message);
    throw e;
  }
}
