import * as assert from "node:assert/strict";
import { droppedColumns, parseSchema, schemaForcesReplacement } from "../../platform/bigquery-schema";

const cols = (...names: string[]) => names.map((name) => ({ name, type: "STRING" }));
const record = (name: string, ...fields: string[]) => ({ name, type: "RECORD", fields: cols(...fields) });

describe("BigQuery schema changes (the provider's in-place rules)", () => {
  it("parses the schema input (a JSON string) and refuses what is not a list of named columns", () => {
    assert.deepEqual(parseSchema('[{"name":"a","type":"STRING"}]'), cols("a"));
    assert.deepEqual(parseSchema(undefined), []);
    for (const bad of ["{", '{"name":"a"}', '[{"type":"STRING"}]', '[{"name":"a","fields":[1]}]'])
      assert.equal(parseSchema(bad), undefined, bad);
  });

  it("lists dropped columns, nested ones dotted", () => {
    assert.deepEqual(droppedColumns(cols("a", "b", "c"), cols("a", "c")), ["b"]);
    assert.deepEqual(droppedColumns([record("r", "x", "y")], [record("r", "y")]), ["r.x"]);
    assert.deepEqual(droppedColumns(cols("a"), cols("a", "b")), []);
  });

  it("applies additions, relaxations and top-level drops in place; replaces the table otherwise", () => {
    const inPlace: [unknown[], unknown[]][] = [
      [cols("a"), [...cols("a"), { name: "b", type: "STRING", mode: "NULLABLE" }]],
      [[{ name: "a", type: "STRING", mode: "REQUIRED" }], [{ name: "a", type: "STRING", mode: "NULLABLE" }]],
      [[{ name: "a", type: "INTEGER" }], [{ name: "a", type: "int64" }]],
      [cols("a", "b"), cols("a")],
      [[record("r", "x")], [record("r", "x", "y")]],
    ];
    for (const [a, b] of inPlace)
      assert.equal(schemaForcesReplacement(a as never, b as never), false, JSON.stringify([a, b]));
    const replaced: [unknown[], unknown[]][] = [
      [cols("a"), [...cols("a"), { name: "b", type: "STRING", mode: "REQUIRED" }]],
      [[{ name: "a", type: "STRING", mode: "NULLABLE" }], [{ name: "a", type: "STRING", mode: "REQUIRED" }]],
      [[{ name: "a", type: "STRING" }], [{ name: "a", type: "BYTES" }]],
      [cols("a", "b"), cols("a", "c")],
      [[record("r", "x", "y")], [record("r", "y")]],
    ];
    for (const [a, b] of replaced)
      assert.equal(schemaForcesReplacement(a as never, b as never), true, JSON.stringify([a, b]));
  });
});
