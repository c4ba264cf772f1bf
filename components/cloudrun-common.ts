/** Inputs shared by Cloud Run services and jobs, so the two components never drift apart. */
import * as pulumi from "@pulumi/pulumi";
import { toCloudRunEnvs, toCloudRunVolumes, type EnvEntry, type SecretMount } from "../plans/container";

export interface WorkloadContainerArgs {
  /** Container name: the service ID. */
  readonly containerName: string;
  /** Image repository and tag (us.gcr.io/p/svc:insiders) or digest (repo@sha256:..., resolved at deploy time). */
  readonly image: pulumi.Input<string>;
  readonly cpu: number;
  /** Kubernetes-style memory, e.g. 1Gi. */
  readonly memory: string;
  /** 1 or 2: Cloud Run execution environment. */
  readonly generation?: 1 | 2;
  readonly env: readonly EnvEntry[];
  readonly mounts: readonly SecretMount[];
  readonly serviceAccountEmail: pulumi.Input<string>;
  /** Private network for Cloud SQL and Redis (direct VPC egress to private ranges only). */
  readonly network?: { network: pulumi.Input<string>; subnetwork: pulumi.Input<string> };
}

export const executionEnvironment = (gen?: 1 | 2) =>
  gen === undefined ? undefined : gen === 1 ? "EXECUTION_ENVIRONMENT_GEN1" : "EXECUTION_ENVIRONMENT_GEN2";

export function vpcAccess(network: WorkloadContainerArgs["network"]) {
  return network ? { networkInterfaces: [network], egress: "PRIVATE_RANGES_ONLY" } : undefined;
}

/** The container block and volumes of a Cloud Run v2 template. */
export function containerInputs(args: WorkloadContainerArgs) {
  const { volumes, volumeMounts } = toCloudRunVolumes([...args.mounts]);
  const container = {
    name: args.containerName,
    image: args.image,
    resources: { limits: { cpu: String(args.cpu), memory: args.memory } },
    envs: toCloudRunEnvs([...args.env]),
    volumeMounts,
  };
  return { container, volumes };
}
