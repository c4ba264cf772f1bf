import * as pulumi from "@pulumi/pulumi";

/** Options for a component's children: parented to it, protected while destroys are not allowed. */
export function childOptions(
  parent: pulumi.Resource,
  extra: pulumi.CustomResourceOptions = {},
): pulumi.CustomResourceOptions {
  return { parent, ...extra };
}

/** Options for stateful children: Pulumi refuses to delete them until the spec sets allowDestroys. */
export function statefulOptions(
  parent: pulumi.Resource,
  allowDestroys: boolean,
  extra: pulumi.CustomResourceOptions = {},
): pulumi.CustomResourceOptions {
  return { parent, protect: !allowDestroys, ...extra };
}
