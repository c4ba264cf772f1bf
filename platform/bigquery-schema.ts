/**
 * What a change of a BigQuery table's `schema` input (a JSON array of columns) does, following the Google
 * provider's `resourceBigQueryTableSchemaIsChangeable` (terraform-provider-google,
 * google/services/bigquery/resource_bigquery_table.go): some changes apply in place, others replace the table.
 * Either way a dropped column's data is gone, so dropped columns are reported separately.
 */

interface Column {
  name: string;
  type?: string;
  mode?: string;
  fields?: Column[];
}

/** Parses a schema input; undefined when it is not a list of named columns (the caller fails closed). */
export function parseSchema(value: unknown): Column[] | undefined {
  let v = value;
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  if (v === null || v === undefined) return [];
  return isColumnList(v) ? v : undefined;
}

function isColumnList(v: unknown): v is Column[] {
  return (
    Array.isArray(v) &&
    v.every(
      (c) =>
        typeof c === "object" &&
        c !== null &&
        typeof (c as Column).name === "string" &&
        ((c as Column).fields === undefined || isColumnList((c as Column).fields)),
    )
  );
}

/** Columns (dotted for nested ones) of `before` that `after` no longer has. */
export function droppedColumns(before: readonly Column[], after: readonly Column[], prefix = ""): string[] {
  const now = new Map(after.map((c) => [c.name, c]));
  const out: string[] = [];
  for (const c of before) {
    const kept = now.get(c.name);
    const name = prefix + c.name;
    if (!kept) out.push(name);
    else if (c.fields) out.push(...droppedColumns(c.fields, kept.fields ?? [], `${name}.`));
  }
  return out;
}

// The provider compares types case-insensitively, with these legacy and standard SQL names equal.
const SAME_TYPE = [
  ["INTEGER", "INT64"],
  ["FLOAT", "FLOAT64"],
  ["BOOLEAN", "BOOL"],
];
const typeKey = (t: string) => {
  const up = t.toUpperCase();
  return SAME_TYPE.find((set) => set.includes(up))?.[0] ?? up;
};
const modeOf = (m: string | undefined) => (m ?? "NULLABLE").toUpperCase();

/** True when the provider replaces the table (drops and recreates it with all its rows) for this change. */
export function schemaForcesReplacement(before: readonly Column[], after: readonly Column[]): boolean {
  return !changeable(before, after, true);
}

function changeable(before: readonly Column[], after: readonly Column[], topLevel: boolean): boolean {
  const old = new Map(before.map((c) => [c.name, c]));
  const now = new Map(after.map((c) => [c.name, c]));
  // A new REQUIRED column cannot be added to existing rows.
  for (const [name, c] of now) if (!old.has(name) && modeOf(c.mode) === "REQUIRED") return false;
  let dropped = 0;
  let kept = 0;
  for (const [name, c] of old) {
    const n = now.get(name);
    if (!n) {
      // Top-level columns can be dropped in place (ALTER TABLE DROP COLUMN); nested ones cannot.
      if (!topLevel) return false;
      dropped++;
      continue;
    }
    if (!columnChangeable(c, n)) return false;
    kept++;
  }
  // Dropping and adding columns at once could be a rename: the provider replaces the table.
  const added = after.length - kept;
  return dropped === 0 || added === 0;
}

function columnChangeable(before: Column, after: Column): boolean {
  if (before.type !== undefined && after.type !== undefined && typeKey(before.type) !== typeKey(after.type))
    return false;
  const from = modeOf(before.mode);
  const to = modeOf(after.mode);
  // Only relaxing REQUIRED to NULLABLE is allowed in place.
  if (from !== to && !(from === "REQUIRED" && to === "NULLABLE")) return false;
  if (before.fields || after.fields) return changeable(before.fields ?? [], after.fields ?? [], false);
  return true;
}
