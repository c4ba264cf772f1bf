import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOptions } from "../options";

export interface UptimeCheckArgs {
  readonly projectId: pulumi.Input<string>;
  /** The public host checked over HTTPS (certificate validated). */
  readonly host: string;
  readonly path: string;
  readonly timeoutSeconds: number;
  /** Sent as `Authorization: Bearer <token>` (kept a Pulumi secret, masked in Cloud Monitoring). */
  readonly bearerToken?: pulumi.Input<string>;
}

/** A Cloud Monitoring uptime check of an HTTPS endpoint, every minute from every checker region. */
export class UptimeCheck extends pulumi.ComponentResource {
  /** The check's ID, which alert conditions on its results filter by. */
  public readonly uptimeCheckId: pulumi.Output<string>;

  constructor(name: string, args: UptimeCheckArgs, opts?: pulumi.ComponentResourceOptions) {
    super("msp:monitoring:UptimeCheck", name, {}, opts);
    const check = new gcp.monitoring.UptimeCheckConfig(
      `${name}-uptime`,
      {
        project: args.projectId,
        displayName: `External Uptime Check for ${args.host}`,
        period: "60s",
        timeout: `${args.timeoutSeconds}s`,
        monitoredResource: { type: "uptime_url", labels: { host: args.host, project_id: args.projectId } },
        httpCheck: {
          path: args.path,
          port: 443,
          useSsl: true,
          validateSsl: true,
          acceptedResponseStatusCodes: [{ statusClass: "STATUS_CLASS_2XX" }],
          maskHeaders: true,
          headers: args.bearerToken
            ? { Authorization: pulumi.secret(pulumi.interpolate`Bearer ${args.bearerToken}`) }
            : undefined,
        },
      },
      childOptions(this),
    );
    this.uptimeCheckId = check.uptimeCheckId;
    this.registerOutputs({ uptimeCheckId: this.uptimeCheckId });
  }
}
