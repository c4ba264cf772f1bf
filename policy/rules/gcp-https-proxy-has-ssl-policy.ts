import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check } from "../define";

export const gcpHttpsProxyHasSslPolicy = resourcePolicy({
  name: "gcp-https-proxy-has-ssl-policy",
  description:
    "HTTPS proxies have an explicit SSL policy (otherwise GCP's COMPATIBLE default allows TLS 1.0).",
  severity: "high",
  remediation: "Set sslPolicy on the TargetHttpsProxy.",
  meta: {
    group: "WAF and edge",
    levels: levels("A", "M", "M"),
    frameworks: ["MSP load balancer baseline", "analogue of CKV_GCP_4"],
  },
  checks: [
    check(gcp.compute.TargetHttpsProxy, (proxy, report) => {
      if (!proxy.sslPolicy) report("The HTTPS proxy has no SSL policy.");
    }),
    check(gcp.compute.RegionTargetHttpsProxy, (proxy, report) => {
      if (!proxy.sslPolicy) report("The HTTPS proxy has no SSL policy.");
    }),
  ],
});
