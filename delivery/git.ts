/**
 * The few git reads `msp affected` needs, run with argument vectors (no shell) and with every user-given
 * ref resolved and checked first, so a ref can never be read as an option (`--output=/tmp/f`).
 */
import { execFileSync } from "node:child_process";

export class GitError extends Error {
  override name = "GitError";
}

export class Git {
  constructor(readonly cwd = process.cwd()) {}

  private run(args: string[]): Buffer {
    try {
      return execFileSync("git", args, {
        cwd: this.cwd,
        stdio: ["ignore", "pipe", "pipe"],
        maxBuffer: 256 * 1024 * 1024,
      });
    } catch (e) {
      const stderr = String((e as { stderr?: Buffer }).stderr ?? "").trim();
      throw new GitError(`git ${args[0]} failed: ${stderr.split("\n")[0] || String(e)}`);
    }
  }

  private text(args: string[]): string {
    return this.run(args).toString("utf8");
  }

  /** The full SHA of the commit `ref` names; throws GitError when it names none. */
  resolveCommit(ref: string): string {
    if (!ref || ref.startsWith("-")) throw new GitError(`"${ref}" is not a git ref`);
    let sha: string;
    try {
      sha = this.text(["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]).trim();
    } catch {
      throw new GitError(`"${ref}" names no commit here (fetch it first, e.g. git fetch origin main)`);
    }
    if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha))
      throw new GitError(`"${ref}" did not resolve to a commit`);
    return sha;
  }

  /** Files changed between the merge base of `base` and HEAD, and HEAD (what a pull request changes). */
  changedSince(base: string): string[] {
    return this.text(["diff", "--name-only", "-z", "--end-of-options", `${base}...HEAD`])
      .split("\0")
      .filter(Boolean);
  }

  isAncestor(commit: string, of = "HEAD"): boolean {
    try {
      this.run(["merge-base", "--is-ancestor", "--end-of-options", commit, of]);
      return true;
    } catch {
      return false;
    }
  }

  /** Paths of the files under `dir` (repository-relative, "/"-separated) at `commit`. */
  filesAt(commit: string, dir: string): string[] {
    return this.text(["ls-tree", "-r", "-z", "--name-only", "--end-of-options", commit, "--", `${dir}/`])
      .split("\0")
      .filter(Boolean);
  }

  /** The bytes of `file` (repository-relative) at `commit`. */
  show(commit: string, file: string): Buffer {
    return this.run(["cat-file", "blob", `${commit}:${file}`]);
  }

  isRepository(): boolean {
    try {
      this.run(["rev-parse", "--git-dir"]);
      return true;
    } catch {
      return false;
    }
  }

  topLevel(): string {
    return this.text(["rev-parse", "--show-toplevel"]).trim();
  }

  /** Refs under `prefix` and the commits they point to. */
  refs(prefix: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const line of this.text(["for-each-ref", "--format=%(refname) %(objectname)", prefix]).split("\n")) {
      const [name, sha] = line.split(" ");
      if (name && sha) out.set(name, sha);
    }
    return out;
  }
}
