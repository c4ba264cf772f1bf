/**
 * Google-managed service agents (`service-<project number>@<agent domain>.iam.gserviceaccount.com`): which API
 * each belongs to. An agent exists once its API is enabled in the project or `generateServiceIdentity`
 * (`gcp.projects.ServiceIdentity`) created it (https://cloud.google.com/iam/docs/service-agents); a grant to
 * it before then fails ("Service account ... does not exist").
 */
export const AGENT_DOMAINS: Readonly<Record<string, string>> = {
  "serverless-robot-prod": "run.googleapis.com",
  "service-networking": "servicenetworking.googleapis.com",
  "gcp-sa-cloudscheduler": "cloudscheduler.googleapis.com",
  "gcp-sa-clouddeploy": "clouddeploy.googleapis.com",
  "gcp-sa-pubsub": "pubsub.googleapis.com",
  "gcp-sa-secretmanager": "secretmanager.googleapis.com",
  "gcp-sa-cloud-sql": "sqladmin.googleapis.com",
  "cloud-redis": "redis.googleapis.com",
  "compute-system": "compute.googleapis.com",
  "gcp-sa-artifactregistry": "artifactregistry.googleapis.com",
  "gcp-sa-monitoring-notification": "monitoring.googleapis.com",
  "gcp-sa-logging": "logging.googleapis.com",
};

/** The project number and API of a service agent member (`serviceAccount:service-<n>@<domain>...`). */
export function serviceAgent(
  member: unknown,
): { projectNumber: string; api: string; email: string } | undefined {
  const m = /^serviceAccount:(service-(\d+)@([a-z0-9-]+)\.iam\.gserviceaccount\.com)$/.exec(
    typeof member === "string" ? member : "",
  );
  const api = m && AGENT_DOMAINS[m[3]!];
  return m && api ? { projectNumber: m[2]!, api, email: m[1]! } : undefined;
}

/** The member string of `api`'s service agent in the project numbered `projectNumber`. */
export function serviceAgentMember(api: string, projectNumber: string): string {
  // Agents without an entry follow the newer general form, gcp-sa-<service>.
  const domain =
    Object.keys(AGENT_DOMAINS).find((d) => AGENT_DOMAINS[d] === api) ?? `gcp-sa-${api.split(".")[0]}`;
  return `serviceAccount:service-${projectNumber}@${domain}.iam.gserviceaccount.com`;
}
