/**
 * The environment's foundation: the providers, the GCP project with its APIs and audit logging, the workload
 * and operator identities, and the diagnostics secret. Every other builder builds on it.
 */
import * as cloudflare from "@pulumi/cloudflare";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedEnvironment } from "../../resolve/model";
import { GcpProject } from "../../components/project";
import { AuditLogging } from "../../components/audit-logging";
import { Identities } from "../../components/identities";
import { DiagnosticsSecret } from "../../components/secret";

export interface Foundation {
  readonly project: GcpProject;
  readonly identities: Identities;
  readonly diagnostics: DiagnosticsSecret;
  /**
   * A gcp provider that bills API calls to the environment's project (`billingProject`, `userProjectOverride`),
   * for APIs that otherwise bill the caller's own project: Service Networking (terraform-provider-google
   * #10066). Only for resources made after the project and its APIs: the project's creation cannot be billed
   * to the project it creates.
   */
  readonly billedToProject: gcp.Provider;
  /** Options of every component after the project: its providers, and waiting for the project's APIs. */
  readonly opts: pulumi.ComponentResourceOptions;
  /** A secret of the platform's shared secrets project, read at deploy time (a Pulumi secret). */
  sharedSecret(secret: string): pulumi.Output<string>;
}

export function buildFoundation(env: ResolvedEnvironment): Foundation {
  const gcpProvider = new gcp.Provider("gcp", { project: env.project.id, region: env.region });
  const providers = { gcp: gcpProvider, cloudflare: new cloudflare.Provider("cloudflare", {}) };
  const billedToProject = new gcp.Provider("gcp-billed-to-project", {
    project: env.project.id,
    region: env.region,
    billingProject: env.project.id,
    userProjectOverride: true,
  });
  const project = new GcpProject(
    "project",
    {
      projectId: env.project.id,
      displayName: env.project.displayName,
      folderId: env.project.folderId,
      billingAccount: env.project.billingAccount,
      labels: env.project.labels,
      extraApis: env.project.extraApis,
      allowDestroys: env.allowDestroys,
    },
    { providers },
  );
  const opts: pulumi.ComponentResourceOptions = { providers, dependsOn: project.services };
  const projectId = project.projectId;
  new AuditLogging("audit-logging", { projectId }, opts);
  const ids = env.identities;
  const identities = new Identities(
    "iam",
    {
      serviceName: env.serviceName,
      projectId,
      workloadAccountId: ids.workloadAccountId,
      operatorAccountId: ids.operatorAccountId,
      extraRoles: ids.extraRoles,
      permissions: ids.permissions,
      image: env.workload.imageRepository,
      crossProjectSecrets: ids.crossProjectSecrets,
      allowDestroys: env.allowDestroys,
    },
    opts,
  );
  const diagnostics = new DiagnosticsSecret(
    "diagnostics",
    { projectId, labels: env.labels, allowDestroys: env.allowDestroys },
    opts,
  );
  const sharedSecret = (secret: string) =>
    pulumi.secret(
      gcp.secretmanager.getSecretVersionOutput(
        { project: env.sharedSecretsProject, secret },
        { provider: gcpProvider },
      ).secretData,
    );
  return { project, identities, diagnostics, opts, sharedSecret, billedToProject };
}
