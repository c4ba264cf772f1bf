import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check } from "../define";
import { MSP_LABEL_KEYS } from "../../platform/naming";

function checkLabels(labels: Record<string, string> | undefined, report: (m: string) => void) {
  const l = labels ?? {};
  const missing = MSP_LABEL_KEYS.filter((k) => typeof l[k] !== "string" || l[k] === "");
  if (missing.length) report(`Missing labels: ${missing.join(", ")}.`);
  else if (l.msp !== "true") report(`Label msp must be "true".`);
}

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
  checks: [
    check(gcp.organizations.Project, (p, report) => checkLabels(p.labels, report)),
    check(gcp.cloudrunv2.Service, (s, report) => checkLabels(s.labels, report)),
    check(gcp.cloudrunv2.Job, (j, report) => checkLabels(j.labels, report)),
    check(gcp.sql.DatabaseInstance, (db, report) => checkLabels(db.settings?.userLabels, report)),
    check(gcp.redis.Instance, (r, report) => checkLabels(r.labels, report)),
    check(gcp.bigquery.Dataset, (d, report) => checkLabels(d.labels, report)),
    check(gcp.bigquery.Table, (t, report) => checkLabels(t.labels, report)),
  ],
});
