/** BigQuery table schema files (`<table>.bigquerytable.json`): a JSON array of TableFieldSchema. */
import { z } from "zod";

const FIELD_TYPES = [
  "STRING",
  "BYTES",
  "INTEGER",
  "INT64",
  "FLOAT",
  "FLOAT64",
  "NUMERIC",
  "BIGNUMERIC",
  "BOOLEAN",
  "BOOL",
  "TIMESTAMP",
  "DATE",
  "TIME",
  "DATETIME",
  "GEOGRAPHY",
  "RECORD",
  "STRUCT",
  "JSON",
  "RANGE",
  "INTERVAL",
] as const;

export interface BigQueryField {
  name: string;
  type: (typeof FIELD_TYPES)[number];
  mode?: "NULLABLE" | "REQUIRED" | "REPEATED";
  description?: string;
  fields?: BigQueryField[];
}

const field: z.ZodType<BigQueryField> = z.lazy(() =>
  z.object({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,299}$/, { error: "must be a column name" }),
    type: z.enum(FIELD_TYPES),
    mode: z.enum(["NULLABLE", "REQUIRED", "REPEATED"]).optional(),
    description: z.string().max(1024).optional(),
    fields: z.array(field).optional(),
  }),
);

export const bigQueryTableSchema = z.array(field).min(1, { error: "needs at least one column" });
