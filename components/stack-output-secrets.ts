import * as pulumi from "@pulumi/pulumi";
import { createSecret } from "./secret";

export interface StackOutputSecretsArgs {
  readonly projectId: pulumi.Input<string>;
  /** One secret per output: its Secret Manager ID and the value its one version holds. */
  readonly outputs: readonly { readonly secretId: string; readonly value: pulumi.Input<string> }[];
  readonly labels: Record<string, string>;
  /** Whether the secrets may be deleted (spec `allowDestroys`). Defaults to false. */
  readonly allowDestroys?: boolean;
}

/**
 * Stack outputs kept in Secret Manager in the environment's project, where MSP's tooling and custom
 * resources read them (MSP's `StackLocals`: `<stack>_<variable>`). Each is a secret with one version whose
 * value is a Pulumi secret (encrypted in the state, redacted in previews and exports), never a stack output
 * in plain text. Protected like every secret the platform writes; a new deploy writes a new version when the
 * value changes.
 */
export class StackOutputSecrets extends pulumi.ComponentResource {
  /** Secret IDs, in the order given. */
  public readonly secretIds: pulumi.Output<string>[];

  constructor(name: string, args: StackOutputSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("msp:gcp:StackOutputSecrets", name, {}, opts);
    this.secretIds = args.outputs.map((o) =>
      createSecret(this, `${name}-${o.secretId}`, {
        projectId: args.projectId,
        secretId: o.secretId,
        data: o.value,
        labels: args.labels,
        allowDestroys: args.allowDestroys ?? false,
      }),
    );
    this.registerOutputs({ secretIds: this.secretIds });
  }
}
