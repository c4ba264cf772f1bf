import { resourcePolicy, levels, at } from "../define";
import { T } from "../types";

const LABEL_PATHS: Record<string, string[]> = {
  [T.project]: ["labels"],
  [T.runService]: ["labels"],
  [T.runJob]: ["labels"],
  [T.sql]: ["settings", "userLabels"],
  [T.redis]: ["labels"],
  [T.dataset]: ["labels"],
  [T.table]: ["labels"],
};
export const REQUIRED_LABELS = ["service", "environment", "category", "msp"];

export const mspRequiredLabels = resourcePolicy({
  name: "msp-required-labels",
  description: "Labelable resources carry the MSP labels service, environment, category and msp=true.",
  severity: "low",
  remediation:
    "Create the resource through an msp component, which applies mspLabels(); do not remove labels by hand.",
  meta: {
    group: "Naming and metadata",
    levels: levels("A", "M", "M"),
    frameworks: ["MSP project labels", "CIS 1.x asset inventory"],
  },
  types: Object.keys(LABEL_PATHS),
  validate: (props, report, args) => {
    const labels = (at(props, ...LABEL_PATHS[args.type]!) ?? {}) as Record<string, unknown>;
    const missing = REQUIRED_LABELS.filter((l) => typeof labels[l] !== "string" || labels[l] === "");
    if (missing.length) report(`Missing labels: ${missing.join(", ")}.`);
    else if (labels.msp !== "true") report(`Label msp must be "true".`);
  },
});
