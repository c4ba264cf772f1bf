import { resourcePolicy, levels } from "../define";
import { T } from "../types";

const BASIC = new Set(["roles/owner", "roles/editor", "roles/viewer"]);

export const gcpIamNoBasicRoles = resourcePolicy({
  name: "gcp-iam-no-basic-roles",
  description:
    "No basic roles (owner, editor, viewer), and no admin roles for service accounts, at project, folder or organisation level.",
  severity: "critical",
  remediation:
    "Grant narrow predefined roles in service.iam.roles, or permissions in service.iam.permissions.",
  meta: {
    group: "Security",
    levels: levels("M", "M", "M"),
    frameworks: ["CKV_GCP_115", "CKV_GCP_116", "CKV_GCP_117", "AVD-GCP-0007", "CIS 1.5"],
  },
  types: [T.projectIam, T.projectIamBinding, T.folderIam, T.orgIam],
  validate: (props, report) => {
    const role = String(props.role);
    if (BASIC.has(role)) report(`${role} is a basic role.`);
    const members = [props.member, ...(Array.isArray(props.members) ? props.members : [])].map(String);
    if (/admin$/i.test(role) && members.some((m) => m.startsWith("serviceAccount:")))
      report(`${role} gives a service account administrative rights.`);
  },
});
