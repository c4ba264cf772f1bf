import { resourcePolicy, levels, check } from "../define";
import { STATEFUL_CLASSES } from "../types";

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
  // Only the resource options matter here, so the classes' argument types do not.
  checks: STATEFUL_CLASSES.map((cls) =>
    check(cls, (_props, report, args) => {
      if (!args.opts.protect)
        report(`${args.type} "${args.name}" is not protected: a replacement or deletion would lose it.`);
    }),
  ),
});
