import { resourcePolicy, levels } from "../define";
import { T } from "../types";

export const gcpBigqueryTableDeletionProtection = resourcePolicy({
  name: "gcp-bigquery-table-deletion-protection",
  description:
    "BigQuery tables have deletion protection and datasets never delete their contents on destroy.",
  severity: "high",
  remediation:
    "Keep deletionProtection on tables and deleteContentsOnDestroy off on datasets (BigQueryDataset does).",
  meta: { group: "Backups and data safety", levels: levels("D", "M", "M"), frameworks: ["CKV_GCP_121"] },
  types: [T.table, T.dataset],
  validate: (props, report, args) => {
    if (args.type === T.table && props.deletionProtection === false)
      report("Table deletion protection is off.");
    if (args.type === T.dataset && props.deleteContentsOnDestroy === true)
      report("Dataset deletes its tables on destroy.");
  },
});
