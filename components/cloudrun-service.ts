import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOptions } from "./options";
import {
  containerInputs,
  executionEnvironment,
  vpcAccess,
  type WorkloadContainerArgs,
} from "./cloudrun-common";

/** Cloudflare's proxy read timeout; a longer Cloud Run timeout would never be seen by clients. */
export const REQUEST_TIMEOUT_SECONDS = 300;
export const PROBE_FAILURE_THRESHOLD = 3;

export interface CloudRunScaling {
  readonly minCount: number;
  readonly maxCount: number;
  /** Requests one instance serves at once. */
  readonly maxRequestConcurrency: number;
}

/** HTTP startup and liveness probes, sent with a bearer token. */
export interface HealthProbes {
  readonly path: string;
  readonly timeout: number;
  readonly startupInterval: number;
  readonly livenessInterval: number;
  /** Failures before the startup probe stops the instance (the resolver sizes it for Direct VPC egress). */
  readonly startupFailureThreshold: number;
}

export interface CloudRunServiceArgs extends WorkloadContainerArgs {
  readonly projectId: pulumi.Input<string>;
  readonly region: string;
  /** `<svc>-<env>-<region>`. */
  readonly name: string;
  /** The port Cloud Run sends requests (and probes) to, and sets as PORT in the container. */
  readonly port: number;
  readonly scaling: CloudRunScaling;
  /** `protocol: h2c` for gRPC; HTTP/1 otherwise. */
  readonly h2c?: boolean;
  /** When a domain fronts the service, only the load balancer may reach it. Defaults to true. */
  readonly internalLoadBalancerOnly?: boolean;
  /** Probes with the diagnostics bearer token; undefined keeps Cloud Run's default. */
  readonly probes?: HealthProbes;
  readonly diagnosticsToken: pulumi.Input<string>;
  /** Members granted roles/run.invoker (`allUsers`, `domain:...`); none: only explicit grants. */
  readonly invokers: readonly string[];
  /** Cloud Deploy sets the image: Pulumi ignores it (and the client fields Cloud Deploy writes). */
  readonly imageManagedByRollout?: boolean;
  /**
   * A canary stage: Cloud Deploy's deploy action splits traffic between the prior and the new revision while
   * the rollout is in its phases, so Pulumi ignores the traffic (a deploy mid-canary would otherwise send 100%
   * to the canary). The stable phase puts it back at 100% to the latest revision, what this component sets.
   */
  readonly trafficManagedByRollout?: boolean;
  readonly labels: Record<string, string>;
  /** Resources Cloud Run must wait for (database users, tables, secrets). */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** A Cloud Run v2 service serving 100% of traffic from its latest revision. */
export class CloudRunService extends pulumi.ComponentResource {
  public readonly serviceName: pulumi.Output<string>;
  public readonly uri: pulumi.Output<string>;
  public readonly location: pulumi.Output<string>;

  constructor(name: string, args: CloudRunServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("msp:gcp:CloudRunService", name, {}, opts);
    const { container, volumes } = containerInputs(args);
    const ports = { name: args.h2c ? "h2c" : "http1", containerPort: args.port };
    const probe = (period: number, failureThreshold: number, initialDelay?: number) => ({
      ...(initialDelay === undefined ? {} : { initialDelaySeconds: initialDelay }),
      timeoutSeconds: args.probes!.timeout,
      periodSeconds: period,
      failureThreshold,
      httpGet: {
        path: args.probes!.path,
        port: args.port,
        // Cloud Run cannot read probe headers from Secret Manager; the token stays a Pulumi secret.
        httpHeaders: [
          {
            name: "Authorization",
            value: pulumi.secret(pulumi.interpolate`Bearer ${args.diagnosticsToken}`),
          },
        ],
      },
    });
    const service = new gcp.cloudrunv2.Service(
      `${name}-service`,
      {
        project: args.projectId,
        location: args.region,
        name: args.name,
        ingress:
          (args.internalLoadBalancerOnly ?? true)
            ? "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"
            : "INGRESS_TRAFFIC_ALL",
        // Stateless: a replacement must be possible without a manual step.
        deletionProtection: false,
        labels: args.labels,
        template: {
          serviceAccount: args.serviceAccountEmail,
          timeout: `${REQUEST_TIMEOUT_SECONDS}s`,
          maxInstanceRequestConcurrency: args.scaling.maxRequestConcurrency,
          executionEnvironment: executionEnvironment(args.generation),
          scaling: { minInstanceCount: args.scaling.minCount, maxInstanceCount: args.scaling.maxCount },
          vpcAccess: vpcAccess(args.network),
          labels: args.labels,
          containers: [
            {
              ...container,
              ports,
              ...(args.probes
                ? {
                    startupProbe: probe(args.probes.startupInterval, args.probes.startupFailureThreshold, 0),
                    livenessProbe: probe(args.probes.livenessInterval, PROBE_FAILURE_THRESHOLD),
                  }
                : {}),
            },
          ],
          volumes,
        },
        // Pinning 100% to the latest revision undoes traffic edits made in the console.
        traffics: [{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", percent: 100 }],
      },
      childOptions(this, {
        dependsOn: args.dependsOn,
        ignoreChanges: [
          ...(args.imageManagedByRollout ? ["template.containers[0].image", "client", "clientVersion"] : []),
          ...(args.trafficManagedByRollout ? ["traffics"] : []),
        ],
      }),
    );
    for (const member of args.invokers)
      new gcp.cloudrunv2.ServiceIamMember(
        `${name}-invoker-${member.split(":")[0]}`,
        {
          project: args.projectId,
          location: args.region,
          name: service.name,
          role: "roles/run.invoker",
          member,
        },
        childOptions(this),
      );
    this.serviceName = service.name;
    this.uri = service.uri;
    this.location = service.location;
    this.registerOutputs({ serviceName: this.serviceName, uri: this.uri, location: this.location });
  }
}
