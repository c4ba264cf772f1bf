import { resourcePolicy, levels } from "../define";
import { T } from "../types";

/** Name input and length limit per type. */
const LIMITS: Record<string, { key: string; min?: number; max: number; prefixed?: boolean }> = {
  [T.runService]: { key: "name", max: 49, prefixed: true },
  [T.runJob]: { key: "name", max: 49, prefixed: true },
  "gcp:serviceaccount/account:Account": { key: "accountId", min: 6, max: 30 },
  [T.redis]: { key: "name", max: 40 },
  [T.sql]: { key: "name", max: 98 },
};
const RFC1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export const mspResourceNamePrefix = resourcePolicy({
  name: "msp-resource-name-prefix",
  description:
    "GCP resource names are RFC 1035 labels within each type's length limit; workloads start with the service ID.",
  severity: "medium",
  remediation:
    "Let the components name resources (components/naming.ts); shorten the service or environment ID if a limit is hit.",
  meta: {
    group: "Naming and metadata",
    levels: levels("M", "M", "M"),
    frameworks: ["MSP naming", "GCP resource name limits"],
  },
  types: Object.keys(LIMITS),
  validate: (props, report, args) => {
    const rule = LIMITS[args.type]!;
    const name = props[rule.key];
    if (typeof name !== "string") return;
    if (!RFC1035.test(name))
      report(`${rule.key} "${name}" must be lowercase letters, digits and '-', starting with a letter.`);
    if (name.length > rule.max || name.length < (rule.min ?? 1))
      report(`${rule.key} "${name}" is ${name.length} characters; allowed ${rule.min ?? 1} to ${rule.max}.`);
    const service = args.stackTags.get("msp:service");
    if (rule.prefixed && service && !name.startsWith(`${service}-`))
      report(`${rule.key} "${name}" must start with "${service}-".`);
  },
});
