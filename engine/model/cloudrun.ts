/** Cloud Run services and jobs, their IAM bindings, and Cloud Scheduler. */
import type * as gcp from "@pulumi/gcp";
import {
  iamBinding,
  projectNumber,
  projectOf,
  regionOf,
  resourceModel,
  str,
  uuid,
  type ResourceModel,
} from "./define";

/** Cloud Run serves a deterministic URL only when its DNS label fits in 63 characters. */
export const MAX_DNS_LABEL = 63;

/**
 * The URL of a Cloud Run service: its deterministic form `https://<name>-<project number>.<region>.run.app`
 * (https://cloud.google.com/run/docs/triggering/https-request#deterministic), which Cloud Run serves and
 * displays first. The older `https://<name>-<hash>-<region code>.a.run.app` form contains a random
 * per-project hash and an unpublished region code, so it cannot be modelled honestly.
 */
export function cloudRunUrl(name: string, projectId: string, region: string): string {
  const label = `${name}-${projectNumber(projectId)}`;
  if (label.length > MAX_DNS_LABEL)
    throw new Error(
      `Cloud Run service "${name}": "${label}" is longer than ${MAX_DNS_LABEL} characters, so Cloud Run gives it no deterministic URL`,
    );
  return `https://${label}.${region}.run.app`;
}

const locationScope = (
  inputs: { project?: unknown; location?: unknown },
  ctx: Parameters<typeof projectOf>[1],
) => `projects/${projectOf(inputs, ctx)}/locations/${regionOf(inputs, ctx)}`;

export const cloudRunModels: Record<string, ResourceModel> = {
  "gcp:cloudrunv2/service:Service": resourceModel<typeof gcp.cloudrunv2.Service>().onCreate((inputs, ctx) => {
    const project = projectOf(inputs, ctx);
    const name = str(inputs.name, ctx.name);
    const uri = cloudRunUrl(name, project, regionOf(inputs, ctx));
    return {
      id: `${locationScope(inputs, ctx)}/services/${name}`,
      state: { uri, urls: [uri], uid: uuid(`${project}/${name}`), generation: "1" },
    };
  }),
  "gcp:cloudrunv2/job:Job": resourceModel<typeof gcp.cloudrunv2.Job>().onCreate((inputs, ctx) => {
    const name = str(inputs.name, ctx.name);
    return {
      id: `${locationScope(inputs, ctx)}/jobs/${name}`,
      state: { uid: uuid(`${projectOf(inputs, ctx)}/${name}`), generation: "1" },
    };
  }),
  "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": resourceModel<
    typeof gcp.cloudrunv2.ServiceIamMember
  >().onCreate((inputs, ctx) =>
    iamBinding(`${locationScope(inputs, ctx)}/services/${str(inputs.name)}`, inputs.role, inputs.member),
  ),
  "gcp:cloudrunv2/jobIamMember:JobIamMember": resourceModel<typeof gcp.cloudrunv2.JobIamMember>().onCreate(
    (inputs, ctx) =>
      iamBinding(`${locationScope(inputs, ctx)}/jobs/${str(inputs.name)}`, inputs.role, inputs.member),
  ),
  "gcp:cloudscheduler/job:Job": resourceModel<typeof gcp.cloudscheduler.Job>().onCreate((inputs, ctx) => ({
    id: `projects/${projectOf(inputs, ctx)}/locations/${regionOf(inputs, ctx)}/jobs/${str(inputs.name, ctx.name)}`,
    state: { state: inputs.paused ? "PAUSED" : "ENABLED" },
  })),
};
