import { resourcePolicy, levels } from "../define";
import { T } from "../types";

export const gcpHttpsProxyHasSslPolicy = resourcePolicy({
  name: "gcp-https-proxy-has-ssl-policy",
  description:
    "HTTPS proxies have an explicit SSL policy (otherwise GCP's COMPATIBLE default allows TLS 1.0).",
  severity: "high",
  remediation: "Set sslPolicy on the TargetHttpsProxy.",
  meta: {
    group: "WAF and edge",
    levels: levels("A", "M", "M"),
    frameworks: ["MSP load balancer baseline", "CKV_GCP_4"],
  },
  types: [T.httpsProxy],
  validate: (props, report) => {
    if (!props.sslPolicy) report("The HTTPS proxy has no SSL policy.");
  },
});
