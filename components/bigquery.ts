import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOptions, statefulLabels, statefulOptions } from "./options";

export interface BigQueryDatasetArgs {
  /** Project of the dataset (the environment's, or the spec's bigQueryDataset.projectID). */
  readonly projectId: pulumi.Input<string>;
  readonly datasetId: string;
  /** Multi-region (US or EU). */
  readonly location: string;
  /** Table name to schema JSON (the `<table>.bigquerytable.json` files). */
  readonly tables: Readonly<Record<string, string>>;
  readonly workloadMember: pulumi.Input<string>;
  readonly labels: Record<string, string>;
  readonly allowDestroys?: boolean;
}

/** What a protected dataset needs (the spec's dataset, and the logs' one). */
export interface ProtectedDatasetArgs {
  readonly projectId: pulumi.Input<string>;
  readonly datasetId: string;
  /** Multi-region: US or EU (EUROPE, the spec's word, is taken as EU). */
  readonly location: string;
  readonly labels: Record<string, string>;
  readonly allowDestroys: boolean;
  readonly description?: string;
}

/**
 * A dataset kept like every data store: protected from deletion and replacement, labelled as stateful, its
 * contents never deleted with it (unless the spec's allowDestroys lifts the protection).
 */
export function protectedDataset(
  parent: pulumi.Resource,
  name: string,
  args: ProtectedDatasetArgs,
): gcp.bigquery.Dataset {
  return new gcp.bigquery.Dataset(
    name,
    {
      project: args.projectId,
      datasetId: args.datasetId,
      location: args.location === "EUROPE" ? "EU" : args.location,
      ...(args.description !== undefined ? { description: args.description } : {}),
      labels: statefulLabels(args.labels, args.allowDestroys),
      deleteContentsOnDestroy: false,
    },
    statefulOptions(parent, args.allowDestroys),
  );
}

/** A BigQuery dataset and its tables, writable by the workload, protected from deletion. */
export class BigQueryDataset extends pulumi.ComponentResource {
  public readonly datasetId: pulumi.Output<string>;
  public readonly projectId: pulumi.Output<string>;

  constructor(name: string, args: BigQueryDatasetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("msp:gcp:BigQueryDataset", name, {}, opts);
    const allowDestroys = args.allowDestroys ?? false;
    const dataset = protectedDataset(this, `${name}-dataset`, { ...args, allowDestroys });
    const editor = new gcp.bigquery.DatasetIamMember(
      `${name}-data-editor`,
      {
        project: args.projectId,
        datasetId: dataset.datasetId,
        role: "roles/bigquery.dataEditor",
        member: args.workloadMember,
      },
      childOptions(this),
    );
    for (const table of Object.keys(args.tables).sort())
      new gcp.bigquery.Table(
        `${name}-${table}`,
        {
          project: args.projectId,
          datasetId: dataset.datasetId,
          tableId: table,
          schema: args.tables[table]!,
          deletionProtection: !allowDestroys,
          labels: statefulLabels(args.labels, allowDestroys),
        },
        statefulOptions(this, allowDestroys, { dependsOn: [editor] }),
      );
    this.datasetId = dataset.datasetId;
    this.projectId = dataset.project;
    this.registerOutputs({ datasetId: this.datasetId, projectId: this.projectId });
  }
}
