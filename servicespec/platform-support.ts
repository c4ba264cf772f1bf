/**
 * Fields MSP accepts that this platform cannot honour from a per-service stack: refused with the reason and
 * what to do instead, never accepted and silently ignored. A field whose value asks for nothing (`false`, an
 * empty block) is accepted: it changes nothing either way.
 */
import type { ServiceSpec } from "./schema";
import type { RuleIssue } from "./rules";
import { artifactRegistryImage } from "../platform/image-reference";

export const PERIMETER_UNSUPPORTED =
  "is not supported: a VPC Service Controls perimeter lives in the organization's access policy (Access Context Manager), which a per-service stack cannot own, and editing it needs organization-level rights no service deploy should hold; remove the field and ask the platform team to add this project to the organization's perimeter";
export const PRIVATE_RUN_APPS_UNSUPPORTED =
  "is not supported: routing *.run.app over Private Google Access needs private DNS zones for run.app in a shared VPC the platform does not manage; remove the field (Cloud Run already reaches Google APIs over Private Google Access from the service's subnet)";
export const NOBL9_UNSUPPORTED =
  "is not supported: Nobl9 (MSP's SLO trial) is not provisioned by this platform; remove the field and express SLOs as monitoring.alerts.customAlerts or responseCodeRatios";

/** Problems with fields this platform refuses, with the path the loader reports them at. */
export function unsupportedFieldIssues(spec: ServiceSpec): RuleIssue[] {
  const issues: RuleIssue[] = [];
  spec.environments.forEach((env, i) => {
    const at = (...p: (string | number)[]) => ["environments", i, ...p];
    const pn = env.privateNetworking;
    if (pn?.privateAccessPerimeter)
      issues.push({
        path: at("privateNetworking", "privateAccessPerimeter"),
        message: PERIMETER_UNSUPPORTED,
      });
    if (pn?.privateGoogleAccess?.cloudRunApps)
      issues.push({
        path: at("privateNetworking", "privateGoogleAccess", "cloudRunApps"),
        message: PRIVATE_RUN_APPS_UNSUPPORTED,
      });
    if (env.deploy.type === "subscription" && !artifactRegistryImage(spec.build.image))
      issues.push({
        path: at("deploy", "type"),
        message: `subscription needs an image in Artifact Registry or Container Registry (build.image ${JSON.stringify(spec.build.image.slice(0, 80))}): the deploy resolves the tag to a digest there; use deploy.type manual with a pinned tag, or publish the image to <region>-docker.pkg.dev`,
      });
  });
  if (spec.monitoring?.nobl9) issues.push({ path: ["monitoring", "nobl9"], message: NOBL9_UNSUPPORTED });
  return issues;
}
