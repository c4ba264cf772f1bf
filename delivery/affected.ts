/** Which stacks a change touches (pure): a spec change touches its service; shared code touches everything. */
import { categoryRank } from "../platform/categories";

export interface StackRef {
  stack: string;
  service: string;
  env: string;
  category: string;
}

/** Paths whose change affects every stack: the components, policies, the program and what it runs on. */
const EVERYTHING = [
  /^platform\//,
  /^plans\//,
  /^components\//,
  /^resolve\//,
  /^policy\//,
  /^policy-emulator\//,
  /^pulumi-sdk\//,
  /^program\//,
  /^servicespec\//,
  /^index\.ts$/,
  /^Pulumi\.yaml$/,
  /^package(-lock)?\.json$/,
  /^tsconfig\.json$/,
];
/** Paths that never change infrastructure. */
const NOTHING = [
  /^docs\//,
  /^test\//,
  /^cli\//,
  /^handbook\//,
  /^engine\//,
  /^runner\//,
  /^delivery\//,
  /^bin\//,
  /^schema\//,
  /^\.github\//,
  /^\.ci\//,
  /\.md$/,
  /^\.[a-z]+rc(\.json)?$/,
  /^eslint\.config\.mjs$/,
  /^\.gitignore$/,
  /^\.prettierignore$/,
];

export function affectedStacks<T extends StackRef>(changed: readonly string[], stacks: readonly T[]): T[] {
  const hit = new Set<string>();
  for (const file of changed) {
    if (EVERYTHING.some((r) => r.test(file))) return [...stacks];
    const spec = /^services\/([^/]+)\//.exec(file);
    if (spec) {
      for (const s of stacks) if (s.service === spec[1]) hit.add(s.stack);
      continue;
    }
    const stackFile = /^stacks\/Pulumi\.(.+)\.yaml$/.exec(file);
    if (stackFile) {
      hit.add(stackFile[1]!);
      continue;
    }
    if (NOTHING.some((r) => r.test(file))) continue;
    // Unknown files could matter: be safe and preview everything.
    return [...stacks];
  }
  return stacks.filter((s) => hit.has(s.stack));
}

/** Stacks of the base that the change removes (a renamed service: its old stacks, the new ones are added). */
export function removedStacks<T extends StackRef>(base: readonly T[], head: readonly StackRef[]): T[] {
  const now = new Set(head.map((s) => s.stack));
  return base.filter((s) => !now.has(s.stack));
}

/** Deploy order: by the category table's rank (test, internal, external), then by name; unknown ones last. */
export function deployOrder<T extends StackRef>(stacks: readonly T[]): T[] {
  const rank = (s: StackRef) => categoryRank(s.category) ?? Number.MAX_SAFE_INTEGER;
  return [...stacks].sort((a, b) => rank(a) - rank(b) || a.stack.localeCompare(b.stack));
}

/**
 * The changed files that can change what the stack program builds besides the specs, stack files and the
 * project's settings: code (components, the program, the resolver, policies, dependencies) and unknown files.
 * When there are none, a base commit can be planned with this checkout's code and the base's specs
 * (`msp diff <stack> --base`); otherwise the base needs its own code.
 */
export function codeChanges(changed: readonly string[]): string[] {
  const data = [/^services\//, /^stacks\/Pulumi\.[^/]+\.yaml$/, /^Pulumi\.yaml$/];
  return changed.filter((f) => !data.some((r) => r.test(f)) && !NOTHING.some((r) => r.test(f)));
}
