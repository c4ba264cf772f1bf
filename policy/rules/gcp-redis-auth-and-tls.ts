import { resourcePolicy, levels } from "../define";
import { T } from "../types";

export const gcpRedisAuthAndTls = resourcePolicy({
  name: "gcp-redis-auth-and-tls",
  description: "Memorystore Redis requires AUTH, TLS and private service access.",
  severity: "high",
  remediation:
    "Create Redis through RedisInstance, which sets authEnabled, SERVER_AUTHENTICATION and PRIVATE_SERVICE_ACCESS.",
  meta: { group: "Security", levels: levels("M", "M", "M"), frameworks: ["CKV_GCP_95", "CKV_GCP_97"] },
  types: [T.redis],
  validate: (props, report) => {
    if (props.authEnabled !== true) report("AUTH is off.");
    if (props.transitEncryptionMode !== "SERVER_AUTHENTICATION")
      report("In-transit encryption (TLS) is off.");
    if (props.connectMode !== "PRIVATE_SERVICE_ACCESS")
      report(`connectMode is ${String(props.connectMode ?? "DIRECT_PEERING")}; use PRIVATE_SERVICE_ACCESS.`);
  },
});
