import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check } from "../define";

export const gcpCloudrunScalingBounds = resourcePolicy<{ maxInstances: number; maxMinInstances: number }>({
  name: "gcp-cloudrun-scaling-bounds",
  description:
    "Cloud Run services have a maximum instance count within budget, and few warm instances outside production.",
  severity: "low",
  remediation:
    "Set instances.scaling.maxCount (and minCount) within the category's bounds (maxInstances and maxMinInstances in policy/config/<category>.json).",
  meta: {
    group: "Cost and hygiene",
    levels: levels("M", "A", "A"),
    frameworks: ["cost guard-rail"],
    configByCategory: {
      test: { maxInstances: 20, maxMinInstances: 1 },
      internal: { maxInstances: 100, maxMinInstances: 10 },
      external: { maxInstances: 1000, maxMinInstances: 100 },
    },
  },
  config: {
    maxInstances: { type: "integer", default: 100 },
    maxMinInstances: { type: "integer", default: 10 },
  },
  checks: [
    check(gcp.cloudrunv2.Service, (service, report, _args, config) => {
      const max = service.template?.scaling?.maxInstanceCount;
      const min = service.template?.scaling?.minInstanceCount ?? 0;
      if (typeof max !== "number") report("No maximum instance count: a traffic spike scales without limit.");
      else if (max > config.maxInstances) report(`maxInstanceCount ${max} exceeds ${config.maxInstances}.`);
      if (min > config.maxMinInstances)
        report(`minInstanceCount ${min} keeps more than ${config.maxMinInstances} instances warm.`);
    }),
  ],
});
