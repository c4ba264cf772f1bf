/**
 * The container both Cloud Run services and jobs run, as Cloud Run v2 inputs: environment variables (a secret
 * always as a `secretKeyRef`, never a plain value) and read-only secret volumes. Which variables and volumes a
 * workload gets is the resolver's decision (resolve/container.ts); these pure functions only shape them.
 */
import type * as pulumi from "@pulumi/pulumi";

/** A plain variable, or one whose value Cloud Run reads from Secret Manager at start-up. */
export type EnvEntry =
  { name: string; value: pulumi.Input<string> } | { name: string; secret: pulumi.Input<string> };

export interface SecretMount {
  volume: string;
  /** Secret name, or projects/<p>/secrets/<name>. */
  secret: pulumi.Input<string>;
  mountDir: string;
  fileName: string;
}

/** Cloud Run v2 container `envs` input (shared by services and jobs). */
export function toCloudRunEnvs(entries: EnvEntry[]) {
  return entries.map((e) =>
    "secret" in e
      ? { name: e.name, valueSource: { secretKeyRef: { secret: e.secret, version: "latest" } } }
      : { name: e.name, value: e.value },
  );
}

/** Cloud Run v2 `volumes` and container `volumeMounts` inputs (one volume per mounted secret, mode 0444). */
export function toCloudRunVolumes(mounts: SecretMount[]) {
  return {
    volumes: mounts.map((m) => ({
      name: m.volume,
      secret: { secret: m.secret, items: [{ version: "latest", path: m.fileName, mode: 0o444 }] },
    })),
    volumeMounts: mounts.map((m) => ({ name: m.volume, mountPath: m.mountDir })),
  };
}
