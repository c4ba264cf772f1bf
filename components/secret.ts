import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { statefulOptions } from "./options";

export interface SecretArgs {
  readonly projectId: pulumi.Input<string>;
  readonly secretId: string;
  /** The secret value; always stored as a Pulumi secret. */
  readonly data: pulumi.Input<string>;
  readonly labels: Record<string, string>;
  readonly allowDestroys: boolean;
}

/** A Secret Manager secret and its current version, both children of `parent`. Returns the secret ID. */
export function createSecret(parent: pulumi.Resource, name: string, args: SecretArgs): pulumi.Output<string> {
  const secret = new gcp.secretmanager.Secret(
    name,
    { project: args.projectId, secretId: args.secretId, labels: args.labels, replication: { auto: {} } },
    statefulOptions(parent, args.allowDestroys),
  );
  new gcp.secretmanager.SecretVersion(
    `${name}-version`,
    { secret: secret.id, secretData: pulumi.secret(args.data) },
    { parent },
  );
  return secret.secretId;
}

export interface DiagnosticsSecretArgs {
  readonly projectId: pulumi.Input<string>;
  readonly labels: Record<string, string>;
  readonly allowDestroys?: boolean;
}

/** The bearer token protecting /-/healthz (16 hex characters, as MSP), kept in Secret Manager. */
export class DiagnosticsSecret extends pulumi.ComponentResource {
  public readonly secretId: pulumi.Output<string>;
  /** The token itself, as a Pulumi secret (probes and uptime checks send it). */
  public readonly token: pulumi.Output<string>;

  constructor(name: string, args: DiagnosticsSecretArgs, opts?: pulumi.ComponentResourceOptions) {
    super("msp:gcp:DiagnosticsSecret", name, {}, opts);
    const token = new random.RandomId(`${name}-token`, { byteLength: 8 }, { parent: this });
    this.token = pulumi.secret(token.hex);
    this.secretId = createSecret(this, `${name}-secret`, {
      projectId: args.projectId,
      secretId: "DIAGNOSTICS_SECRET",
      data: this.token,
      labels: args.labels,
      allowDestroys: args.allowDestroys ?? false,
    });
    this.registerOutputs({ secretId: this.secretId, token: this.token });
  }
}
