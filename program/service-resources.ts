/**
 * A service's own resources: `services/<id>/resources.ts`, beside the spec (where MSP kept custom Terraform next
 * to the generated stacks). Its default export is called once per environment with a read-only view of the
 * resolved environment (IDs, names, the workload's account, the options its resources take) and creates what
 * the platform does not: a bucket, a Pub/Sub topic, a grant. It gets values, never the platform's resources,
 * so it cannot replace or change them (program/builders/service-resources.ts refuses a resource outside its
 * component, or with aliases); its resources are children of one `msp:service:ServiceResources` component in the
 * same stack, so the policy pack checks them as it checks the platform's, and a mandatory
 * violation stops the deploy.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import type { Category } from "../platform/categories";

export const RESOURCES_FILE = "resources.ts";

/** What a service's resources see of one environment: values only. */
export interface ServiceEnvironment {
  /** `service.id`. */
  readonly service: string;
  /** The environment's ID. */
  readonly environment: string;
  /** The Pulumi stack, `<service>-<env>`. */
  readonly stack: string;
  readonly category: Category;
  /** The GCP project ID, known once the project exists (resources using it wait for it). */
  readonly projectId: pulumi.Output<string>;
  readonly region: string;
  /** The platform's labels (service, environment, category): put them on every resource that takes labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Email of the workload's service account, to grant it access to what this file creates. */
  readonly workloadServiceAccount: pulumi.Output<string>;
  /** The environment's VPC and subnet names, when it has them (Cloud SQL or Redis). */
  readonly network?: { readonly name: string; readonly subnet: string };
  /** `allowDestroys` of the spec: protect stateful resources unless it is true. */
  readonly allowDestroys: boolean;
  /**
   * Options every resource must take: its parent (the ServiceResources component, whose providers it inherits)
   * and waiting for the project's APIs. Spread them (`{ ...env.opts, protect: true }`), never drop them.
   */
  readonly opts: pulumi.CustomResourceOptions;
}

/** The default export of `resources.ts`: creates resources; returns values for the stack output `serviceResources`. */
export type ServiceResourcesFunction = (
  env: ServiceEnvironment,
) => Record<string, pulumi.Input<unknown>> | void;

type TsxRequire = (id: string, fromFile: string) => unknown;

/**
 * The function of `<serviceDir>/resources.ts`, or undefined when the service has none. The file is TypeScript:
 * tsx's scoped require compiles it both under `pulumi up` (the program already runs through tsx) and in the
 * bundled `msp` on plain Node; `@pulumi/*` are not bundled, so it shares the program's SDK and runtime.
 */
export function loadServiceResources(serviceDir: string): ServiceResourcesFunction | undefined {
  const file = path.resolve(serviceDir, RESOURCES_FILE);
  if (!fs.existsSync(file)) return undefined;
  // Loaded on first use: a stack without its own resources does not pay for the compiler.
  const tsx = require("tsx/cjs/api") as { require: TsxRequire };
  const mod = tsx.require(file, __filename) as { default?: unknown } | undefined;
  const fn = typeof mod === "function" ? mod : mod?.default;
  if (typeof fn !== "function")
    throw new Error(
      `${path.join(serviceDir, RESOURCES_FILE)} must export a default function (env) => { ... } that creates the service's own resources (README "A service's own resources")`,
    );
  return fn as ServiceResourcesFunction;
}
