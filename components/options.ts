import * as pulumi from "@pulumi/pulumi";

/** Options for a component's children: parented to it, protected while destroys are not allowed. */
export function childOptions(
  parent: pulumi.Resource,
  extra: pulumi.CustomResourceOptions = {},
): pulumi.CustomResourceOptions {
  return { parent, ...extra };
}

/**
 * The label a stateful resource carries while its environment sets `allowDestroys: true`: the policies
 * (msp-stateful-resources-protected, gcp-sql-deletion-protection, gcp-bigquery-table-deletion-protection)
 * accept the protections allowDestroys lifts on exactly the resources that carry it, so a stack without it
 * still fails them, and the intent shows on the resource in the console and in every export.
 */
export const ALLOW_DESTROYS_LABEL = "msp-allow-destroys";

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
