/**
 * Where each stack was last deployed from: the git ref `refs/msp/deployed/<stack>`, which the deploy job
 * pushes right after a successful `pulumi up` (and deletes after `pulumi destroy`). A deploy run computes what
 * to deploy against these records, not against the previous push: a run that was cancelled, dropped from the
 * concurrency queue or failed leaves its stacks' records behind, so the next run deploys their changes too.
 *
 * Why a git ref rather than a Pulumi stack tag: the plan job reads every record with one `git fetch`, without
 * cloud credentials; the record is written only by the job that deployed; `git log` shows its history; and a
 * record that is not an ancestor of the deployed branch (history rewritten) is ignored, so the stack deploys.
 */
import { affectedStacks, deployOrder, type StackRef } from "./affected";
import type { StackAt } from "./base-specs";
import type { Git } from "./git";

export const DEPLOYED_PREFIX = "refs/msp/deployed/";

export const deployedRef = (stack: string): string => `${DEPLOYED_PREFIX}${stack}`;

/** A stack to deploy and the commit it was last deployed from (null: never, so everything is new). */
export interface DeployTarget extends StackRef {
  since: string | null;
}

export interface RemovedTarget extends StackAt {
  since: string;
}

export interface DeployPlan {
  include: DeployTarget[];
  removed: RemovedTarget[];
  /** Records that were ignored, and why (printed as warnings). */
  ignored: string[];
}

/** Valid records: stack -> commit, for refs that point to an ancestor of HEAD. */
export function deployedRecords(git: Git): { records: Map<string, string>; ignored: string[] } {
  const records = new Map<string, string>();
  const ignored: string[] = [];
  for (const [ref, sha] of git.refs(DEPLOYED_PREFIX)) {
    const stack = ref.slice(DEPLOYED_PREFIX.length);
    if (!/^[a-z0-9-]+$/.test(stack)) ignored.push(`${ref}: not a stack name`);
    else if (!git.isAncestor(sha)) ignored.push(`${ref}: ${sha.slice(0, 12)} is not an ancestor of HEAD`);
    else records.set(stack, sha);
  }
  return { records, ignored };
}

/**
 * What a deploy run must do: every stack of HEAD changed since its record (or without one), and every
 * recorded stack HEAD no longer defines (to destroy). `stacksAtCommit` reads the specs of a recorded commit.
 */
export function planDeploy(
  git: Git,
  head: readonly StackRef[],
  stacksAtCommit: (commit: string) => StackAt[],
): DeployPlan {
  const { records, ignored } = deployedRecords(git);
  const changedCache = new Map<string, string[]>();
  const changed = (since: string) => {
    let files = changedCache.get(since);
    if (!files) changedCache.set(since, (files = git.changedSince(since)));
    return files;
  };
  const include: DeployTarget[] = [];
  for (const s of head) {
    const since = records.get(s.stack) ?? null;
    if (since === null || affectedStacks(changed(since), [s]).length) include.push({ ...s, since });
  }
  const removed = removedSinceDeployed(records, head, stacksAtCommit, ignored);
  return { include: deployOrder(include), removed, ignored };
}

/** Recorded stacks that HEAD no longer defines, as the specs of their recorded commit define them. */
export function removedSinceDeployed(
  records: ReadonlyMap<string, string>,
  head: readonly StackRef[],
  stacksAtCommit: (commit: string) => StackAt[],
  ignored: string[],
): RemovedTarget[] {
  const removed: RemovedTarget[] = [];
  const headNames = new Set(head.map((s) => s.stack));
  for (const [stack, since] of records) {
    if (headNames.has(stack)) continue;
    const was = stacksAtCommit(since).find((s) => s.stack === stack);
    if (was) removed.push({ ...was, since });
    else ignored.push(`${deployedRef(stack)}: no spec defines ${stack} at ${since.slice(0, 12)}`);
  }
  return deployOrder(removed);
}
