import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check, membersOf } from "../define";
import { DEFAULT_SA } from "./gcp-cloudrun-dedicated-sa";

function checkMembers(grant: { member?: string; members?: string[] }, report: (m: string) => void) {
  for (const m of membersOf(grant)) {
    if (m.startsWith("user:")) report(`${m} is a user principal; grant a group instead.`);
    if (DEFAULT_SA.test(m)) report(`${m} is a default service account.`);
  }
}

export const gcpIamNoUserPrincipalsOrKeys = resourcePolicy({
  name: "gcp-iam-no-user-principals-or-keys",
  description:
    "No user principals and no grants to default service accounts at project, folder or organisation level, and no service account keys.",
  severity: "high",
  remediation: "Grant groups or dedicated service accounts; use workload identity instead of keys.",
  meta: {
    group: "Security",
    levels: levels("A", "M", "M"),
    frameworks: [
      "AVD-GCP-0003",
      "CIS 1.1",
      "CKV_GCP_46",
      "CKV_GCP_47",
      "CKV_GCP_48",
      "CKV2_GCP_3",
      "CIS 1.4",
      "CIS 1.7",
      "CKV_GCP_101",
    ],
  },
  checks: [
    check(gcp.projects.IAMMember, checkMembers),
    check(gcp.projects.IAMBinding, checkMembers),
    check(gcp.folder.IAMMember, checkMembers),
    check(gcp.folder.IAMBinding, checkMembers),
    check(gcp.organizations.IAMMember, checkMembers),
    check(gcp.organizations.IAMBinding, checkMembers),
    // The image pull grant (components/identities.ts): never to the public either (CKV_GCP_101).
    check(gcp.artifactregistry.RepositoryIamMember, (grant, report) => {
      checkMembers(grant, report);
      for (const m of membersOf(grant))
        if (m === "allUsers" || m === "allAuthenticatedUsers")
          report(`${m} may not read an image repository; grant the Cloud Run service agent only.`);
    }),
    check(gcp.serviceaccount.Key, (_key, report) =>
      report("Service account keys are long-lived credentials; use workload identity."),
    ),
  ],
});
