/**
 * The gcloud commands behind `msp logs --tail` and `msp job run|pause|resume` (issue 24.7), as argument vectors:
 * the CLI prints them or runs them (`--run`), the handbook shows them. Pure.
 */
import type { ResolvedEnvironment } from "../resolve/model";

/** What an operator command does, for the comment printed above it. */
export interface OperatorCommand {
  readonly comment: string;
  readonly argv: readonly string[];
}

const where = (env: ResolvedEnvironment) => [`--region=${env.region}`, `--project=${env.project.id}`];
const isJob = (env: ResolvedEnvironment) => env.workload.kind === "job";

/**
 * Streams the workload's log entries as they arrive: `gcloud beta run services|jobs logs tail` (Cloud Run's
 * log streaming, which needs the `log-streaming` gcloud component). Request logs are left out for a service,
 * as the console link leaves them out (`msp logs`): stdout, stderr and the platform's own entries stay.
 */
export function logsTailCommand(env: ResolvedEnvironment): OperatorCommand {
  const name = env.workload.cloudRunName;
  const kind = isJob(env) ? "jobs" : "services";
  return {
    comment: `Log entries of the Cloud Run ${isJob(env) ? "job" : "service"} ${name} (${env.stack}) as they arrive; Ctrl-C stops. Needs: gcloud components install log-streaming`,
    argv: [
      "gcloud",
      "beta",
      "run",
      kind,
      "logs",
      "tail",
      name,
      ...where(env),
      ...(isJob(env) ? [] : [`--log-filter=NOT logName:"run.googleapis.com%2Frequests"`]),
    ],
  };
}

/** An environment that is not a job cannot run one: the message says which command applies instead. */
export class NotAJobError extends Error {}

function requireJob(env: ResolvedEnvironment): void {
  if (!isJob(env))
    throw new NotAJobError(
      `${env.stack} is a Cloud Run service, not a job: only jobs (service.kind: job) are executed or scheduled`,
    );
}

/** Runs the job once now, outside its schedule, and waits for the execution to finish (its exit is the job's). */
export function jobRunCommand(env: ResolvedEnvironment): OperatorCommand {
  requireJob(env);
  const name = env.workload.cloudRunName;
  return {
    comment: `Execute the Cloud Run job ${name} (${env.stack}) now and wait for it to finish; its logs: msp logs --tail ${env.serviceId} ${env.envId}`,
    argv: ["gcloud", "run", "jobs", "execute", name, ...where(env), "--wait"],
  };
}

/**
 * Pauses or resumes the job's Cloud Scheduler job (named as the Cloud Run job, in its region: components/
 * cloudrun-job.ts). A paused schedule stays paused across deploys: the component leaves `paused` unset, and
 * the provider's schema has it optional and computed (google_cloud_scheduler_job), so `pulumi up` keeps the
 * API's value.
 */
export function scheduleCommand(env: ResolvedEnvironment, action: "pause" | "resume"): OperatorCommand {
  requireJob(env);
  const name = env.workload.cloudRunName;
  if (!env.workload.job?.cron)
    throw new NotAJobError(
      `${env.stack} has no schedule (environments[].schedule.cron): there is nothing to ${action}`,
    );
  return {
    comment:
      action === "pause"
        ? `Pause the schedule of ${name} (${env.stack}, ${env.workload.job.cron} UTC): no execution starts until it is resumed`
        : `Resume the schedule of ${name} (${env.stack}, ${env.workload.job.cron} UTC)`,
    argv: [
      "gcloud",
      "scheduler",
      "jobs",
      action,
      name,
      `--location=${env.region}`,
      `--project=${env.project.id}`,
    ],
  };
}
