/** The environment's rollout: the Cloud Deploy pipeline, created with the final stage of a rollout. */
import type { ResolvedEnvironment } from "../../resolve/model";
import { RolloutPipeline } from "../../components/rollout";
import type { Foundation } from "./foundation";

export function buildRollout(env: ResolvedEnvironment, base: Foundation): RolloutPipeline | undefined {
  const r = env.rollout;
  if (!r) return undefined;
  return new RolloutPipeline(
    "rollout",
    {
      projectId: base.project.projectId,
      region: r.region,
      pipelineName: r.pipelineName,
      serviceId: env.serviceId,
      skaffoldBucket: r.skaffoldBucket,
      image: r.imageRepository,
      stages: r.stages.map((s) => ({
        envId: s.envId,
        projectId: s.projectId,
        serviceName: s.cloudRunName,
        targetName: s.targetName,
        workloadEmail: s.workloadEmail,
        canaryPercentages: s.canaryPercentages,
      })),
      suspended: r.suspended,
      extraReleaser: r.extraReleaser,
      sourceRepo: r.sourceRepo,
      labels: env.labels,
      notificationEndpoint: base.sharedSecret(r.notificationSecret),
    },
    base.opts,
  );
}
