import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check, membersOf, PUBLIC_MEMBERS } from "../define";

function checkGrant(
  grant: { role: string; member?: string; members?: string[] },
  report: (m: string) => void,
) {
  for (const m of membersOf(grant))
    if (PUBLIC_MEMBERS.has(m)) report(`${m} is granted ${grant.role} on the bucket.`);
}

export const gcpStorageBucketPrivate = resourcePolicy({
  name: "gcp-storage-bucket-private",
  description:
    "Cloud Storage buckets enforce public access prevention and uniform bucket-level access, and grant nothing to allUsers or allAuthenticatedUsers.",
  severity: "critical",
  remediation:
    "Create buckets with publicAccessPrevention: enforced and uniformBucketLevelAccess: true (RolloutPipeline does) and grant groups or service accounts only.",
  meta: {
    group: "Security",
    levels: levels("M", "M", "M"),
    frameworks: [
      "CKV_GCP_114",
      "CKV_GCP_29",
      "CKV_GCP_28",
      "CIS 5.1",
      "CIS 5.2",
      "AVD-GCP-0001",
      "AVD-GCP-0002",
    ],
  },
  checks: [
    check(gcp.storage.Bucket, (bucket, report) => {
      // GCS's default "inherited" lets an IAM change make the bucket public.
      if (bucket.publicAccessPrevention !== "enforced")
        report(
          `publicAccessPrevention is ${bucket.publicAccessPrevention ?? "inherited"}; it must be enforced.`,
        );
      if (bucket.uniformBucketLevelAccess !== true)
        report("Uniform bucket-level access is off: object ACLs can grant access outside IAM.");
    }),
    check(gcp.storage.BucketIAMMember, checkGrant),
    check(gcp.storage.BucketIAMBinding, checkGrant),
  ],
});
