/**
 * Keeping resources that moved between components. A child's URN includes its parent's type, so a resource
 * created by another component than before would look new to Pulumi: it would create the new one and delete
 * the old one. An alias naming the former parent tells the engine they are the same resource, updated in place.
 */
import * as pulumi from "@pulumi/pulumi";

/** A former component: its name and type token (it was parented to the stack). */
export interface FormerComponent {
  readonly name: string;
  readonly type: string;
}

/**
 * A transformation for a component's options: every cloud resource it creates (not its own components)
 * also answers to the URN it had as a child of `former`.
 */
export function movedFrom(former: FormerComponent): pulumi.ResourceTransformation {
  const parent = pulumi.createUrn(former.name, former.type);
  return (args) =>
    args.resource instanceof pulumi.ComponentResource
      ? undefined
      : { props: args.props, opts: pulumi.mergeOptions(args.opts, { aliases: [{ parent }] }) };
}
