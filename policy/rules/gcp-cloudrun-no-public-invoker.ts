import * as gcp from "@pulumi/gcp";
import type { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { stackPolicy, levels, membersOf, resourcesOf, stringOf, PUBLIC_MEMBERS } from "../define";

/** `projects/<p>/locations/<l>/services/<n>`: the only unambiguous name of a Cloud Run service. */
function fullName(p: { project?: string; location?: string; name?: string }): string | undefined {
  const [project, location, name] = [stringOf(p.project), stringOf(p.location), stringOf(p.name)];
  if (name?.startsWith("projects/")) return name;
  if (!project || !location || !name) return undefined;
  return `projects/${project}/locations/${location}/services/${name}`;
}

function checkServiceGrant(
  args: StackValidationArgs,
  grant: PolicyResource,
  props: { project?: string; location?: string; name?: string },
  report: (message: string, urn?: string) => void,
) {
  const target = fullName(props);
  const service = target
    ? resourcesOf(args, gcp.cloudrunv2.Service).find((s) => fullName(s.props) === target)
    : undefined;
  // Fail closed: a public grant on a service this stack does not define cannot be shown to be fronted.
  if (!service)
    return report(
      `The public may invoke ${target ?? `service "${props.name}" (project or location unset)`}, which is not a Cloud Run service of this stack: its ingress cannot be verified.`,
      grant.urn,
    );
  if (service.props.ingress !== "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER")
    report(
      `Service ${target} is public and reachable directly (ingress ${service.props.ingress ?? "INGRESS_TRAFFIC_ALL"}).`,
      grant.urn,
    );
}

export const gcpCloudrunNoPublicInvoker = stackPolicy({
  name: "gcp-cloudrun-no-public-invoker",
  description:
    "The public (allUsers, allAuthenticatedUsers, or invokerIamDisabled on the service) gets nothing but roles/run.invoker, and only on services of this stack reachable solely through the load balancer (matched by project, location and name).",
  severity: "critical",
  remediation:
    "Use authentication: {} (restricted) or a domain with ingress limited to the load balancer; never grant other roles to the public, and never set invokerIamDisabled on a service reachable directly.",
  meta: {
    group: "Security",
    levels: levels("M", "M", "M"),
    frameworks: ["CKV_GCP_102", "KICS 07a27a3b", "CIS 1.x public access"],
  },
  validate: (args, report) => {
    for (const r of args.resources) {
      // `invokerIamDisabled: true` lets anyone invoke the service without an IAM check: the same risk as an
      // allUsers roles/run.invoker grant, so the same check and the same level (Cloud Run, "Disable the
      // Invoker IAM check"; the ingress rule alone is advisory in test, and said nothing behind a load balancer).
      const service = r.asType(gcp.cloudrunv2.Service);
      if (service?.invokerIamDisabled === true) {
        const target = fullName(service) ?? `service "${service.name}"`;
        if (service.ingress !== "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER")
          report(
            `Service ${target} has invokerIamDisabled: anyone may invoke it, as with an allUsers roles/run.invoker grant, and it is reachable directly (ingress ${service.ingress ?? "INGRESS_TRAFFIC_ALL"}).`,
            r.urn,
          );
        continue;
      }
      const publicMembers = membersOf(r.props).filter((m) => PUBLIC_MEMBERS.has(m));
      if (!publicMembers.length) continue;
      const who = publicMembers.join(", ");
      if (r.props.role !== "roles/run.invoker") {
        report(
          `${who} is granted ${String(r.props.role)}; the public may only invoke Cloud Run services.`,
          r.urn,
        );
        continue;
      }
      const member = r.asType(gcp.cloudrunv2.ServiceIamMember);
      const binding = r.asType(gcp.cloudrunv2.ServiceIamBinding);
      const grant = member ?? binding;
      if (!grant)
        report(`${who} may invoke ${r.type}; only load-balanced Cloud Run services may be public.`, r.urn);
      else checkServiceGrant(args, r, grant, report);
    }
  },
});
