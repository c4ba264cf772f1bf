import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOptions } from "./options";
import {
  containerInputs,
  executionEnvironment,
  vpcAccess,
  type WorkloadContainerArgs,
} from "./cloudrun-common";

/** Cloud Scheduler HTTP targets time out after at most 30 minutes. */
export const SCHEDULER_MAX_ATTEMPT_DEADLINE = 1800;

export interface CloudRunJobArgs extends WorkloadContainerArgs {
  readonly projectId: pulumi.Input<string>;
  readonly region: string;
  /** Account ID of the scheduler's invoker account. */
  readonly invokerAccountId: string;
  /** `<svc>-<env>-<region>`. */
  readonly name: string;
  /** Task timeout (spec deadlineSeconds, default 300). */
  readonly deadlineSeconds: number;
  /** Cron in UTC; without it the job only runs when executed by hand. */
  readonly cron?: string;
  readonly labels: Record<string, string>;
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** The URL Cloud Scheduler POSTs to, to run a Cloud Run job. */
export const jobRunUri = (region: string, project: string, job: string) =>
  `https://${region}-run.googleapis.com/apis/run.googleapis.com/v1/namespaces/${project}/jobs/${job}:run`;

/** A Cloud Run v2 job (one task) and, with a schedule, a Cloud Scheduler job with its own invoker account. */
export class CloudRunJob extends pulumi.ComponentResource {
  public readonly jobName: pulumi.Output<string>;
  public readonly schedulerJobName?: pulumi.Output<string>;

  constructor(name: string, args: CloudRunJobArgs, opts?: pulumi.ComponentResourceOptions) {
    super("msp:gcp:CloudRunJob", name, {}, opts);
    const { container, volumes } = containerInputs(args);
    const job = new gcp.cloudrunv2.Job(
      `${name}-job`,
      {
        project: args.projectId,
        location: args.region,
        name: args.name,
        deletionProtection: false,
        labels: args.labels,
        template: {
          taskCount: 1,
          labels: args.labels,
          template: {
            serviceAccount: args.serviceAccountEmail,
            timeout: `${args.deadlineSeconds}s`,
            executionEnvironment: executionEnvironment(args.generation),
            vpcAccess: vpcAccess(args.network),
            containers: [container],
            volumes,
          },
        },
      },
      childOptions(this, { dependsOn: args.dependsOn }),
    );
    this.jobName = job.name;
    if (args.cron) {
      const invoker = new gcp.serviceaccount.Account(
        `${name}-invoker`,
        {
          project: args.projectId,
          accountId: args.invokerAccountId,
          displayName: "Cloud Scheduler job invoker",
        },
        childOptions(this),
      );
      const grant = new gcp.cloudrunv2.JobIamMember(
        `${name}-invoker-grant`,
        {
          project: args.projectId,
          location: args.region,
          name: job.name,
          role: "roles/run.invoker",
          member: pulumi.interpolate`serviceAccount:${invoker.email}`,
        },
        childOptions(this),
      );
      const scheduler = new gcp.cloudscheduler.Job(
        `${name}-schedule`,
        {
          project: args.projectId,
          region: args.region,
          name: args.name,
          schedule: args.cron,
          timeZone: "Etc/UTC",
          attemptDeadline: `${Math.min(args.deadlineSeconds, SCHEDULER_MAX_ATTEMPT_DEADLINE)}s`,
          httpTarget: {
            httpMethod: "POST",
            uri: pulumi.all([args.projectId, job.name]).apply(([p, j]) => jobRunUri(args.region, p, j)),
            headers: { "User-Agent": "MSP-Google-Cloud-Scheduler" },
            oauthToken: { serviceAccountEmail: invoker.email },
          },
        },
        childOptions(this, { dependsOn: [grant] }),
      );
      this.schedulerJobName = scheduler.name;
    }
    this.registerOutputs({ jobName: this.jobName, schedulerJobName: this.schedulerJobName });
  }
}
