/**
 * "Did you mean" for names the user typed: spec keys and template variables (the loader, servicespec/values.ts) and the
 * services, environments and stacks a command names (cli/lookup.ts). One rule everywhere, so every command
 * suggests alike.
 */
import { closest, distance } from "fastest-levenshtein";

/** Suggestions shown at most: more is a list, not a guess. */
const MAX_SUGGESTIONS = 3;

/** The candidate a typo of `value` most likely meant: within an edit distance of a third of its length (2 at least). */
export function closestName(value: string, candidates: readonly string[]): string | undefined {
  if (!candidates.length) return undefined;
  const guess = closest(value, [...candidates]);
  return distance(value.toLowerCase(), guess.toLowerCase()) <= Math.max(2, Math.floor(value.length / 3))
    ? guess
    : undefined;
}

/**
 * The names `value` may have meant, best first: the closest by spelling, then the names `value` is a whole
 * '-'-separated part of or starts (`orders` -> `orders-api`, `orders-api` -> `orders-api-prod`), at most three.
 */
export function suggestNames(value: string, candidates: readonly string[]): string[] {
  const out: string[] = [];
  const near = closestName(value, candidates);
  if (near !== undefined && near !== value) out.push(near);
  const v = value.toLowerCase();
  for (const c of [...candidates].sort()) {
    const lc = c.toLowerCase();
    if (lc === v || out.includes(c)) continue;
    if (lc.startsWith(`${v}-`) || lc.split("-").includes(v) || (v.length >= 3 && lc.startsWith(v)))
      out.push(c);
  }
  return out.slice(0, MAX_SUGGESTIONS);
}

/** ` (did you mean "a"?)`, ` (did you mean "a" or "b"?)`, or "" when nothing is close. */
export function didYouMean(value: string, candidates: readonly string[]): string {
  const names = suggestNames(value, candidates).map((n) => JSON.stringify(n));
  if (!names.length) return "";
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
  return ` (did you mean ${list}?)`;
}
