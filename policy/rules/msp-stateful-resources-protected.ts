import { resourcePolicy, levels } from "../define";
import { STATEFUL_TYPES } from "../types";

export const mspStatefulResourcesProtected = resourcePolicy({
  name: "msp-stateful-resources-protected",
  description: "Projects, databases, Redis, BigQuery and secrets have Pulumi's protect option set.",
  severity: "high",
  remediation:
    "Create them through the msp components (protect follows allowDestroys); set allowDestroys: true only to tear down.",
  meta: {
    group: "Backups and data safety",
    levels: levels("D", "A", "M"),
    frameworks: ["MSP allowDestroys", "Pulumi protect"],
  },
  types: STATEFUL_TYPES,
  validate: (_props, report, args) => {
    if (!args.opts.protect)
      report(`${args.type} "${args.name}" is not protected: a replacement or deletion would lose it.`);
  },
});
