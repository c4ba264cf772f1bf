import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check } from "../define";
import { BASIC_ROLES } from "../../servicespec/security-rules";

function checkRole(role: string, report: (m: string) => void) {
  if (BASIC_ROLES.has(role)) report(`${role} is a basic role.`);
}

export const gcpIamNoBasicRoles = resourcePolicy({
  name: "gcp-iam-no-basic-roles",
  description: "No basic roles (owner, editor, viewer) at project, folder or organisation level.",
  severity: "critical",
  remediation:
    "Grant narrow predefined roles in service.iam.roles, or permissions in service.iam.permissions.",
  meta: {
    group: "Security",
    levels: levels("M", "M", "M"),
    frameworks: ["CKV_GCP_115", "CKV_GCP_116", "CKV_GCP_117", "AVD-GCP-0007"],
  },
  checks: [
    check(gcp.projects.IAMMember, (g, report) => checkRole(g.role, report)),
    check(gcp.projects.IAMBinding, (g, report) => checkRole(g.role, report)),
    check(gcp.folder.IAMMember, (g, report) => checkRole(g.role, report)),
    check(gcp.folder.IAMBinding, (g, report) => checkRole(g.role, report)),
    check(gcp.organizations.IAMMember, (g, report) => checkRole(g.role, report)),
    check(gcp.organizations.IAMBinding, (g, report) => checkRole(g.role, report)),
  ],
});
