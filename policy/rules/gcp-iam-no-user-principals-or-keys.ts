import { resourcePolicy, levels } from "../define";
import { T } from "../types";

const PROJECT_LEVEL_DELEGATION = new Set([
  "roles/iam.serviceAccountUser",
  "roles/iam.serviceAccountTokenCreator",
]);
const DEFAULT_SA = /(-compute@developer\.gserviceaccount\.com|@appspot\.gserviceaccount\.com)$/;

export const gcpIamNoUserPrincipalsOrKeys = resourcePolicy({
  name: "gcp-iam-no-user-principals-or-keys",
  description:
    "No user principals, no project-wide impersonation grants, no grants to default accounts and no service account keys.",
  severity: "high",
  remediation:
    "Grant groups or service accounts; grant impersonation on a specific account; use workload identity instead of keys.",
  meta: {
    group: "Security",
    levels: levels("A", "M", "M"),
    frameworks: [
      "AVD-GCP-0003",
      "CIS 1.1",
      "CKV_GCP_41",
      "CKV_GCP_49",
      "CIS 1.6",
      "CKV_GCP_46",
      "CKV2_GCP_3",
      "CIS 1.4",
    ],
  },
  types: [T.projectIam, T.projectIamBinding, T.saKey],
  validate: (props, report, args) => {
    if (args.type === T.saKey)
      return report("Service account keys are long-lived credentials; use workload identity.");
    const members = [props.member, ...(Array.isArray(props.members) ? props.members : [])].filter(
      (m): m is string => typeof m === "string",
    );
    for (const m of members) {
      if (m.startsWith("user:")) report(`${m} is a user principal; grant a group instead.`);
      if (DEFAULT_SA.test(m)) report(`${m} is a default service account.`);
    }
    if (PROJECT_LEVEL_DELEGATION.has(String(props.role)))
      report(`${String(props.role)} at project level lets the member impersonate every account.`);
  },
});
