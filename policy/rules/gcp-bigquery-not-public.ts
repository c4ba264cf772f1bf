import { resourcePolicy, levels, at, list } from "../define";
import { T } from "../types";

const PUBLIC = new Set(["allUsers", "allAuthenticatedUsers"]);

export const gcpBigqueryNotPublic = resourcePolicy({
  name: "gcp-bigquery-not-public",
  description: "BigQuery datasets and tables are never readable by allUsers or allAuthenticatedUsers.",
  severity: "critical",
  remediation: "Remove the public access entry; share with groups or service accounts.",
  meta: {
    group: "Security",
    levels: levels("M", "M", "M"),
    frameworks: ["CKV_GCP_15", "CKV_GCP_100", "AVD-GCP-0046", "CIS 7.1"],
  },
  types: [T.dataset, T.datasetIam, T.tableIam],
  validate: (props, report, args) => {
    if (args.type === T.dataset) {
      for (const a of list(props.accesses)) {
        const who = at(a, "specialGroup") ?? at(a, "iamMember");
        if (PUBLIC.has(String(who))) report(`Dataset access grants ${String(who)}.`);
      }
    } else if (PUBLIC.has(String(props.member)))
      report(`${String(props.member)} is granted ${String(props.role)}.`);
  },
});
