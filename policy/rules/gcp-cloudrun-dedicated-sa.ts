import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check } from "../define";

export const DEFAULT_SA = /(-compute@developer\.gserviceaccount\.com|@appspot\.gserviceaccount\.com)$/;

function checkAccount(sa: string | undefined, report: (m: string) => void) {
  if (!sa) report("No service account: Cloud Run would use the Compute Engine default account.");
  else if (DEFAULT_SA.test(sa)) report(`Runs as the default account ${sa}.`);
}

export const gcpCloudrunDedicatedSa = resourcePolicy({
  name: "gcp-cloudrun-dedicated-sa",
  description: "Cloud Run services and jobs run as a dedicated service account, never a default one.",
  severity: "high",
  remediation: "Run as the workload account (<service>-sa) that Identities creates.",
  meta: {
    group: "Security",
    levels: levels("M", "M", "M"),
    frameworks: ["analogue of AVD-GCP-0044", "analogue of CKV_GCP_30"],
  },
  checks: [
    check(gcp.cloudrunv2.Service, (s, report) => checkAccount(s.template?.serviceAccount, report)),
    check(gcp.cloudrunv2.Job, (j, report) => checkAccount(j.template?.template?.serviceAccount, report)),
  ],
});
