import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { DEPLOY_ACTION, RENDER_ACTION } from "../plans/skaffold-source";
import { childOptions } from "./options";

export interface RolloutStage {
  readonly envId: string;
  readonly projectId: string;
  /** The Cloud Run service the stage deploys. */
  readonly serviceName: string;
  /** The stage's Cloud Deploy target. */
  readonly targetName: string;
  /** The account the stage's revisions run as: deploying acts as it. */
  readonly workloadEmail: string;
  /** Roll the stage out in phases: percent of requests the new revision gets in each (ascending, 1-99). */
  readonly canaryPercentages?: readonly number[];
}

export interface RolloutPipelineArgs {
  /** Project of the final stage, where the pipeline lives. */
  readonly projectId: pulumi.Input<string>;
  readonly region: string;
  readonly pipelineName: string;
  /** Named in the pipeline's description. */
  readonly serviceId: string;
  /** Bucket for rendered skaffold configurations. */
  readonly skaffoldBucket: string;
  /** Image repository the targets deploy. */
  readonly image: string;
  /** Stages in promotion order. */
  readonly stages: readonly RolloutStage[];
  /** Suspend the pipeline (direct Cloud Run deploys stay possible). Defaults to false. */
  readonly suspended?: boolean;
  /** An extra identity (e.g. a CI service account email) allowed to create releases. */
  readonly extraReleaser?: string;
  /** The source repository, an annotation of the pipeline (none when the spec names no source). */
  readonly sourceRepo?: string;
  readonly labels: Record<string, string>;
  /** Push endpoint relaying Cloud Deploy notifications to Slack (a Pulumi secret). */
  readonly notificationEndpoint: pulumi.Input<string>;
}

export const CUSTOM_TARGET_TYPE = "cloud-run-service";

/**
 * A canary stage's strategy: Cloud Deploy's automated canary (canaryDeployment.percentages, ascending, each
 * 0 <= n < 100, then the stable 100% phase), with Cloud Run traffic control on. Each phase runs the custom
 * target's deploy action with the phase's percentage (CLOUD_DEPLOY_PERCENTAGE_DEPLOY), which splits the
 * service's traffic (delivery/skaffold-source.ts); `gcloud deploy rollouts advance` moves to the next phase.
 * https://cloud.google.com/deploy/docs/deployment-strategies/canary ("supports all target types").
 */
export function canaryStrategy(percentages: readonly number[] | undefined) {
  if (!percentages?.length) return {};
  return {
    strategy: {
      canary: {
        runtimeConfig: { cloudRun: { automaticTrafficControl: true } },
        canaryDeployment: { percentages: [...percentages], verify: false },
      },
    },
  };
}

/**
 * A Cloud Deploy delivery pipeline (reference §7): a custom target per stage that only swaps the Cloud Run
 * image, executor and releaser accounts, the buckets releases use, and notifications.
 */
export class RolloutPipeline extends pulumi.ComponentResource {
  public readonly pipelineName: pulumi.Output<string>;
  public readonly releaserEmail: pulumi.Output<string>;

  constructor(name: string, args: RolloutPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("msp:gcp:RolloutPipeline", name, {}, opts);
    const project = args.projectId;
    const location = args.region;
    const account = (id: string, displayName: string) =>
      new gcp.serviceaccount.Account(
        `${name}-${id}`,
        { project, accountId: id, displayName },
        childOptions(this),
      );
    const executor = account("clouddeploy-executor", "Cloud Deploy executor");
    const releaser = account("clouddeploy-releaser", "Cloud Deploy releaser");
    const executorMember = pulumi.interpolate`serviceAccount:${executor.email}`;
    new gcp.projects.IAMMember(
      `${name}-executor-jobrunner`,
      { project, role: "roles/clouddeploy.jobRunner", member: executorMember },
      childOptions(this),
    );

    for (const stage of args.stages) {
      new gcp.projects.IAMMember(
        `${name}-executor-run-${stage.envId}`,
        { project: stage.projectId, role: "roles/run.developer", member: executorMember },
        childOptions(this),
      );
      // Deploying a revision acts as its runtime account: grant that on the account, not the project.
      new gcp.serviceaccount.IAMMember(
        `${name}-executor-actas-${stage.envId}`,
        {
          serviceAccountId: `projects/${stage.projectId}/serviceAccounts/${stage.workloadEmail}`,
          role: "roles/iam.serviceAccountUser",
          member: executorMember,
        },
        childOptions(this),
      );
    }

    const bucket = (key: string, bucketName: pulumi.Input<string>) =>
      new gcp.storage.Bucket(
        `${name}-${key}`,
        {
          project,
          name: bucketName,
          location: "US",
          uniformBucketLevelAccess: true,
          publicAccessPrevention: "enforced",
          labels: args.labels,
        },
        childOptions(this),
      );
    const skaffold = bucket("skaffold-bucket", args.skaffoldBucket);

    const targetType = new gcp.clouddeploy.CustomTargetType(
      `${name}-target-type`,
      {
        project,
        location,
        name: CUSTOM_TARGET_TYPE,
        labels: { ...args.labels },
        customActions: {
          // The actions the release's skaffold source defines (plans/skaffold-source.ts).
          renderAction: RENDER_ACTION,
          deployAction: DEPLOY_ACTION,
        },
      },
      childOptions(this),
    );
    const targets = args.stages.map(
      (stage) =>
        new gcp.clouddeploy.Target(
          `${name}-target-${stage.envId}`,
          {
            project,
            location,
            name: stage.targetName,
            customTarget: { customTargetType: targetType.id },
            deployParameters: {
              "customTarget/serviceID": stage.serviceName,
              "customTarget/image": args.image,
              "customTarget/projectID": stage.projectId,
            },
            executionConfigs: [
              {
                usages: ["RENDER", "DEPLOY"],
                serviceAccount: executor.email,
                artifactStorage: pulumi.interpolate`gs://${skaffold.name}`,
              },
            ],
            labels: args.labels,
          },
          childOptions(this),
        ),
    );
    const pipeline = new gcp.clouddeploy.DeliveryPipeline(
      `${name}-pipeline`,
      {
        project,
        location,
        name: args.pipelineName,
        description: `Rollout of ${args.serviceId}: ${args.stages.map((s) => s.envId).join(" -> ")}`,
        suspended: args.suspended ?? false,
        ...(args.sourceRepo ? { annotations: { repository: args.sourceRepo } } : {}),
        labels: args.labels,
        serialPipeline: {
          stages: targets.map((t, i) => ({
            targetId: t.name,
            profiles: [],
            ...canaryStrategy(args.stages[i]!.canaryPercentages),
          })),
        },
      },
      childOptions(this),
    );
    // Cloud Deploy writes release artifacts to <pipeline uid>_clouddeploy; creating it lets us grant access.
    const releases = bucket("release-bucket", pulumi.interpolate`${pipeline.uid}_clouddeploy`);

    const listBuckets = new gcp.projects.IAMCustomRole(
      `${name}-list-buckets`,
      {
        project,
        roleId: "clouddeploy_listbuckets",
        title: "Cloud Deploy: list buckets",
        permissions: ["storage.buckets.list"],
      },
      childOptions(this),
    );
    const releasers = [
      pulumi.interpolate`serviceAccount:${releaser.email}`,
      ...(args.extraReleaser ? [`serviceAccount:${args.extraReleaser}`] : []),
    ];
    releasers.forEach((member, i) => {
      const who = i === 0 ? "releaser" : "extra-releaser";
      new gcp.projects.IAMMember(
        `${name}-${who}-releaser`,
        { project, role: "roles/clouddeploy.releaser", member },
        childOptions(this),
      );
      new gcp.projects.IAMMember(
        `${name}-${who}-list-buckets`,
        { project, role: listBuckets.name, member },
        childOptions(this),
      );
      for (const [key, b] of [
        ["skaffold", skaffold],
        ["releases", releases],
      ] as const)
        new gcp.storage.BucketIAMMember(
          `${name}-${who}-${key}`,
          { bucket: b.name, role: "roles/storage.admin", member },
          childOptions(this),
        );
      new gcp.serviceaccount.IAMMember(
        `${name}-${who}-actas-executor`,
        { serviceAccountId: executor.name, role: "roles/iam.serviceAccountUser", member },
        childOptions(this),
      );
    });

    const topic = new gcp.pubsub.Topic(
      `${name}-notifications`,
      { project, name: "clouddeploy-operations", messageRetentionDuration: "3600s", labels: args.labels },
      childOptions(this),
    );
    new gcp.pubsub.Subscription(
      `${name}-notifications-relay`,
      {
        project,
        name: "clouddeploy-operations",
        topic: topic.id,
        messageRetentionDuration: "3600s",
        expirationPolicy: { ttl: "" },
        pushConfig: { pushEndpoint: pulumi.secret(args.notificationEndpoint) },
        labels: args.labels,
      },
      childOptions(this),
    );

    this.pipelineName = pipeline.name;
    this.releaserEmail = releaser.email;
    this.registerOutputs({ pipelineName: this.pipelineName, releaserEmail: this.releaserEmail });
  }
}
