import { stackPolicy, levels, list } from "../define";
import { T } from "../types";

const PUBLIC = new Set(["allUsers", "allAuthenticatedUsers"]);

export const gcpCloudrunNoPublicInvoker = stackPolicy({
  name: "gcp-cloudrun-no-public-invoker",
  description:
    "The public (allUsers, allAuthenticatedUsers) gets nothing but roles/run.invoker, and only on services reachable solely through the load balancer.",
  severity: "critical",
  remediation:
    "Use authentication: {} (restricted) or a domain with ingress limited to the load balancer; never grant other roles to the public.",
  meta: {
    group: "Security",
    levels: levels("M", "M", "M"),
    frameworks: ["CKV_GCP_102", "KICS 07a27a3b", "CIS 1.x public access"],
  },
  validate: (args, report) => {
    for (const r of args.resources) {
      const members = [r.props.member, ...list(r.props.members)].filter(
        (m): m is string => typeof m === "string",
      );
      const publicMembers = members.filter((m) => PUBLIC.has(m));
      if (!publicMembers.length) continue;
      if (r.props.role !== "roles/run.invoker") {
        report(
          `${publicMembers.join(", ")} is granted ${String(r.props.role)}; the public may only invoke Cloud Run services.`,
          r.urn,
        );
        continue;
      }
      if (r.type !== T.runServiceIam && r.type !== T.runServiceIamBinding) {
        report(
          `${publicMembers.join(", ")} may invoke ${r.type}; only load-balanced Cloud Run services may be public.`,
          r.urn,
        );
        continue;
      }
      const service = args.resources.find((s) => s.type === T.runService && s.props.name === r.props.name);
      if (service && service.props.ingress !== "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER")
        report(
          `Service "${String(r.props.name)}" is public and reachable directly (ingress ${String(service.props.ingress ?? "INGRESS_TRAFFIC_ALL")}).`,
          r.urn,
        );
    }
  },
});
