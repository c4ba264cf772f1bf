import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check } from "../define";

export const gcpRedisSizeAllowlist = resourcePolicy<{ maxMemoryGb: number; basicOnly: boolean }>({
  name: "gcp-redis-size-allowlist",
  description: "Memorystore sizes stay within the category's budget (BASIC and small outside production).",
  severity: "low",
  remediation:
    "Lower redis.memoryGB, or highAvailability in test environments (maxMemoryGb and basicOnly in policy/config/<category>.json).",
  meta: {
    group: "Cost and hygiene",
    levels: levels("M", "A", "A"),
    frameworks: ["cost guard-rail"],
    configByCategory: {
      test: { maxMemoryGb: 4, basicOnly: true },
      internal: { maxMemoryGb: 64, basicOnly: false },
      external: { maxMemoryGb: 300, basicOnly: false },
    },
  },
  config: { maxMemoryGb: { type: "integer", default: 64 }, basicOnly: { type: "boolean", default: false } },
  checks: [
    check(gcp.redis.Instance, (redis, report, _args, config) => {
      if (config.basicOnly && redis.tier === "STANDARD_HA")
        report("STANDARD_HA doubles the cost; use BASIC here.");
      if (redis.memorySizeGb > config.maxMemoryGb)
        report(`${redis.memorySizeGb} GB exceeds ${config.maxMemoryGb} GB.`);
    }),
  ],
});
