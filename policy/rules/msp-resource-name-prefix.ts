import * as gcp from "@pulumi/gcp";
import type { ResourceValidationArgs } from "@pulumi/policy";
import { resourcePolicy, levels, check } from "../define";
import { CLOUD_RUN_NAME_MAX, SERVICE_ACCOUNT_ID_MAX, SERVICE_ACCOUNT_ID_MIN } from "../../platform/naming";

const RFC1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** A name input and its limits: the length GCP accepts, and whether it starts with the service ID. */
function checkName(
  field: string,
  name: string | undefined,
  limits: { min?: number; max: number; prefixed?: boolean },
  report: (m: string) => void,
  args: ResourceValidationArgs,
) {
  if (typeof name !== "string") return;
  if (!RFC1035.test(name))
    report(`${field} "${name}" must be lowercase letters, digits and '-', starting with a letter.`);
  const min = limits.min ?? 1;
  if (name.length > limits.max || name.length < min)
    report(`${field} "${name}" is ${name.length} characters; allowed ${min} to ${limits.max}.`);
  const service = args.stackTags.get("msp:service");
  if (limits.prefixed && service && !name.startsWith(`${service}-`))
    report(`${field} "${name}" must start with "${service}-".`);
}

export const mspResourceNamePrefix = resourcePolicy({
  name: "msp-resource-name-prefix",
  description:
    "GCP resource names are RFC 1035 labels within each type's length limit; workloads start with the service ID.",
  severity: "medium",
  remediation:
    "Let the platform name resources (platform/naming.ts); shorten the service or environment ID if a limit is hit.",
  meta: {
    group: "Naming and metadata",
    levels: levels("M", "M", "M"),
    frameworks: ["MSP naming", "GCP resource name limits"],
  },
  checks: [
    check(gcp.cloudrunv2.Service, (s, report, args) =>
      checkName("name", s.name, { max: CLOUD_RUN_NAME_MAX, prefixed: true }, report, args),
    ),
    check(gcp.cloudrunv2.Job, (j, report, args) =>
      checkName("name", j.name, { max: CLOUD_RUN_NAME_MAX, prefixed: true }, report, args),
    ),
    check(gcp.serviceaccount.Account, (a, report, args) =>
      checkName(
        "accountId",
        a.accountId,
        { min: SERVICE_ACCOUNT_ID_MIN, max: SERVICE_ACCOUNT_ID_MAX },
        report,
        args,
      ),
    ),
    check(gcp.redis.Instance, (r, report, args) => checkName("name", r.name, { max: 40 }, report, args)),
    check(gcp.sql.DatabaseInstance, (db, report, args) =>
      checkName("name", db.name, { max: 98 }, report, args),
    ),
  ],
});
