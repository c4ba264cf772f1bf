/** Console and tool links for an environment (pure). */
const CONSOLE = "https://console.cloud.google.com";

export const projectLink = (project: string, job: boolean) =>
  `${CONSOLE}/run${job ? "/jobs" : ""}?project=${project}`;
export const alertPoliciesLink = (project: string) =>
  `${CONSOLE}/monitoring/alerting/policies?project=${project}`;
export const dashboardsLink = (project: string) => `${CONSOLE}/monitoring/dashboards?project=${project}`;
/**
 * The project's dashboards filtered to custom ones, where the generated "MSP Alerts" dashboard is (MSP's link:
 * a list filter `[{"k":"Type","t":10,"v":"\"Custom\"","s":true,"i":"category"}]` in the page state).
 */
export const alertsDashboardLink = (project: string) =>
  `${CONSOLE}/monitoring/dashboards?pageState=%28%22dashboards%22%3A%28%22t%22%3A%22All%22%29%2C%22dashboardList%22%3A%28%22f%22%3A%22%255B%257B_22k_22_3A_22Type_22_2C_22t_22_3A10_2C_22v_22_3A_22_5C_22Custom_5C_22_22_2C_22s_22_3Atrue_2C_22i_22_3A_22category_22%257D%255D%22%29%29&project=${project}`;
export const tracesLink = (project: string) => `${CONSOLE}/traces/list?project=${project}`;
export const sqlLink = (project: string) => `${CONSOLE}/sql/instances?project=${project}`;
export const redisLink = (project: string) => `${CONSOLE}/memorystore/redis/instances?project=${project}`;
export const bigQueryLink = (project: string, dataset: string) =>
  `${CONSOLE}/bigquery?project=${project}&ws=!1m4!1m3!3m2!1s${project}!2s${dataset}`;
/** A table in the BigQuery console (the explorer's `ws` state: project, dataset, table). */
export const bigQueryTableLink = (project: string, dataset: string, table: string) =>
  `${CONSOLE}/bigquery?project=${project}&ws=!1m5!1m4!4m3!1s${project}!2s${dataset}!3s${table}`;
/** A channel of the organisation's Slack workspace (`msp:slackWorkspaceUrl`, `https://<workspace>.slack.com`). */
export const slackLink = (workspaceUrl: string, channel: string) =>
  `${workspaceUrl.replace(/\/+$/, "")}/archives/${channel}`;
export const pipelineLink = (region: string, pipeline: string, project: string) =>
  `${CONSOLE}/deploy/delivery-pipelines/${region}/${pipeline}?project=${project}`;

/** Cloud Run logs without request logs (the query MSP's pages link to). */
export function logsLink(project: string, job: boolean): string {
  const type = job ? "cloud_run_job" : "cloud_run_revision";
  const query = encodeURIComponent(
    `resource.type = "${type}" -logName=~"logs/run.googleapis.com%2Frequests"`,
  );
  return `${CONSOLE}/logs/query;query=${query}?project=${project}`;
}
