/**
 * A resource in a project the run creates needs its API enabled first: Google answers 403 SERVICE_DISABLED
 * ("API has not been used in project ... before or it is disabled") to any call to a disabled API, and a new
 * project has only Google's defaults enabled.
 */
import { finding, type FirstDeployRule } from "../finding";
import type { PlanGraph } from "../plan-graph";

/**
 * The API each resource type calls, by type prefix (the provider's REST endpoints). Any one of several
 * listed APIs is enough (Cloud Storage answers under both names). Types missing here call no API of the
 * project itself: IAM policies and audit configs of a project go through Cloud Resource Manager, billed to the
 * caller's project (terraform-provider-google #10066), not the project created.
 */
export const API_BY_TYPE: readonly (readonly [prefix: string, apis: readonly string[]])[] = [
  ["gcp:cloudrunv2/", ["run.googleapis.com"]],
  ["gcp:sql/", ["sqladmin.googleapis.com"]],
  ["gcp:redis/", ["redis.googleapis.com"]],
  ["gcp:compute/", ["compute.googleapis.com"]],
  ["gcp:servicenetworking/", ["servicenetworking.googleapis.com"]],
  ["gcp:secretmanager/", ["secretmanager.googleapis.com"]],
  ["gcp:monitoring/", ["monitoring.googleapis.com"]],
  ["gcp:logging/", ["logging.googleapis.com"]],
  ["gcp:bigquery/", ["bigquery.googleapis.com"]],
  ["gcp:cloudscheduler/", ["cloudscheduler.googleapis.com"]],
  ["gcp:clouddeploy/", ["clouddeploy.googleapis.com"]],
  ["gcp:pubsub/", ["pubsub.googleapis.com"]],
  ["gcp:artifactregistry/", ["artifactregistry.googleapis.com"]],
  ["gcp:storage/", ["storage.googleapis.com", "storage-api.googleapis.com"]],
  ["gcp:serviceaccount/account:", ["iam.googleapis.com"]],
  ["gcp:projects/iAMCustomRole:", ["iam.googleapis.com"]],
];

export const apisOf = (type: string): readonly string[] | undefined =>
  API_BY_TYPE.find(([prefix]) => type.startsWith(prefix))?.[1];

export const apiEnabled: FirstDeployRule = {
  name: "api-enabled-first",
  source:
    "https://cloud.google.com/service-usage/docs/enable-disable (an API is used only once enabled in the project)",
  check(graph: PlanGraph) {
    const out = [];
    for (const r of graph.resources) {
      const apis = r.custom ? apisOf(r.type) : undefined;
      const project = graph.projectOf(r);
      if (!apis || !graph.createsProject(project)) continue;
      const enabled = apis.map((api) => graph.enablement(project, api)).filter((s) => s !== undefined);
      if (!enabled.length)
        out.push(
          finding(this, r, {
            key: apis[0],
            problem: `${apis.join(" or ")} is not enabled in ${project}, which this deploy creates: the call fails with SERVICE_DISABLED.`,
            fix: `enable ${apis[0]} in the project (GcpProject's APIs, spec service.iam.services) before the resource.`,
          }),
        );
      else if (!enabled.some((s) => graph.isOrderedAfter(r, s)))
        out.push(
          finding(this, r, {
            key: apis[0],
            problem: `the resource is not ordered after the enablement of ${apis[0]} in ${project}: it may be created first and fail with SERVICE_DISABLED.`,
            fix: `make it depend on the project's enabled APIs (the components' options carry dependsOn: project.services).`,
          }),
        );
    }
    return out;
  },
};
