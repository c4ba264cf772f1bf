/**
 * What a reviewer reads in a diff: every changed input as `path: before -> after`, down to the leaf that changed.
 * Long structured values are diffed by path instead of printed whole: nested objects key by key, lists of objects
 * by the field that identifies an element (a Cloud Armor rule by its `priority`, an alert condition by its
 * `displayName`, an environment variable by its `name`), and strings holding JSON (a dashboard's
 * `dashboardJson`, a BigQuery table's `schema`) parsed and diffed the same way. Secrets never show: a value that
 * is a Pulumi secret on either side (engine/redact.ts: the signature Pulumi marks secrets with, encrypted or
 * `--show-secrets` plaintext alike) is masked on both sides.
 */
import { isSecret, REDACTED } from "../engine/redact";
import { sameValue } from "./paths";

export interface ValueChange {
  /** Dotted path from the input: `template.containers[0].image`, `rules[priority=1000].action`. */
  path: string;
  /** The value before; absent when the path was unset. */
  before?: unknown;
  /** The value after; absent when the path is now unset. */
  after?: unknown;
}

/** Fields that identify an element of a list of objects, in the order they are tried. */
const IDENTITY_FIELDS = ["name", "displayName", "priority", "key", "id", "role", "title"] as const;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !isSecret(v);

/** A JSON document inside a string (objects and lists only), or undefined. */
function parsedJson(v: unknown): unknown {
  if (typeof v !== "string" || !/^\s*[[{]/.test(v)) return undefined;
  try {
    const parsed = JSON.parse(v) as unknown;
    return typeof parsed === "object" && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** A field whose scalar value is present and unique in every element of both lists, if any. */
function identityField(a: unknown[], b: unknown[]): string | undefined {
  const all = [...a, ...b];
  if (!all.length || !all.every(isObject)) return undefined;
  return IDENTITY_FIELDS.find((f) =>
    [a, b].every((list) => {
      const values = (list as Record<string, unknown>[]).map((x) => x[f]);
      return (
        values.every((v) => typeof v === "string" || typeof v === "number") &&
        new Set(values).size === values.length
      );
    }),
  );
}

const mask = (v: unknown) => (v === undefined ? undefined : REDACTED);

/** The changes from `before` to `after` under `path` (both already known to differ or not). */
function walk(before: unknown, after: unknown, path: string, out: ValueChange[]): void {
  if (sameValue(before, after)) return;
  const leaf = (b: unknown, a: unknown) => {
    const c: ValueChange = { path };
    if (b !== undefined) c.before = b;
    if (a !== undefined) c.after = a;
    out.push(c);
  };
  if (isSecret(before) || isSecret(after)) return leaf(mask(before), mask(after));
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const k of keys) walk(before[k], after[k], path ? `${path}.${k}` : k, out);
    return;
  }
  if (
    Array.isArray(before) &&
    Array.isArray(after) &&
    [...(before as unknown[]), ...(after as unknown[])].some((x) => typeof x === "object")
  ) {
    const id = identityField(before, after);
    if (id) {
      const byId = (list: unknown[]) => new Map(list.map((x) => [(x as Record<string, unknown>)[id], x]));
      const [x, y] = [byId(before), byId(after)];
      for (const k of new Set([...x.keys(), ...y.keys()]))
        walk(x.get(k), y.get(k), `${path}[${id}=${String(k)}]`, out);
    } else
      for (let i = 0; i < Math.max(before.length, after.length); i++)
        walk(before[i], after[i], `${path}[${i}]`, out);
    return;
  }
  const [x, y] = [parsedJson(before), parsedJson(after)];
  if (x !== undefined && y !== undefined) {
    const inner: ValueChange[] = [];
    walk(x, y, "", inner);
    // A JSON string only reformatted (same document) is still a change of the input: show it as one.
    if (!inner.length) return leaf(before, after);
    for (const c of inner) out.push({ ...c, path: `${path}${c.path.startsWith("[") ? "" : "."}${c.path}` });
    return;
  }
  leaf(before, after);
}

/** Every changed leaf between two inputs objects (or any two JSON values), secrets masked. */
export function valueChanges(before: unknown, after: unknown, path = ""): ValueChange[] {
  const out: ValueChange[] = [];
  walk(before, after, path, out);
  return out;
}

/** Whether a change's path lies under the dotted input path `field` (`settings.tier` under `settings`). */
export function isUnder(change: ValueChange, field: string): boolean {
  const p = change.path;
  return p === field || p.startsWith(`${field}.`) || p.startsWith(`${field}[`);
}
