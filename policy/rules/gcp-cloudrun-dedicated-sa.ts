import { resourcePolicy, levels, at } from "../define";
import { T } from "../types";

const DEFAULT_SA = /(-compute@developer\.gserviceaccount\.com|@appspot\.gserviceaccount\.com)$/;

export const gcpCloudrunDedicatedSa = resourcePolicy({
  name: "gcp-cloudrun-dedicated-sa",
  description: "Cloud Run services and jobs run as a dedicated service account, never a default one.",
  severity: "high",
  remediation: "Run as the workload account (<service>-sa) that Identities creates.",
  meta: {
    group: "Security",
    levels: levels("M", "M", "M"),
    frameworks: ["AVD-GCP-0044 analogue", "CKV_GCP_30 analogue"],
  },
  types: [T.runService, T.runJob],
  validate: (props, report, args) => {
    const sa =
      args.type === T.runJob
        ? at(props, "template", "template", "serviceAccount")
        : at(props, "template", "serviceAccount");
    if (!sa) report("No service account: Cloud Run would use the Compute Engine default account.");
    else if (DEFAULT_SA.test(String(sa))) report(`Runs as the default account ${String(sa)}.`);
  },
});
