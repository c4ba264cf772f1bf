import * as gcp from "@pulumi/gcp";
import { stackPolicy, levels, listOf, resourcesOf } from "../define";

export const AUDIT_LOG_TYPES = ["ADMIN_READ", "DATA_READ", "DATA_WRITE"] as const;

export const gcpAuditLoggingDataAccess = stackPolicy({
  name: "gcp-audit-logging-data-access",
  description:
    "The environment's project records Data Access audit logs (ADMIN_READ, DATA_READ, DATA_WRITE) for all services, exempting nobody.",
  severity: "high",
  remediation:
    "Keep the AuditLogging component (components/audit-logging.ts) the stack program creates; never add exemptedMembers.",
  meta: {
    group: "Security",
    levels: levels("A", "M", "M"),
    frameworks: ["CKV2_GCP_5", "CIS 2.1", "AVD-GCP-0079"],
  },
  validate: (args, report) => {
    const projects = resourcesOf(args, gcp.organizations.Project);
    const configs = resourcesOf(args, gcp.projects.IAMAuditConfig);
    if (!projects.length && !configs.length) args.notApplicable("no project in this stack");
    const entries = (props: (typeof configs)[number]["props"], urn: string) =>
      listOf(props.auditLogConfigs, "auditLogConfigs", (m) => report(m, urn));
    for (const { resource, props } of configs)
      for (const c of entries(props, resource.urn)) {
        const exempted = listOf(
          c.exemptedMembers,
          "exemptedMembers",
          (m) => report(m, resource.urn),
          "string",
        );
        if (exempted.length)
          report(
            `Audit log ${c.logType} for ${props.service} exempts ${exempted.join(", ")}: their access goes unrecorded.`,
            resource.urn,
          );
      }
    for (const { resource, props } of projects) {
      const all = configs.find(
        (c) => c.props.project === props.projectId && c.props.service === "allServices",
      );
      const logged = new Set(all ? entries(all.props, all.resource.urn).map((c) => c.logType) : []);
      const missing = AUDIT_LOG_TYPES.filter((t) => !logged.has(t));
      if (missing.length)
        report(
          `Project ${props.projectId} has no ${missing.join(", ")} audit logging for allServices: reads and writes of its data leave no trace.`,
          resource.urn,
        );
    }
  },
});
