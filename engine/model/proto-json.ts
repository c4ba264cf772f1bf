/**
 * How Google's APIs write a stored message back as JSON (proto3's JSON mapping): a field that holds its type's
 * default value is omitted, "If a field has the default value in the protocol buffer, it will be omitted in the
 * JSON-encoded data by default" (https://protobuf.dev/programming-guides/proto3/#json-options). Defaults are 0,
 * false, "", an empty repeated field and an enum's zero value; a message field that is set stays, even empty
 * (`"collapsibleGroup": {}`). Durations are written as seconds with 0, 3, 6 or 9 fractional digits ("60s",
 * "1.500s": https://protobuf.dev/programming-guides/proto3/#json, `Duration`).
 */

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A scalar or list that proto3 JSON leaves out; `enumZeros` are the enum values numbered 0 in the schema. */
function isDefault(v: unknown, enumZeros: ReadonlySet<string>): boolean {
  if (v === 0 || v === false || v === "" || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === "string" && (enumZeros.has(v) || v.endsWith("_UNSPECIFIED"));
}

/** `value` as the API returns it: every default-valued field omitted, at any depth. */
export function withoutProtoDefaults(value: unknown, enumZeros: ReadonlySet<string> = new Set()): unknown {
  if (Array.isArray(value)) return value.map((x) => withoutProtoDefaults(x, enumZeros));
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const kept = withoutProtoDefaults(v, enumZeros);
    if (!isDefault(kept, enumZeros)) out[k] = kept;
  }
  return out;
}

/** A `google.protobuf.Duration` in the form the API writes it ("600s", "1.500s"); other text is returned as is. */
export function canonicalDuration(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const m = /^(\d+)(?:\.(\d{1,9}))?s$/.exec(v);
  if (!m) return v;
  const seconds = BigInt(m[1]!).toString();
  const fraction = (m[2] ?? "").replace(/0+$/, "");
  if (!fraction) return `${seconds}s`;
  const digits = fraction.length <= 3 ? 3 : fraction.length <= 6 ? 6 : 9;
  return `${seconds}.${fraction.padEnd(digits, "0")}s`;
}
