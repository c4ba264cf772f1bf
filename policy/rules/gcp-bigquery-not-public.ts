import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check, listOf, membersOf, PUBLIC_MEMBERS } from "../define";

function checkGrant(
  grant: { role: string; member?: string; members?: string[] },
  report: (m: string) => void,
) {
  for (const m of membersOf(grant)) if (PUBLIC_MEMBERS.has(m)) report(`${m} is granted ${grant.role}.`);
}

function checkAccess(access: { specialGroup?: string; iamMember?: string }, report: (m: string) => void) {
  for (const who of [access.specialGroup, access.iamMember])
    if (typeof who === "string" && PUBLIC_MEMBERS.has(who)) report(`Dataset access grants ${who}.`);
}

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
  checks: [
    check(gcp.bigquery.Dataset, (dataset, report) => {
      for (const a of listOf(dataset.accesses, "accesses", report)) checkAccess(a, report);
    }),
    check(gcp.bigquery.DatasetAccess, checkAccess),
    check(gcp.bigquery.DatasetIamMember, checkGrant),
    check(gcp.bigquery.DatasetIamBinding, checkGrant),
    check(gcp.bigquery.IamMember, checkGrant),
    check(gcp.bigquery.IamBinding, checkGrant),
  ],
});
