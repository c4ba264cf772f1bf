/**
 * The environment's workload: a Cloud Run service, or a Cloud Run job with its schedule, with its Sentry
 * project when the platform has one, running the image the deploy type says (a subscription's tag resolved to
 * its digest at deploy time).
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedEnvironment } from "../../resolve/model";
import { ErrorReporting } from "../../components/sentry";
import { type ContainerContract } from "../../platform/container-contract";
import { containerEnv, secretMounts } from "../../resolve/container";
import { CloudRunService } from "../../components/cloudrun-service";
import { CloudRunJob } from "../../components/cloudrun-job";
import { WorkloadSecrets } from "../../components/secret";
import type { Foundation } from "./foundation";
import type { Data } from "./data";

export interface Workload {
  readonly service?: CloudRunService;
  readonly job?: CloudRunJob;
  /** The image reference Cloud Run runs (pinned to a digest for subscription deploys). */
  readonly image: pulumi.Input<string>;
  readonly errorReporting?: ErrorReporting;
}

/** `<repository>@sha256:...` of the tag's current image for subscription deploys, else `<repository>:<tag>`. */
function imageReference(env: ResolvedEnvironment): pulumi.Input<string> {
  const pin = env.workload.pinDigest;
  if (!pin) return env.workload.image;
  // A data source: read at every preview and deploy, so the plan shows the digest that will run.
  return gcp.artifactregistry.getDockerImageOutput({
    location: pin.location,
    project: pin.project,
    repositoryId: pin.repositoryId,
    imageName: `${pin.imageName}:${pin.tag}`,
  }).selfLink;
}

export function buildWorkload(env: ResolvedEnvironment, base: Foundation, data: Data): Workload {
  const w = env.workload;
  const errorReporting =
    env.sentry &&
    new ErrorReporting(
      "sentry",
      {
        organization: env.sentry.organization,
        team: env.sentry.team,
        slug: env.sentry.slug,
        name: env.sentry.name,
        token: base.sharedSecret(env.sentry.tokenSecret),
        projectId: base.project.projectId,
        labels: env.labels,
        allowDestroys: env.allowDestroys,
        slackAlert: env.sentry.slackAlert,
      },
      base.opts,
    );
  // The containers of the secrets the workload reads from its own project; their values are the owner's.
  const secrets =
    w.ownSecrets.length > 0
      ? new WorkloadSecrets(
          "secrets",
          {
            projectId: base.project.projectId,
            secretIds: w.ownSecrets,
            labels: env.labels,
            allowDestroys: env.allowDestroys,
          },
          base.opts,
        )
      : undefined;
  const image = imageReference(env);
  const contract: ContainerContract = {
    projectId: env.project.id,
    envId: env.envId,
    dnsName: env.domain?.fqdn,
    diagnosticsSecret: base.diagnostics.secretId,
    postgres: data.postgres && { instance: data.postgres.connectionName, user: data.postgres.workloadUser },
    redis: data.redis && { endpointSecret: data.redis.endpointSecretId, caSecret: data.redis.caSecretId },
    bigQuery: env.bigQuery && { projectId: env.bigQuery.projectId, datasetId: env.bigQuery.datasetId },
    job: w.job && { cron: w.job.cron, deadlineSeconds: w.job.deadlineSeconds },
    sentryDsnSecret: errorReporting?.dsnSecretId,
  };
  const network = data.network;
  const container = {
    projectId: base.project.projectId,
    region: env.region,
    name: w.cloudRunName,
    containerName: w.containerName,
    image,
    cpu: w.cpu,
    memory: w.memory,
    generation: w.generation,
    env: containerEnv(w.container, contract),
    mounts: secretMounts(w.container, contract),
    serviceAccountEmail: base.identities.workloadEmail,
    network: network && { network: network.networkId, subnetwork: network.subnetSelfLink },
    labels: env.labels,
    dependsOn: [...data.ready, ...(errorReporting ? [errorReporting] : []), ...(secrets ? [secrets] : [])],
  };
  if (w.job)
    return {
      image,
      errorReporting,
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
    image,
    errorReporting,
    service: new CloudRunService(
      "cloudrun",
      {
        ...container,
        port: s.port,
        scaling: s.scaling,
        h2c: s.h2c,
        internalLoadBalancerOnly: s.internalLoadBalancerOnly,
        probes: s.probes,
        diagnosticsToken: base.diagnostics.token,
        invokers: s.invokers,
        imageManagedByRollout: w.imageManagedByRollout,
        trafficManagedByRollout: !!env.rolloutStage?.canaryPercentages,
      },
      base.opts,
    ),
  };
}
