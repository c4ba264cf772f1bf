import * as pulumi from "@pulumi/pulumi";

export interface ServiceResourcesArgs {
  /**
   * Creates the service's own resources as children of `parent` (this component) and returns the values it
   * wants as outputs. It is given values only, never the platform's resources, so it can add to the
   * environment but not replace or change what the platform built.
   */
  readonly build: (parent: pulumi.ComponentResource) => Record<string, pulumi.Input<unknown>> | void;
}

/**
 * A service's own resources (`services/<id>/resources.ts`, program/service-resources.ts): one component under
 * which they are created, so the plan shows them apart from the platform's and `pulumi preview --policy-pack`
 * checks them as every other resource of the stack.
 */
export class ServiceResources extends pulumi.ComponentResource {
  /** What the service's function returned (empty when it returns nothing). */
  readonly outputs: Readonly<Record<string, pulumi.Input<unknown>>>;

  constructor(name: string, args: ServiceResourcesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("msp:service:ServiceResources", name, {}, opts);
    this.outputs = args.build(this) ?? {};
    this.registerOutputs(this.outputs);
  }
}
