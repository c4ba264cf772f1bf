import * as gcp from "@pulumi/gcp";
import type { ResourceValidationArgs } from "@pulumi/policy";
import { resourcePolicy, levels, check, listOf, membersOf, stringOf } from "../define";
import {
  BASIC_ROLES,
  dangerousPermissionReason,
  dangerousRoleReason,
} from "../../servicespec/security-rules";
import { typesOfAnyUrn } from "../../engine/urn";

interface Config {
  /** Components whose service-account-level actAs grants are part of the platform's design. */
  delegationComponents: string[];
}

/**
 * Service-agent roles a Google-managed agent holds on its own project, by the agent's domain: what enabling
 * the API grants it, granted explicitly where the agent must hold it before the platform uses the service
 * (a Service Networking connection in a new project: cloud-foundation-fabric #1399).
 */
const OWN_AGENT_ROLES: Readonly<Record<string, string>> = {
  "service-networking": "roles/servicenetworking.serviceAgent",
};

/** Whether `member` is the Google-managed agent whose own role `role` is. */
function isOwnAgentRole(role: string, member: unknown): boolean {
  const m = /^serviceAccount:service-\d+@([a-z0-9-]+)\.iam\.gserviceaccount\.com$/.exec(
    stringOf(member) ?? "",
  );
  return !!m && OWN_AGENT_ROLES[m[1]!] === role;
}

/** Roles that reach every account of the project, folder or organisation they are granted on. */
function checkWideGrant(where: string) {
  return (grant: { role?: string; member?: string }, report: (m: string) => void) => {
    // A grant without a role grants nothing; basic roles are gcp-iam-no-basic-roles' to report.
    const role = stringOf(grant.role);
    if (!role || BASIC_ROLES.has(role) || isOwnAgentRole(role, grant.member)) return;
    const why = dangerousRoleReason(role);
    if (why) report(`${role} at ${where} level ${why}.`);
  };
}

/** The component types a resource is nested in, from its URN (`...::msp:gcp:RolloutPipeline$gcp:...::name`). */
const componentTypes = (urn: string) => typesOfAnyUrn(urn).slice(0, -1);

/**
 * Grants on one service account: roles/iam.serviceAccountUser there is how Cloud Deploy acts as a runtime
 * account (RolloutPipeline grants it to its own executor and releasers); anything else dangerous is refused.
 */
function checkAccountGrant(
  grant: { role: string; member?: string; members?: string[] },
  report: (m: string) => void,
  args: ResourceValidationArgs,
  config: Config,
) {
  const role = stringOf(grant.role);
  const why = role && dangerousRoleReason(role);
  if (!why) return;
  const members = membersOf(grant);
  const byDesign =
    role === "roles/iam.serviceAccountUser" &&
    members.every((m) => m.startsWith("serviceAccount:")) &&
    componentTypes(args.urn).some((t) => config.delegationComponents.includes(t));
  if (!byDesign)
    report(
      `${role} on a service account for ${members.join(", ")} ${why}; only ${config.delegationComponents.join(", ")} may grant roles/iam.serviceAccountUser to its own service accounts.`,
    );
}

function checkCustomRole(
  role: { roleId?: string; permissions?: readonly string[] },
  report: (m: string) => void,
) {
  for (const p of listOf(role.permissions, "permissions", report, "string")) {
    const why = dangerousPermissionReason(p);
    if (why) report(`Custom role ${role.roleId ?? "(unnamed)"} includes ${p}, which ${why}.`);
  }
}

/** A project IAM policy document (IAMPolicy.policyData) read as its bindings. */
function bindingsOf(policyData: string): { role: string }[] {
  try {
    const doc = JSON.parse(policyData) as { bindings?: { role?: unknown }[] };
    return (doc.bindings ?? []).filter((b): b is { role: string } => typeof b.role === "string");
  } catch {
    return [{ role: "(unparsable policy document)" }];
  }
}

export const gcpIamNoPrivilegeEscalation = resourcePolicy<Config>({
  name: "gcp-iam-no-privilege-escalation",
  description:
    "No role or custom-role permission that escalates privileges: no impersonation or admin roles at project, folder or organisation level, no setIamPolicy, key or token minting, actAs, role or org-policy changes, and no delegation on service accounts except the platform's own.",
  severity: "critical",
  remediation:
    "Grant narrow roles in service.iam.roles and plain data permissions in service.iam.permissions (msp validate lists the refused ones); impersonation is granted only by the platform's components on one account.",
  meta: {
    group: "Security",
    levels: levels("M", "M", "M"),
    frameworks: [
      "CKV_GCP_41",
      "CKV_GCP_42",
      "CKV_GCP_44",
      "CKV_GCP_45",
      "CKV_GCP_49",
      "CIS 1.5",
      "CIS 1.6",
      "CIS 1.8",
      "AVD-GCP-0007",
      "AVD-GCP-0011",
      "GCP IAM privilege escalation (Rhino Security Labs)",
    ],
  },
  config: {
    delegationComponents: {
      type: "array",
      items: { type: "string" },
      default: ["msp:gcp:RolloutPipeline"],
      description:
        "Component types whose service-account-level roles/iam.serviceAccountUser grants are by design.",
    },
  },
  checks: [
    check(gcp.projects.IAMMember, checkWideGrant("project")),
    check(gcp.projects.IAMBinding, checkWideGrant("project")),
    check(gcp.projects.IAMPolicy, (policy, report) => {
      for (const b of bindingsOf(policy.policyData)) checkWideGrant("project")(b, report);
    }),
    check(gcp.folder.IAMMember, checkWideGrant("folder")),
    check(gcp.folder.IAMBinding, checkWideGrant("folder")),
    check(gcp.organizations.IAMMember, checkWideGrant("organisation")),
    check(gcp.organizations.IAMBinding, checkWideGrant("organisation")),
    check(gcp.serviceaccount.IAMMember, checkAccountGrant),
    check(gcp.serviceaccount.IAMBinding, checkAccountGrant),
    check(gcp.projects.IAMCustomRole, checkCustomRole),
    check(gcp.organizations.IAMCustomRole, checkCustomRole),
  ],
});
