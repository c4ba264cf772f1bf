/** JSON Schema of service.yaml, generated from the zod schema so editors validate and complete specs. */
import { z } from "zod";
import { specSchema } from "./schema";

export const SCHEMA_PATH = "schema/service.schema.json";

export function serviceJsonSchema(): string {
  const schema = z.toJSONSchema(specSchema, { io: "input", target: "draft-2020-12", unrepresentable: "any" });
  const doc = {
    $id: "https://github.com/sourcegraph/msp/schema/service.schema.json",
    title: "MSP service specification (services/<id>/service.yaml)",
    ...schema,
  };
  return JSON.stringify(doc, null, 2) + "\n";
}
