/** Cloud Monitoring (channels, alert policies, uptime checks, dashboards) and log-based metrics. */
import type * as gcp from "@pulumi/gcp";
import { hash, num, projectNumber, projectOf, resourceModel, str, uuid, type ResourceModel } from "./define";
import { serviceAgentMember } from "../../platform/service-agents";

/** A dashboard's resource name, its ID: `projects/<number>/dashboards/<id>`. */
export const dashboardName = (project: string, name: string): string =>
  `projects/${projectNumber(project)}/dashboards/${uuid(`${project}/${name}`)}`;

export const monitoringModels: Record<string, ResourceModel> = {
  "gcp:monitoring/notificationChannel:NotificationChannel": resourceModel<
    typeof gcp.monitoring.NotificationChannel
  >().onCreate((inputs, ctx) => {
    const project = projectOf(inputs, ctx);
    const name = `projects/${project}/notificationChannels/${num(`${project}/${ctx.name}`, 19)}`;
    return { id: name, state: { name, verificationStatus: "" } };
  }),
  "gcp:monitoring/alertPolicy:AlertPolicy": resourceModel<typeof gcp.monitoring.AlertPolicy>().onCreate(
    (inputs, ctx) => {
      const project = projectOf(inputs, ctx);
      const name = `projects/${project}/alertPolicies/${num(`${project}/${ctx.name}`, 19)}`;
      return { id: name, state: { name } };
    },
  ),
  "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": resourceModel<
    typeof gcp.monitoring.UptimeCheckConfig
  >().onCreate((inputs, ctx) => {
    const project = projectOf(inputs, ctx);
    // Cloud Monitoring derives the check ID from the display name and adds a random suffix.
    const slug = str(inputs.displayName)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .slice(0, 40);
    const uptimeCheckId = `${slug}-${hash(`${project}/${ctx.name}`, 6)}`;
    const name = `projects/${project}/uptimeCheckConfigs/${uptimeCheckId}`;
    return { id: name, state: { uptimeCheckId, name } };
  }),
  "gcp:monitoring/dashboard:Dashboard": resourceModel<typeof gcp.monitoring.Dashboard>().onCreate(
    (inputs, ctx) => {
      return { id: dashboardName(projectOf(inputs, ctx), ctx.name), state: {} };
    },
  ),
  // A sink with a unique writer identity writes as the project's Logging service agent, shared by the project's
  // sinks (sinks.create, uniqueWriterIdentity: "a service agent used by the sinks with the same parent",
  // https://cloud.google.com/logging/docs/api/reference/rest/v2/sinks/create), whose email is Google's
  // documented service-<project number>@gcp-sa-logging form (https://cloud.google.com/iam/docs/service-agents).
  "gcp:logging/projectSink:ProjectSink": resourceModel<typeof gcp.logging.ProjectSink>().onCreate(
    (inputs, ctx) => {
      const project = projectOf(inputs, ctx);
      const name = str(inputs.name, ctx.name);
      return {
        id: `projects/${project}/sinks/${name}`,
        state: { writerIdentity: serviceAgentMember("logging.googleapis.com", projectNumber(project)) },
      };
    },
  ),
  "gcp:logging/metric:Metric": resourceModel<typeof gcp.logging.Metric>().onCreate((inputs, ctx) => ({
    id: str(inputs.name, ctx.name),
    state: {},
  })),
};
