/**
 * JSON Schema of service.yaml, generated from the zod schema so editors validate and complete specs.
 * Draft-07: the dialect the YAML language server (VS Code's YAML extension, and the editors built on it) and
 * most other tools support best. The descriptions, defaults and examples come from the `.meta()` of each
 * field in servicespec/schema.ts; enum values carry `enumDescriptions`, which the YAML language server shows on
 * hover and completion.
 */
import { z } from "zod";
import { specSchema } from "./schema";

export const SCHEMA_PATH = "schema/service.schema.json";
export const SCHEMA_DIALECT = "http://json-schema.org/draft-07/schema#";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** `enumDescriptions` is written per value in servicespec/schema.ts; the schema wants a list in `enum` order. */
function orderEnumDescriptions(node: Json): Json {
  if (Array.isArray(node)) return node.map(orderEnumDescriptions);
  if (!node || typeof node !== "object") return node;
  const out: { [k: string]: Json } = {};
  for (const [k, v] of Object.entries(node)) out[k] = orderEnumDescriptions(v);
  const byValue = out.enumDescriptions;
  if (byValue && typeof byValue === "object" && !Array.isArray(byValue)) {
    if (!Array.isArray(out.enum)) throw new Error("enumDescriptions on a field without enum");
    out.enumDescriptions = out.enum.map((v) => {
      const d = byValue[typeof v === "string" ? v : JSON.stringify(v)];
      if (typeof d !== "string") throw new Error(`enum value ${JSON.stringify(v)} has no description`);
      return d;
    });
  }
  return out;
}

export function serviceJsonSchema(): string {
  const schema = z.toJSONSchema(specSchema, { io: "input", target: "draft-7", unrepresentable: "any" });
  const doc = {
    $schema: SCHEMA_DIALECT,
    $id: "https://github.com/sourcegraph/msp/schema/service.schema.json",
    ...(orderEnumDescriptions(schema as Json) as object),
  };
  return JSON.stringify(doc, null, 2) + "\n";
}
