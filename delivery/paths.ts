/** Small helpers over resource inputs: dotted paths and names. */

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The value at a dotted path into nested objects, e.g. "settings.backupConfiguration.enabled". */
export function getPath(obj: unknown, dotted: string): unknown {
  let v = obj;
  for (const key of dotted.split(".")) {
    if (!isObject(v) || !Object.hasOwn(v, key)) return undefined;
    v = v[key];
  }
  return v;
}

/** A copy of `obj` without the values at the given dotted paths (Pulumi `ignoreChanges`). */
export function withoutPaths(
  obj: Record<string, unknown>,
  paths: readonly string[],
): Record<string, unknown> {
  if (!paths.length) return obj;
  const copy = structuredClone(obj);
  for (const dotted of paths) {
    const keys = dotted.split(".");
    let v: unknown = copy;
    for (const key of keys.slice(0, -1)) v = isObject(v) ? v[key] : undefined;
    if (isObject(v)) delete v[keys[keys.length - 1]!];
  }
  return copy;
}

/** Deep equality of JSON values (key order does not matter). */
export { sameJson as sameValue } from "../engine/model/same-json";
