import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOptions } from "./options";
import { protectedDataset } from "./bigquery";

export interface LogExportArgs {
  /** The environment's project: the sink reads its logs and the dataset lives there. */
  readonly projectId: pulumi.Input<string>;
  /** The dataset the logs go to (created here). */
  readonly datasetId: string;
  /** Multi-region (US or EU; EUROPE is taken as EU). */
  readonly location: string;
  readonly sinkName: string;
  /** Cloud Logging filter of the entries to export. */
  readonly filter: string;
  readonly labels: Record<string, string>;
  /** Lift the dataset's protection (spec `allowDestroys`). Defaults to false: the logs are kept. */
  readonly allowDestroys?: boolean;
}

/**
 * Logs in BigQuery: a protected dataset and a project sink writing the filtered entries to it in partitioned
 * tables (one per log, no date suffix). The sink's own writer identity is created for it
 * (`uniqueWriterIdentity`) and may edit data in this dataset only, never the project's other datasets.
 */
export class LogExport extends pulumi.ComponentResource {
  public readonly datasetId: pulumi.Output<string>;
  public readonly sinkName: pulumi.Output<string>;
  /** The identity Cloud Logging writes as (`serviceAccount:...`). */
  public readonly writerIdentity: pulumi.Output<string>;

  constructor(name: string, args: LogExportArgs, opts?: pulumi.ComponentResourceOptions) {
    super("msp:gcp:LogExport", name, {}, opts);
    const allowDestroys = args.allowDestroys ?? false;
    const dataset = protectedDataset(this, `${name}-dataset`, {
      ...args,
      allowDestroys,
      description: "Logs routed here by Cloud Logging (msp logging.exportToBigQuery).",
    });
    const sink = new gcp.logging.ProjectSink(
      `${name}-sink`,
      {
        project: args.projectId,
        name: args.sinkName,
        destination: pulumi.interpolate`bigquery.googleapis.com/projects/${dataset.project}/datasets/${dataset.datasetId}`,
        filter: args.filter,
        uniqueWriterIdentity: true,
        bigqueryOptions: { usePartitionedTables: true },
        description: "Routes request logs, stdout and stderr to BigQuery (msp logging.exportToBigQuery).",
      },
      childOptions(this),
    );
    new gcp.bigquery.DatasetIamMember(
      `${name}-writer`,
      {
        project: dataset.project,
        datasetId: dataset.datasetId,
        role: "roles/bigquery.dataEditor",
        member: sink.writerIdentity,
      },
      childOptions(this),
    );
    this.datasetId = dataset.datasetId;
    this.sinkName = sink.name;
    this.writerIdentity = sink.writerIdentity;
    this.registerOutputs({
      datasetId: this.datasetId,
      sinkName: this.sinkName,
      writerIdentity: this.writerIdentity,
    });
  }
}
