/** The environment's workload: a Cloud Run service, or a Cloud Run job with its schedule. */
import type { ResolvedEnvironment } from "../../resolve/environment";
import { containerEnv, secretMounts, type ContainerContract } from "../../resolve/container";
import { CloudRunService } from "../../components/cloudrun-service";
import { CloudRunJob } from "../../components/cloudrun-job";
import type { Foundation } from "./foundation";
import type { Data } from "./data";

export interface Workload {
  readonly service?: CloudRunService;
  readonly job?: CloudRunJob;
}

export function buildWorkload(env: ResolvedEnvironment, base: Foundation, data: Data): Workload {
  const w = env.workload;
  const contract: ContainerContract = {
    projectId: env.project.id,
    envId: env.envId,
    dnsName: env.domain?.fqdn,
    diagnosticsSecret: base.diagnostics.secretId,
    postgres: data.postgres && { instance: data.postgres.connectionName, user: data.postgres.workloadUser },
    redis: data.redis && { endpointSecret: data.redis.endpointSecretId, caSecret: data.redis.caSecretId },
    bigQuery: env.bigQuery && { projectId: env.bigQuery.projectId, datasetId: env.bigQuery.datasetId },
    job: w.job && { cron: w.job.cron, deadlineSeconds: w.job.deadlineSeconds },
  };
  const network = data.network;
  const container = {
    projectId: base.project.projectId,
    region: env.region,
    name: w.cloudRunName,
    containerName: w.containerName,
    image: w.image,
    cpu: w.cpu,
    memory: w.memory,
    generation: w.generation,
    env: containerEnv(w.container, contract),
    mounts: secretMounts(w.container, contract),
    serviceAccountEmail: base.identities.workloadEmail,
    network: network && { network: network.networkId, subnetwork: network.subnetSelfLink },
    labels: env.labels,
    dependsOn: data.ready,
  };
  if (w.job)
    return {
      job: new CloudRunJob(
        "job",
        {
          ...container,
          invokerAccountId: w.job.invokerAccountId,
          deadlineSeconds: w.job.deadlineSeconds,
          cron: w.job.cron,
        },
        base.opts,
      ),
    };
  const s = w.service!;
  return {
    service: new CloudRunService(
      "cloudrun",
      {
        ...container,
        scaling: s.scaling,
        h2c: s.h2c,
        internalLoadBalancerOnly: s.internalLoadBalancerOnly,
        probes: s.probes,
        diagnosticsToken: base.diagnostics.token,
        invokers: s.invokers,
        imageManagedByRollout: w.imageManagedByRollout,
      },
      base.opts,
    ),
  };
}
