/** Structural mutation of a parsed document, shared by the loader's property test and the fuzzer. */

/**
 * A copy of `doc` with the node at index `nodeIdx` (modulo the node count) of a depth-first walk replaced by
 * `value`, or, with `remove`, deleted from its mapping (an item of a list is replaced instead).
 */
export function replaceNode(doc: unknown, nodeIdx: number, value: unknown, remove = false): unknown {
  const copy = structuredClone(doc);
  const nodes: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v))
      v.forEach((x, i) => {
        nodes.push({ parent: v, key: i });
        walk(x);
      });
    else if (v && typeof v === "object")
      for (const [k, x] of Object.entries(v)) {
        nodes.push({ parent: v as Record<string, unknown>, key: k });
        walk(x);
      }
  };
  walk(copy);
  const target = nodes[nodeIdx % nodes.length]!;
  if (remove && !Array.isArray(target.parent)) delete target.parent[target.key as string];
  else (target.parent as Record<string | number, unknown>)[target.key] = value;
  return copy;
}
