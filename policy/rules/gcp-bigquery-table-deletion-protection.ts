import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check } from "../define";
import { destroysAllowed } from "../allow-destroys";

export const gcpBigqueryTableDeletionProtection = resourcePolicy({
  name: "gcp-bigquery-table-deletion-protection",
  description:
    "BigQuery tables have deletion protection and datasets never delete their contents on destroy.",
  severity: "high",
  remediation:
    "Keep deletionProtection on tables and deleteContentsOnDestroy off on datasets (BigQueryDataset does).",
  meta: { group: "Backups and data safety", levels: levels("D", "M", "M"), frameworks: ["CKV_GCP_121"] },
  checks: [
    check(gcp.bigquery.Table, (table, report) => {
      // The provider defaults deletionProtection to true: only an explicit false lifts it; allowDestroys lifts
      // it and labels the table so.
      if (table.deletionProtection === false && !destroysAllowed(table))
        report("Table deletion protection is off.");
    }),
    check(gcp.bigquery.Dataset, (dataset, report) => {
      if (dataset.deleteContentsOnDestroy === true) report("Dataset deletes its tables on destroy.");
    }),
  ],
});
