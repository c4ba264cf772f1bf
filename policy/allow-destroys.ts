/**
 * What `allowDestroys: true` marks: the program labels the stateful resources of that environment with
 * ALLOW_DESTROYS_LABEL (platform/naming.ts; components/options.ts statefulLabels sets it), and the data-safety policies accept the
 * protections allowDestroys lifts (Pulumi `protect`, deletion protection) on exactly the resources so labelled.
 * The pull-request gate (msp diff) still calls the lift a protection downgrade that needs the
 * msp/allow-downgrade label, and a removal still needs allowDestroys deployed first.
 */
import { ALLOW_DESTROYS_LABEL } from "../platform/naming";

export { ALLOW_DESTROYS_LABEL };

/** Whether a resource's labels (`labels`, or a Cloud SQL instance's `settings.userLabels`) mark it. */
export function destroysAllowed(props: unknown): boolean {
  const p = props as { labels?: unknown; settings?: { userLabels?: unknown } } | undefined;
  const marked = (labels: unknown) =>
    typeof labels === "object" &&
    labels !== null &&
    (labels as Record<string, unknown>)[ALLOW_DESTROYS_LABEL] === "true";
  return marked(p?.labels) || marked(p?.settings?.userLabels);
}
