/**
 * The service's own resources (program/service-resources.ts): its function, called with a frozen view of the
 * environment, under one ServiceResources component that waits for the project's APIs. While it runs, every new
 * resource must be a child of that component (or of one of its own resources) and carry no aliases: a resource
 * elsewhere in the tree, or one claiming another URN's state, could stand in for the platform's; nor bring a
 * provider or name a project of its own: those could reach another service's project.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedEnvironment } from "../../resolve/model";
import { ServiceResources } from "../../components/service-resources";
import { RESOURCES_FILE, type ServiceEnvironment, type ServiceResourcesFunction } from "../service-resources";
import type { Foundation } from "./foundation";

/**
 * While a service's function runs: its component, the resources made under it so far, and the project they may
 * be in (the spec's ID, or the very Output the view hands out).
 */
let inside:
  | {
      file: string;
      parents: Set<pulumi.Resource>;
      projectId: string;
      projectOutput: pulumi.Output<string>;
    }
  | undefined;
/** Stacks the guard is registered on (each run of the program has a stack of its own). */
const guarded = new WeakSet<pulumi.Resource>();

function guard(args: pulumi.ResourceTransformationArgs): undefined {
  if (!inside) return undefined;
  const what = `${args.type} "${args.name}"`;
  if (!args.opts.parent || !inside.parents.has(args.opts.parent))
    throw new Error(
      `${inside.file}: ${what} must be created with env.opts (a child of the service's resources, where the platform's resources cannot be replaced): pass { ...env.opts } as its options`,
    );
  if (args.opts.aliases !== undefined && [args.opts.aliases].flat().length > 0)
    throw new Error(
      `${inside.file}: ${what} has aliases: a service's resource may not take over another resource's state`,
    );
  // The platform's providers (from the parent) hold the environment's project and credentials' scope: a
  // provider of the service's own could point every resource at another service's project.
  if (
    args.type.startsWith("pulumi:providers:") ||
    args.opts.provider !== undefined ||
    hasProviders(args.opts)
  )
    throw new Error(
      `${inside.file}: ${what} brings its own provider: a service's resources use the platform's providers, which stay in the environment's project`,
    );
  const project: unknown = args.props.project;
  if (project !== undefined && project !== inside.projectId && project !== inside.projectOutput)
    throw new Error(
      `${inside.file}: ${what} sets project to something other than its environment's (${inside.projectId}): leave it unset or pass env.projectId, since a service may not reach another project`,
    );
  inside.parents.add(args.resource);
  return undefined;
}

function hasProviders(opts: pulumi.ResourceOptions): boolean {
  const providers = (opts as pulumi.ComponentResourceOptions).providers;
  return providers !== undefined && Object.keys(providers).length > 0;
}

export function buildServiceResources(
  env: ResolvedEnvironment,
  base: Foundation,
  own: ServiceResourcesFunction,
  serviceDir: string,
): ServiceResources {
  const stack = pulumi.runtime.getStackResource();
  if (stack && !guarded.has(stack)) {
    pulumi.runtime.registerStackTransformation(guard);
    guarded.add(stack);
  }
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
        inside = {
          file: `${serviceDir}/${RESOURCES_FILE}`,
          parents: new Set([parent]),
          projectId: env.project.id,
          projectOutput: view.projectId,
        };
        try {
          return own(Object.freeze(view));
        } finally {
          inside = undefined;
        }
      },
    },
    base.opts,
  );
}
