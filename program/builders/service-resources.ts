/**
 * The service's own resources (program/service-resources.ts): its function, called with a frozen view of the
 * environment, under one ServiceResources component that waits for the project's APIs.
 */
import type { ResolvedEnvironment } from "../../resolve/model";
import { ServiceResources } from "../../components/service-resources";
import type { ServiceEnvironment, ServiceResourcesFunction } from "../service-resources";
import type { Foundation } from "./foundation";

export function buildServiceResources(
  env: ResolvedEnvironment,
  base: Foundation,
  own: ServiceResourcesFunction,
): ServiceResources {
  return new ServiceResources(
    "service-resources",
    {
      build: (parent) => {
        const view: ServiceEnvironment = {
          service: env.serviceId,
          environment: env.envId,
          stack: env.stack,
          category: env.category,
          projectId: base.project.projectId,
          region: env.region,
          labels: Object.freeze({ ...env.labels }),
          workloadServiceAccount: base.identities.workloadEmail,
          ...(env.network
            ? { network: Object.freeze({ name: env.network.networkName, subnet: env.network.subnetName }) }
            : {}),
          allowDestroys: env.allowDestroys,
          // The providers come with the parent; the dependency on the project's APIs is each resource's own.
          opts: Object.freeze({ parent, dependsOn: base.opts.dependsOn }),
        };
        return own(Object.freeze(view));
      },
    },
    base.opts,
  );
}
