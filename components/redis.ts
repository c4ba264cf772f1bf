import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { statefulLabels, statefulOptions } from "./options";
import { createSecret } from "./secret";
import { REDIS_CA_SECRET_ID, REDIS_ENDPOINT_SECRET_ID } from "../plans/platform-secrets";

export interface RedisInstanceArgs {
  readonly projectId: pulumi.Input<string>;
  readonly region: string;
  /** Instance name; changing it (like changing the tier, which forces it) creates a new instance. */
  readonly name: string;
  /** Memory in GB. Defaults to 1. */
  readonly memoryGB?: number;
  /** STANDARD_HA (a replica in another zone) or BASIC. Defaults to BASIC. */
  readonly tier?: "BASIC" | "STANDARD_HA";
  readonly networkId: pulumi.Input<string>;
  readonly peering: pulumi.Resource;
  readonly labels: Record<string, string>;
  readonly allowDestroys?: boolean;
}

/**
 * Memorystore for Redis with AUTH, TLS and RDB snapshots on the private network. The endpoint (which embeds
 * the AUTH string) and the server CA certificate go to Secret Manager; the container reads both from there.
 */
export class RedisInstance extends pulumi.ComponentResource {
  public readonly host: pulumi.Output<string>;
  public readonly port: pulumi.Output<number>;
  public readonly instanceId: pulumi.Output<string>;
  /** Secret Manager secret holding `rediss://:<auth>@host:port`. */
  public readonly endpointSecretId: pulumi.Output<string>;
  /** Secret Manager secret holding the server CA certificate (REDIS_CA_CERT). */
  public readonly caSecretId: pulumi.Output<string>;

  constructor(name: string, args: RedisInstanceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("msp:gcp:RedisInstance", name, {}, opts);
    const ha = args.tier === "STANDARD_HA";
    const allowDestroys = args.allowDestroys ?? false;
    const instance = new gcp.redis.Instance(
      `${name}-instance`,
      {
        project: args.projectId,
        region: args.region,
        name: args.name,
        displayName: ha ? "Regional Redis (standard HA)" : "Zonal Redis (basic)",
        tier: ha ? "STANDARD_HA" : "BASIC",
        memorySizeGb: args.memoryGB ?? 1,
        redisVersion: "REDIS_7_2",
        authEnabled: true,
        transitEncryptionMode: "SERVER_AUTHENTICATION",
        connectMode: "PRIVATE_SERVICE_ACCESS",
        authorizedNetwork: args.networkId,
        persistenceConfig: { persistenceMode: "RDB", rdbSnapshotPeriod: "TWENTY_FOUR_HOURS" },
        labels: statefulLabels(args.labels, allowDestroys),
      },
      statefulOptions(this, allowDestroys, { dependsOn: [args.peering] }),
    );
    const common = { projectId: args.projectId, labels: args.labels, allowDestroys };
    this.caSecretId = createSecret(this, `${name}-ca-cert`, {
      ...common,
      secretId: REDIS_CA_SECRET_ID,
      data: instance.serverCaCerts.apply((certs) => certs[0]?.cert ?? ""),
    });
    this.endpointSecretId = createSecret(this, `${name}-endpoint`, {
      ...common,
      secretId: REDIS_ENDPOINT_SECRET_ID,
      data: pulumi.secret(
        pulumi.interpolate`rediss://:${instance.authString}@${instance.host}:${instance.port}`,
      ),
    });
    this.host = instance.host;
    this.port = instance.port;
    this.instanceId = instance.name;
    this.registerOutputs({
      host: this.host,
      port: this.port,
      instanceId: this.instanceId,
      endpointSecretId: this.endpointSecretId,
      caSecretId: this.caSecretId,
    });
  }
}
