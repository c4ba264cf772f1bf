import { stackPolicy, levels } from "../define";
import { PLATFORM_TYPES } from "../../platform/resource-types";

/** Every resource type the msp components create: the keys of the resource type table. */
export const ALLOWED_TYPES: readonly string[] = PLATFORM_TYPES;

export const mspAllowedResourceTypes = stackPolicy({
  name: "msp-allowed-resource-types",
  description: "Stacks contain only the resource types the msp components create.",
  severity: "medium",
  remediation:
    "Add the capability to a component (and classify its type in platform/resource-types.ts) in a reviewed change instead of declaring resources directly.",
  meta: {
    group: "Cost and hygiene",
    levels: levels("A", "M", "M"),
    frameworks: ["pulumi/examples prohibited-resource pattern"],
  },
  validate: (args, report) => {
    const allowed = new Set(ALLOWED_TYPES);
    for (const r of args.resources)
      if (!allowed.has(r.type) && !r.type.startsWith("msp:"))
        report(`${r.type} "${r.name}" is not a type the platform creates.`, r.urn);
  },
});
