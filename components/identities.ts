import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOptions, statefulOptions } from "./options";
import { artifactRegistryImage } from "../platform/image-reference";

/** Roles MSP grants every workload service account (reference §2.2). */
export const WORKLOAD_ROLES = [
  "roles/secretmanager.secretAccessor",
  "roles/compute.networkUser",
  "roles/cloudtrace.agent",
  "roles/monitoring.metricWriter",
  "roles/cloudprofiler.agent",
  "roles/cloudsql.client",
  "roles/cloudsql.instanceUser",
] as const;

export const OPERATOR_ROLES = ["roles/cloudsql.client", "roles/cloudsql.instanceUser"] as const;
export const CUSTOM_ROLE_ID = "msp_workload_custom_role";

export interface IdentitiesArgs {
  /** Shown in the workload account's display name. */
  readonly serviceName: string;
  readonly projectId: pulumi.Input<string>;
  /** Account IDs (6 to 30 characters) of the workload and of the read-only operator. */
  readonly workloadAccountId: string;
  readonly operatorAccountId: string;
  /** `service.iam.roles`: granted to the workload account on top of MSP's roles. */
  readonly extraRoles?: readonly string[];
  /** `service.iam.permissions`: bundled into a custom role granted to the workload account. */
  readonly permissions?: readonly string[];
  /** `build.image`: a private GCR or Artifact Registry image gets pull grants in its project. */
  readonly image: string;
  /** Secrets in other projects the workload reads (accessor grants there). */
  readonly crossProjectSecrets?: readonly { project: string; name: string }[];
  /** Whether the workload account may be deleted (spec `allowDestroys`). Defaults to false. */
  readonly allowDestroys?: boolean;
}

export { imageProject } from "../platform/oci-reference";

/** The workload and operator service accounts and everything they are allowed to do. */
export class Identities extends pulumi.ComponentResource {
  public readonly workloadEmail: pulumi.Output<string>;
  public readonly workloadMember: pulumi.Output<string>;
  public readonly operatorEmail: pulumi.Output<string>;

  constructor(name: string, args: IdentitiesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("msp:gcp:Identities", name, {}, opts);
    const allowDestroys = args.allowDestroys ?? false;
    const workload = new gcp.serviceaccount.Account(
      `${name}-workload`,
      {
        project: args.projectId,
        accountId: args.workloadAccountId,
        displayName: `${args.serviceName} Service Account`,
      },
      statefulOptions(this, allowDestroys),
    );
    const member = pulumi.interpolate`serviceAccount:${workload.email}`;
    const roles = [...new Set([...WORKLOAD_ROLES, ...(args.extraRoles ?? [])])];
    for (const role of roles)
      new gcp.projects.IAMMember(
        `${name}-workload-${role.split("/").pop()}`,
        { project: args.projectId, role, member },
        childOptions(this),
      );

    if (args.permissions?.length) {
      const custom = new gcp.projects.IAMCustomRole(
        `${name}-custom-role`,
        {
          project: args.projectId,
          roleId: CUSTOM_ROLE_ID,
          title: "Managed Services Platform workload custom role",
          permissions: [...args.permissions].sort(),
        },
        childOptions(this),
      );
      new gcp.projects.IAMMember(
        `${name}-workload-custom`,
        { project: args.projectId, role: custom.name, member },
        childOptions(this),
      );
    }

    const operator = new gcp.serviceaccount.Account(
      `${name}-operator`,
      {
        project: args.projectId,
        accountId: args.operatorAccountId,
        displayName: "Operator access (read-only database)",
      },
      childOptions(this),
    );
    for (const role of OPERATOR_ROLES)
      new gcp.projects.IAMMember(
        `${name}-operator-${role.split("/").pop()}`,
        { project: args.projectId, role, member: pulumi.interpolate`serviceAccount:${operator.email}` },
        childOptions(this),
      );

    const registry = artifactRegistryImage(args.image);
    if (registry) {
      // The Cloud Run service agent pulls the image, so it needs read access where the image lives: on that one
      // repository, never on the registry's project (which would read every repository and bucket there).
      // gcr.io hosts are Artifact Registry repositories named after the host since Container Registry's
      // shutdown (https://cloud.google.com/artifact-registry/docs/transition/gcr-repositories).
      // A grant to an agent that does not exist yet fails (https://cloud.google.com/iam/docs/service-agents):
      // the agent is created first (generateServiceIdentity), and the grant names it by its member.
      const agent = new gcp.projects.ServiceIdentity(
        `${name}-run-agent`,
        { project: args.projectId, service: "run.googleapis.com" },
        childOptions(this),
      );
      new gcp.artifactregistry.RepositoryIamMember(
        `${name}-image-pull`,
        {
          project: registry.project,
          location: registry.location,
          repository: registry.repositoryId,
          role: "roles/artifactregistry.reader",
          member: agent.member,
        },
        childOptions(this),
      );
    }

    for (const s of args.crossProjectSecrets ?? [])
      new gcp.secretmanager.SecretIamMember(
        `${name}-secret-${s.project}-${s.name}`,
        { project: s.project, secretId: s.name, role: "roles/secretmanager.secretAccessor", member },
        childOptions(this),
      );

    this.workloadEmail = workload.email;
    this.workloadMember = member;
    this.operatorEmail = operator.email;
    this.registerOutputs({
      workloadEmail: this.workloadEmail,
      workloadMember: this.workloadMember,
      operatorEmail: this.operatorEmail,
    });
  }
}
