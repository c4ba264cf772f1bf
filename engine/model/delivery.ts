/** Cloud Deploy pipelines, targets and custom target types, with their buckets and Pub/Sub notifications. */
import type * as gcp from "@pulumi/gcp";
import { iamBinding, projectOf, regionOf, resourceModel, str, uuid, type ResourceModel } from "./define";

export const deliveryModels: Record<string, ResourceModel> = {
  "gcp:clouddeploy/deliveryPipeline:DeliveryPipeline": resourceModel<
    typeof gcp.clouddeploy.DeliveryPipeline
  >().onCreate((inputs, ctx) => {
    const project = projectOf(inputs, ctx);
    const name = str(inputs.name, ctx.name);
    return {
      id: `projects/${project}/locations/${regionOf(inputs, ctx)}/deliveryPipelines/${name}`,
      state: { uid: uuid(`${project}/pipeline/${name}`) },
    };
  }),
  "gcp:clouddeploy/target:Target": resourceModel<typeof gcp.clouddeploy.Target>().onCreate((inputs, ctx) => {
    const project = projectOf(inputs, ctx);
    const name = str(inputs.name, ctx.name);
    return {
      id: `projects/${project}/locations/${regionOf(inputs, ctx)}/targets/${name}`,
      state: { uid: uuid(`${project}/target/${name}`), targetId: name },
    };
  }),
  "gcp:clouddeploy/customTargetType:CustomTargetType": resourceModel<
    typeof gcp.clouddeploy.CustomTargetType
  >().onCreate((inputs, ctx) => {
    const project = projectOf(inputs, ctx);
    const name = str(inputs.name, ctx.name);
    return {
      id: `projects/${project}/locations/${regionOf(inputs, ctx)}/customTargetTypes/${name}`,
      state: { uid: uuid(`${project}/customTargetType/${name}`), customTargetTypeId: name },
    };
  }),
  "gcp:storage/bucket:Bucket": resourceModel<typeof gcp.storage.Bucket>().onCreate((inputs, ctx) => {
    const name = str(inputs.name, ctx.name);
    return {
      id: name,
      state: { url: `gs://${name}`, selfLink: `https://www.googleapis.com/storage/v1/b/${name}` },
    };
  }),
  "gcp:storage/bucketIAMMember:BucketIAMMember": resourceModel<typeof gcp.storage.BucketIAMMember>().onCreate(
    (inputs) => iamBinding(`b/${str(inputs.bucket)}`, inputs.role, inputs.member),
  ),
  "gcp:pubsub/topic:Topic": resourceModel<typeof gcp.pubsub.Topic>().onCreate((inputs, ctx) => ({
    id: `projects/${projectOf(inputs, ctx)}/topics/${str(inputs.name, ctx.name)}`,
    state: {},
  })),
  "gcp:pubsub/subscription:Subscription": resourceModel<typeof gcp.pubsub.Subscription>().onCreate(
    (inputs, ctx) => ({
      id: `projects/${projectOf(inputs, ctx)}/subscriptions/${str(inputs.name, ctx.name)}`,
      state: {},
    }),
  ),
};
