import * as gcp from "@pulumi/gcp";
import type { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { stackPolicy, levels, resourcesOf, findReferenced } from "../define";

const isInternal = (scheme: string | undefined) => String(scheme ?? "EXTERNAL").startsWith("INTERNAL");

function checkRule(
  args: StackValidationArgs,
  rule: PolicyResource,
  target: string | undefined,
  portRange: string | undefined,
  report: (message: string, urn?: string) => void,
) {
  if (!target) return report(`Forwarding rule "${rule.name}" has no target.`, rule.urn);
  const http =
    findReferenced(args, gcp.compute.TargetHttpProxy, target) ??
    findReferenced(args, gcp.compute.RegionTargetHttpProxy, target);
  if (http) {
    const mapRef = http.props.urlMap;
    const map =
      findReferenced(args, gcp.compute.URLMap, mapRef) ??
      findReferenced(args, gcp.compute.RegionUrlMap, mapRef);
    // Fail closed: a URL map that is not in this stack cannot be shown to redirect.
    if (!map)
      return report(
        `Forwarding rule "${rule.name}" serves plain HTTP through URL map ${mapRef || "(none)"}, which is not in this stack: it cannot be shown to redirect to HTTPS.`,
        rule.urn,
      );
    if (map.props.defaultUrlRedirect?.httpsRedirect !== true)
      report(`Forwarding rule "${rule.name}" serves plain HTTP without redirecting to HTTPS.`, rule.urn);
    return;
  }
  const https =
    findReferenced(args, gcp.compute.TargetHttpsProxy, target) ??
    findReferenced(args, gcp.compute.RegionTargetHttpsProxy, target);
  if (!https)
    return report(
      `Forwarding rule "${rule.name}" targets ${target}, which is not an HTTP(S) proxy of this stack: what it serves cannot be verified.`,
      rule.urn,
    );
  if (portRange !== "443" && portRange !== "443-443")
    report(`Forwarding rule "${rule.name}" listens on ${String(portRange)}; HTTPS must use 443.`, rule.urn);
}

export const gcpLbNoPlainHttp = stackPolicy({
  name: "gcp-lb-no-plain-http",
  description:
    "External forwarding rules serve HTTPS on 443; plain HTTP only redirects to HTTPS; a target that cannot be resolved fails.",
  severity: "high",
  remediation:
    "Point port 80 at an HTTP proxy whose URL map has defaultUrlRedirect.httpsRedirect = true, and port 443 at an HTTPS proxy, all in the same stack (CloudflareDomain does).",
  meta: { group: "WAF and edge", levels: levels("A", "M", "M"), frameworks: ["CKV2_GCP_37", "CKV2_GCP_38"] },
  validate: (args, report) => {
    for (const { resource, props } of resourcesOf(args, gcp.compute.GlobalForwardingRule))
      if (!isInternal(props.loadBalancingScheme))
        checkRule(args, resource, props.target, props.portRange, report);
    for (const { resource, props } of resourcesOf(args, gcp.compute.ForwardingRule))
      if (!isInternal(props.loadBalancingScheme))
        checkRule(args, resource, props.target, props.portRange, report);
  },
});
