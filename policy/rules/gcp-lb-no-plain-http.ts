import { stackPolicy, levels, refersTo } from "../define";
import { T } from "../types";

export const gcpLbNoPlainHttp = stackPolicy({
  name: "gcp-lb-no-plain-http",
  description: "External forwarding rules serve HTTPS on 443; plain HTTP only redirects to HTTPS.",
  severity: "high",
  remediation: "Point port 80 at an HTTP proxy whose URL map has defaultUrlRedirect.httpsRedirect = true.",
  meta: { group: "WAF and edge", levels: levels("A", "M", "M"), frameworks: ["CKV2_GCP_37", "CKV2_GCP_38"] },
  validate: (args, report) => {
    const byId = (type: string, ref: unknown) =>
      args.resources.find((r) => r.type === type && refersTo(ref, r.props));
    for (const rule of args.resources.filter((r) => r.type === T.forwardingRule)) {
      if (String(rule.props.loadBalancingScheme ?? "EXTERNAL").startsWith("INTERNAL")) continue;
      const httpProxy = byId(T.httpProxy, rule.props.target);
      if (httpProxy) {
        const map = byId(T.urlMap, httpProxy.props.urlMap);
        const redirect = map?.props.defaultUrlRedirect as { httpsRedirect?: boolean } | undefined;
        if (!redirect?.httpsRedirect)
          report(`Forwarding rule "${rule.name}" serves plain HTTP without redirecting to HTTPS.`, rule.urn);
      } else if (rule.props.portRange !== undefined && rule.props.portRange !== "443") {
        report(
          `Forwarding rule "${rule.name}" listens on ${String(rule.props.portRange)}; HTTPS must use 443.`,
          rule.urn,
        );
      }
    }
  },
});
