import * as pulumi from "@pulumi/pulumi";
import { ALLOW_DESTROYS_LABEL } from "../platform/naming";

/** Options for a component's children: parented to it, protected while destroys are not allowed. */
export function childOptions(
  parent: pulumi.Resource,
  extra: pulumi.CustomResourceOptions = {},
): pulumi.CustomResourceOptions {
  return { parent, ...extra };
}

/** The labels of a stateful resource: `labels`, plus ALLOW_DESTROYS_LABEL when destroys are allowed. */
export function statefulLabels(
  labels: Readonly<Record<string, string>>,
  allowDestroys: boolean,
): Record<string, string> {
  return allowDestroys ? { ...labels, [ALLOW_DESTROYS_LABEL]: "true" } : { ...labels };
}

/** Options for stateful children: Pulumi refuses to delete them until the spec sets allowDestroys. */
export function statefulOptions(
  parent: pulumi.Resource,
  allowDestroys: boolean,
  extra: pulumi.CustomResourceOptions = {},
): pulumi.CustomResourceOptions {
  return { parent, protect: !allowDestroys, ...extra };
}
