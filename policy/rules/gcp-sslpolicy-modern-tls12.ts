import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check } from "../define";

export const gcpSslpolicyModernTls12 = resourcePolicy({
  name: "gcp-sslpolicy-modern-tls12",
  description: "Load balancer SSL policies use the MODERN or RESTRICTED profile with TLS 1.2 or later.",
  severity: "critical",
  remediation: "Use profile MODERN with minTlsVersion TLS_1_2 (what CloudflareDomain creates).",
  meta: {
    group: "WAF and edge",
    levels: levels("M", "M", "M"),
    frameworks: ["CKV_GCP_4", "AVD-GCP-0039", "CIS 3.9"],
  },
  checks: [
    check(gcp.compute.SSLPolicy, (policy, report) => {
      if (!["MODERN", "RESTRICTED"].includes(String(policy.profile)))
        report(`Profile ${String(policy.profile ?? "COMPATIBLE")} allows weak ciphers.`);
      if (!["TLS_1_2", "TLS_1_3"].includes(String(policy.minTlsVersion)))
        report(`Minimum TLS version ${String(policy.minTlsVersion ?? "TLS_1_0")} is below TLS 1.2.`);
    }),
  ],
});
