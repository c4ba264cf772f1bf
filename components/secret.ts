import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { statefulLabels, statefulOptions } from "./options";
import { DIAGNOSTICS_SECRET_ID } from "../plans/platform-secrets";

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
    {
      project: args.projectId,
      secretId: args.secretId,
      labels: statefulLabels(args.labels, args.allowDestroys),
      replication: { auto: {} },
    },
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

/** The outputs of random.RandomPassword that hold the generated value. */
export const GENERATED_SECRET_OUTPUTS = ["result", "bcryptHash"];

/**
 * A generated credential: a random.RandomPassword whose value outputs are Pulumi secrets, encrypted in the state
 * and redacted in exports (the SDK marks them secret too; saying it here keeps them secret if that changes).
 * Never RandomId, RandomString or RandomBytes for a credential: their resource ID is the generated value, and
 * Pulumi cannot encrypt an ID (pulumi/pulumi#8946), so it would sit in plain text in every state and export.
 */
export function generatedSecret(
  name: string,
  args: random.RandomPasswordArgs,
  parent: pulumi.Resource,
): random.RandomPassword {
  return new random.RandomPassword(name, args, { parent, additionalSecretOutputs: GENERATED_SECRET_OUTPUTS });
}

/** The bearer token protecting /-/healthz (16 hex characters, as MSP), kept in Secret Manager. */
export class DiagnosticsSecret extends pulumi.ComponentResource {
  public readonly secretId: pulumi.Output<string>;
  /** The token itself, as a Pulumi secret (probes and uptime checks send it). */
  public readonly token: pulumi.Output<string>;

  constructor(name: string, args: DiagnosticsSecretArgs, opts?: pulumi.ComponentResourceOptions) {
    super("msp:gcp:DiagnosticsSecret", name, {}, opts);
    // 16 characters from 0-9a-f only ("abcdef" as the only special characters): 64 random bits, the format of
    // MSP's 8-byte random_id, with the value kept out of the resource ID.
    const token = generatedSecret(
      `${name}-token`,
      { length: 16, upper: false, lower: false, numeric: true, special: true, overrideSpecial: "abcdef" },
      this,
    );
    this.token = pulumi.secret(token.result);
    this.secretId = createSecret(this, `${name}-secret`, {
      projectId: args.projectId,
      secretId: DIAGNOSTICS_SECRET_ID,
      data: this.token,
      labels: args.labels,
      allowDestroys: args.allowDestroys ?? false,
    });
    this.registerOutputs({ secretId: this.secretId, token: this.token });
  }
}

export interface WorkloadSecretsArgs {
  readonly projectId: pulumi.Input<string>;
  /** Secret IDs in the environment's own project that the workload reads (`secretEnv`, `secretVolumes`). */
  readonly secretIds: readonly string[];
  readonly labels: Record<string, string>;
  /** Whether the secrets may be deleted (spec `allowDestroys`). Defaults to false. */
  readonly allowDestroys?: boolean;
}

/**
 * The containers of the secrets the workload reads from its own project, created by the platform (protected)
 * so that a new project has them, but never given a value: the owner adds it (`gcloud secrets versions add`),
 * and the deploy-ready check stops a deploy before `pulumi up` while one is missing, because Cloud Run fails a
 * revision whose secret has no version (terraform-provider-google #10846).
 */
export class WorkloadSecrets extends pulumi.ComponentResource {
  /** Secret IDs, in the order given. */
  public readonly secretIds: pulumi.Output<string>[];

  constructor(name: string, args: WorkloadSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("msp:gcp:WorkloadSecrets", name, {}, opts);
    const allowDestroys = args.allowDestroys ?? false;
    this.secretIds = args.secretIds.map(
      (secretId) =>
        new gcp.secretmanager.Secret(
          `${name}-${secretId}`,
          {
            project: args.projectId,
            secretId,
            labels: statefulLabels(args.labels, allowDestroys),
            replication: { auto: {} },
          },
          statefulOptions(this, allowDestroys),
        ).secretId,
    );
    this.registerOutputs({ secretIds: this.secretIds });
  }
}
