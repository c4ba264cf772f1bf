import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check } from "../define";

export const gcpRedisHaPersistence = resourcePolicy({
  name: "gcp-redis-ha-persistence",
  description: "Memorystore Redis is STANDARD_HA with RDB persistence.",
  severity: "low",
  remediation:
    "Set resources.redis.highAvailability: true for production environments, before the instance holds data: the tier cannot change in place, so the change creates a new instance and the old one's data is lost.",
  meta: {
    group: "Backups and data safety",
    levels: levels("D", "A", "A"),
    frameworks: ["Memorystore HA guidance"],
  },
  checks: [
    check(gcp.redis.Instance, (redis, report) => {
      if (redis.tier !== "STANDARD_HA") report(`Tier is ${redis.tier ?? "BASIC"}: no replica.`);
      if (redis.persistenceConfig?.persistenceMode !== "RDB") report("RDB persistence is off.");
    }),
  ],
});
