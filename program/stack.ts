/**
 * The stack program: turns the stack name `<service>-<env>` into its resolved environment and composes it,
 * builder by builder, from the components. Decisions are the resolver's (resolve/environment.ts); builders
 * only pass its values on. `pulumi up` runs it through index.ts; `msp preview` runs the same function
 * in-process.
 */
import * as pulumi from "@pulumi/pulumi";
import { loadServices } from "../servicespec/loader";
import { findStack, listStacks, type StackTarget } from "./stack-targets";
import { resolveEnvironment } from "../resolve/environment";
import type { ResolvedEnvironment } from "../resolve/model";
import type { PlatformSettings } from "../platform/settings";
import { checkStackFile, readPlatformSettings, stackConfigFile } from "./config";
import { buildFoundation, type Foundation } from "./builders/foundation";
import { buildData, type Data } from "./builders/data";
import { buildWorkload, type Workload } from "./builders/workload";
import { buildEdge } from "./builders/edge";
import { buildMonitoring, type Monitoring } from "./builders/monitoring";
import { buildRollout } from "./builders/rollout";
import { buildOutputSecrets } from "./builders/outputs";
import { buildServiceResources } from "./builders/service-resources";
import { loadServiceResources } from "./service-resources";

export { findStack, listStacks, type StackTarget };

/** Creates every resource of the stack; returns the stack outputs. */
export function stackProgram(
  target: StackTarget,
  settings: PlatformSettings,
): Record<string, pulumi.Input<unknown>> {
  const env = resolveEnvironment(target.service, target.env, settings);
  const base = buildFoundation(env);
  const data = buildData(env, base);
  const workload = buildWorkload(env, base, data);
  const edge = buildEdge(env, base, workload);
  const monitoring = buildMonitoring(env, base);
  const rollout = buildRollout(env, base);
  buildOutputSecrets(env, base, data, monitoring, rollout);
  // Last: the service's own resources (services/<id>/resources.ts) add to the environment, after everything of
  // the platform's exists to be read.
  const own = loadServiceResources(target.service.dir);
  const ownOutputs = own && buildServiceResources(env, base, own, target.service.dir).outputs;
  return stackOutputs(env, base, data, workload, monitoring, {
    // The platform settings this stack was built with: what the deploy reads from other projects (the shared
    // secrets project) leaves no resource in the plan, so this output is how a diff sees such a change.
    platform: platformOutput(settings),
    url: edge?.url,
    loadBalancerIp: edge?.ipAddress,
    deliveryPipeline: rollout?.pipelineName,
    serviceResources: ownOutputs && Object.keys(ownOutputs).length ? ownOutputs : undefined,
  });
}

/** The platform settings as a stack output: names only (no secret lives in them), keys sorted. */
export function platformOutput(settings: PlatformSettings): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(settings)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

/** The stack outputs operators and `msp` commands read; unset ones are left out. */
function stackOutputs(
  env: ResolvedEnvironment,
  base: Foundation,
  data: Data,
  workload: Workload,
  monitoring: Monitoring,
  more: Record<string, unknown>,
): Record<string, unknown> {
  const dashboard = monitoring.dashboardId.apply((id) => id.split("/").pop() ?? id);
  const outputs: Record<string, unknown> = {
    projectId: base.project.projectId,
    workloadServiceAccount: base.identities.workloadEmail,
    cloudRunName: env.workload.cloudRunName,
    region: env.region,
    jobName: workload.job?.jobName,
    // The subscriptions workflow compares this digest with the one the tag points to now.
    image: workload.image,
    sentryProject: workload.errorReporting?.url,
    serviceUri: workload.service?.uri,
    ...more,
    sqlConnectionName: data.postgres?.connectionName,
    redisHost: data.redis?.host,
    dashboard: pulumi.interpolate`https://console.cloud.google.com/monitoring/dashboards/builder/${dashboard}?project=${env.project.id}`,
  };
  for (const k of Object.keys(outputs)) if (outputs[k] === undefined) delete outputs[k];
  return outputs;
}

/** Entry point for `pulumi up`: the program of the selected stack. */
export function programForCurrentStack(servicesDir: string): Record<string, pulumi.Input<unknown>> {
  const name = pulumi.getStack();
  // The CLI hands the program the stack file's config merged with the project's: a platform setting there
  // would override Pulumi.yaml's unseen, so the stack file itself is checked (the project is the working dir).
  checkStackFile(stackConfigFile(process.cwd(), name));
  const services = loadServices(servicesDir);
  const target = findStack(services, name);
  if (!target)
    throw new Error(
      `stack "${name}" matches no service environment; stacks are ${listStacks(services)
        .map((s) => s.name)
        .join(", ")}`,
    );
  return stackProgram(target, readPlatformSettings(new pulumi.Config("msp")));
}
