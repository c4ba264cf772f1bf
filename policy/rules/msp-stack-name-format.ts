import { stackPolicy, levels } from "../define";
import { CATEGORIES } from "../../platform/categories";
import { scopeOfAnyUrn } from "../../engine/urn";

export const mspStackNameFormat = stackPolicy({
  name: "msp-stack-name-format",
  description: "Stacks are named <serviceId>-<envId> and tagged with their environment category.",
  severity: "medium",
  remediation:
    "Create the stack with `msp init-env` or name it <service>-<env>, and tag it: `pulumi stack tag set msp:category <test|internal|external>`.",
  meta: { group: "Naming and metadata", levels: levels("M", "M", "M"), frameworks: ["MSP naming"] },
  validate: (args, report) => {
    const stack = args.resources.find((r) => r.type === "pulumi:pulumi:Stack");
    const name = stack && scopeOfAnyUrn(stack.urn)?.stack;
    if (name !== undefined && !/^[a-z0-9-]{1,20}-[a-z0-9]+$/.test(name))
      report(`Stack "${name}" is not named <serviceId>-<envId>.`, stack?.urn);
    const category = args.stackTags.get("msp:category");
    if (!category || !(CATEGORIES as readonly string[]).includes(category))
      report(
        `Stack tag msp:category is ${category ? `"${category}"` : "missing"}; it must be test, internal or external.`,
      );
  },
});
