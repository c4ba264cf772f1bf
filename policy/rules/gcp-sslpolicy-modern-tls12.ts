import { resourcePolicy, levels } from "../define";
import { T } from "../types";

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
  types: [T.sslPolicy],
  validate: (props, report) => {
    if (!["MODERN", "RESTRICTED"].includes(String(props.profile)))
      report(`Profile ${String(props.profile ?? "COMPATIBLE")} allows weak ciphers.`);
    if (!["TLS_1_2", "TLS_1_3"].includes(String(props.minTlsVersion)))
      report(`Minimum TLS version ${String(props.minTlsVersion ?? "TLS_1_0")} is below TLS 1.2.`);
  },
});
