import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check } from "../define";

export const gcpRedisAuthAndTls = resourcePolicy({
  name: "gcp-redis-auth-and-tls",
  description: "Memorystore Redis requires AUTH, TLS and private service access.",
  severity: "high",
  remediation:
    "Create Redis through RedisInstance, which sets authEnabled, SERVER_AUTHENTICATION and PRIVATE_SERVICE_ACCESS.",
  meta: { group: "Security", levels: levels("M", "M", "M"), frameworks: ["CKV_GCP_95", "CKV_GCP_97"] },
  checks: [
    check(gcp.redis.Instance, (redis, report) => {
      if (redis.authEnabled !== true) report("AUTH is off.");
      if (redis.transitEncryptionMode !== "SERVER_AUTHENTICATION")
        report("In-transit encryption (TLS) is off.");
      if (redis.connectMode !== "PRIVATE_SERVICE_ACCESS")
        report(`connectMode is ${redis.connectMode ?? "DIRECT_PEERING"}; use PRIVATE_SERVICE_ACCESS.`);
    }),
  ],
});
