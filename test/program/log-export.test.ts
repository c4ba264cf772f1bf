/**
 * Logs in BigQuery (issue 24.5, extension `environments[].logging.exportToBigQuery`) through the stack program:
 * a protected dataset, one project sink with its own writer identity and partitioned tables, and that identity
 * granted on the logs dataset only. releaseregistry-prod turns it on; releaseregistry-dev does not.
 */
import * as assert from "node:assert/strict";
import { get, ofType, one, planOf } from "../helpers/stacks";
import { exampleResolved } from "../helpers/stacks";

const SINK = "gcp:logging/projectSink:ProjectSink";
const DATASET = "gcp:bigquery/dataset:Dataset";
const GRANT = "gcp:bigquery/datasetIamMember:DatasetIamMember";

describe("logs in BigQuery (logging.exportToBigQuery)", () => {
  it("resolves the dataset, the sink and the streams for releaseregistry-prod only", () => {
    const [prod, dev] = ["prod", "dev"].map((e) =>
      exampleResolved("releaseregistry").environments.find((x) => x.envId === e)!,
    );
    assert.equal(dev!.logExport, undefined);
    const logs = prod!.logExport!;
    assert.equal(logs.projectId, "releaseregistry-prod-5421");
    assert.equal(logs.datasetId, "logs");
    assert.deepEqual(
      logs.streams.map((s) => s.table),
      ["requests", "run_googleapis_com_requests", "run_googleapis_com_stdout", "run_googleapis_com_stderr"],
    );
  });

  it("creates a protected dataset and a partitioned sink with a unique writer identity", async () => {
    const plan = await planOf("releaseregistry-prod");
    const dataset = ofType(plan, DATASET).find((r) => r.inputs.datasetId === "logs");
    assert.ok(dataset, "the logs dataset");
    assert.equal(dataset.protect, true);
    assert.equal(dataset.inputs.deleteContentsOnDestroy, false);
    assert.equal(dataset.inputs.project, "releaseregistry-prod-5421");
    const sink = one(plan, SINK);
    assert.equal(sink.inputs.uniqueWriterIdentity, true);
    assert.equal(get(sink.inputs, "bigqueryOptions.usePartitionedTables"), true);
    assert.equal(
      sink.inputs.destination,
      "bigquery.googleapis.com/projects/releaseregistry-prod-5421/datasets/logs",
    );
    const filter = sink.inputs.filter as string;
    for (const part of [
      'resource.type="http_load_balancer"',
      "logs/run.googleapis.com%2Frequests",
      "logs/run.googleapis.com%2Fstdout",
      "logs/run.googleapis.com%2Fstderr",
    ])
      assert.ok(filter.includes(part), `the filter takes ${part}`);
    const parent = plan.resources.find((r) => r.urn === sink.parent);
    assert.equal(parent?.type, "msp:gcp:LogExport");
  });

  it("grants the sink's writer identity dataEditor on the logs dataset, and nothing else", async () => {
    const plan = await planOf("releaseregistry-prod");
    const writer = one(plan, SINK).outputs.writerIdentity as string;
    assert.match(writer, /^serviceAccount:service-\d+@gcp-sa-logging\.iam\.gserviceaccount\.com$/);
    const grants = plan.resources.filter((r) => JSON.stringify(r.inputs).includes(writer.split(":")[1]!));
    assert.deepEqual(
      grants.map((g) => [g.type, g.inputs.datasetId, g.inputs.role]),
      [[GRANT, "logs", "roles/bigquery.dataEditor"]],
    );
  });

  it("the writer identity is unknown in a preview, as the API computes it", async () => {
    const plan = await planOf("releaseregistry-prod", "preview");
    const grant = ofType(plan, GRANT).find((g) => g.inputs.datasetId === "logs");
    assert.equal(typeof grant?.inputs.member, "string");
    assert.match(grant!.inputs.member as string, /^04da6b54-80e4-46f7-96ec-b56ff0331ba9$/);
  });

  it("an environment without it has no sink", async () => {
    const plan = await planOf("releaseregistry-dev");
    assert.equal(ofType(plan, SINK).length, 0);
    assert.ok(!ofType(plan, DATASET).some((r) => r.inputs.datasetId === "logs"));
  });
});
