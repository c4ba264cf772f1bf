import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { statefulLabels, statefulOptions, childOptions } from "./options";

/** APIs every MSP project enables (reference §2.1). */
export const BASE_APIS = [
  "run",
  "containerregistry",
  "cloudbuild",
  "logging",
  "monitoring",
  "iam",
  "secretmanager",
  "redis",
  "compute",
  "networkmanagement",
  "vpcaccess",
  "servicenetworking",
  "storage-api",
  "storage-component",
  "bigquery",
  "cloudprofiler",
  "cloudscheduler",
  "sqladmin",
  "clouddeploy",
  "bigqueryconnection",
  "accesscontextmanager",
  "pubsub",
  "datastream",
  "cloudtrace",
].map((api) => `${api}.googleapis.com`);

export interface GcpProjectArgs {
  /** Project ID from the spec (`<svc>-<env>-<suffix>`); it can never change after creation. */
  readonly projectId: string;
  /** Display name `<name> - <env>` (at most 30 characters). */
  readonly displayName: string;
  /** Folder for the environment's category. */
  readonly folderId: string;
  readonly billingAccount: string;
  /** Labels; the MSP labels service, environment, category and msp are expected. */
  readonly labels: Record<string, string>;
  /** Extra APIs from `service.iam.services`. */
  readonly extraApis?: readonly string[];
  /** Lift deletion protection (spec `allowDestroys`). Defaults to false: the project cannot be deleted. */
  readonly allowDestroys?: boolean;
}

/** The environment's GCP project, its labels, folder and billing, and the APIs the platform needs. */
export class GcpProject extends pulumi.ComponentResource {
  public readonly projectId: pulumi.Output<string>;
  public readonly projectNumber: pulumi.Output<string>;
  /** The enabled APIs; resources that need them depend on this list. */
  public readonly services: gcp.projects.Service[];

  constructor(name: string, args: GcpProjectArgs, opts?: pulumi.ComponentResourceOptions) {
    super("msp:gcp:GcpProject", name, {}, opts);
    const allowDestroys = args.allowDestroys ?? false;
    const project = new gcp.organizations.Project(
      name,
      {
        projectId: args.projectId,
        name: args.displayName,
        folderId: args.folderId,
        billingAccount: args.billingAccount,
        labels: statefulLabels(args.labels, allowDestroys),
        autoCreateNetwork: false,
        deletionPolicy: allowDestroys ? "DELETE" : "PREVENT",
      },
      statefulOptions(this, allowDestroys),
    );
    const apis = [...new Set([...BASE_APIS, ...(args.extraApis ?? [])])].sort();
    this.services = apis.map(
      (api) =>
        new gcp.projects.Service(
          `${name}-${api.split(".")[0]}`,
          // Never disable an API on destroy: other resources in the project may still rely on it.
          {
            project: project.projectId,
            service: api,
            disableOnDestroy: false,
            disableDependentServices: false,
          },
          childOptions(this),
        ),
    );
    this.projectId = project.projectId;
    this.projectNumber = project.number;
    this.registerOutputs({
      projectId: this.projectId,
      projectNumber: this.projectNumber,
      services: this.services,
    });
  }
}
