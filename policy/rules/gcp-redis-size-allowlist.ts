import { resourcePolicy, levels } from "../define";
import { T } from "../types";

export const gcpRedisSizeAllowlist = resourcePolicy<{ maxMemoryGb: number; basicOnly: boolean }>({
  name: "gcp-redis-size-allowlist",
  description: "Memorystore sizes stay within the category's budget (BASIC and small outside production).",
  severity: "low",
  remediation: "Lower redis.memoryGB or highAvailability in test environments.",
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
  types: [T.redis],
  validate: (props, report, _args, config) => {
    if (config.basicOnly && props.tier === "STANDARD_HA")
      report("STANDARD_HA doubles the cost; use BASIC here.");
    if (typeof props.memorySizeGb === "number" && props.memorySizeGb > config.maxMemoryGb)
      report(`${props.memorySizeGb} GB exceeds ${config.maxMemoryGb} GB.`);
  },
});
