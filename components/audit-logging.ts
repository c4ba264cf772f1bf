import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOptions } from "./options";

/** Audit log types Cloud Audit Logs records beyond Admin Activity (which is always on). */
export const DATA_ACCESS_LOG_TYPES = ["ADMIN_READ", "DATA_READ", "DATA_WRITE"] as const;

export interface AuditLoggingArgs {
  readonly projectId: pulumi.Input<string>;
  /**
   * Services to record Data Access logs for. Defaults to `allServices`, as CIS GCP 2.1 and Checkov CKV2_GCP_5
   * ask: secret reads, database and bucket access, IAM and deploy calls all leave a record.
   */
  readonly services?: readonly string[];
}

/**
 * Data Access audit logging for the environment's project: ADMIN_READ, DATA_READ and DATA_WRITE for every
 * service, with no exempted members (an exemption hides exactly the access an investigation needs).
 */
export class AuditLogging extends pulumi.ComponentResource {
  public readonly services: readonly string[];

  constructor(name: string, args: AuditLoggingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("msp:gcp:AuditLogging", name, {}, opts);
    this.services = args.services ?? ["allServices"];
    for (const service of this.services)
      new gcp.projects.IAMAuditConfig(
        `${name}-${service.split(".")[0]}`,
        {
          project: args.projectId,
          service,
          auditLogConfigs: DATA_ACCESS_LOG_TYPES.map((logType) => ({ logType })),
        },
        childOptions(this),
      );
    this.registerOutputs({ services: this.services });
  }
}
