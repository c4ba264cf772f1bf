import { resourcePolicy, levels, at } from "../define";
import { T } from "../types";

export const gcpRedisHaPersistence = resourcePolicy({
  name: "gcp-redis-ha-persistence",
  description: "Memorystore Redis is STANDARD_HA with RDB persistence.",
  severity: "low",
  remediation: "Set redis.highAvailability: true for production environments.",
  meta: {
    group: "Backups and data safety",
    levels: levels("D", "A", "A"),
    frameworks: ["Memorystore HA guidance"],
  },
  types: [T.redis],
  validate: (props, report) => {
    if (props.tier !== "STANDARD_HA") report(`Tier is ${String(props.tier ?? "BASIC")}: no replica.`);
    if (at(props, "persistenceConfig", "persistenceMode") !== "RDB") report("RDB persistence is off.");
  },
});
