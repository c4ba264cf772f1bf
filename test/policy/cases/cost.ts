/** Fixtures of the "Cost and hygiene" policies. */
import { res, UNKNOWN, violation, type PolicyCase } from "../../helpers/policy";
import { T } from "../../../policy/types";
import { COMPONENT, JOB, OTHER, REDIS, RUN, SQL, STACK, redisWith, runWith, sqlWith } from "./fixtures";

export const COST_CASES: Record<string, PolicyCase> = {
  "gcp-cloudrun-scaling-bounds": {
    compliant: [res(T.runService, RUN)],
    violations: [
      violation("no max", runWith("template.scaling.maxInstanceCount", undefined), /No maximum/),
      violation("too many", runWith("template.scaling.maxInstanceCount", 500), /exceeds 100/),
      violation("too warm", runWith("template.scaling.minInstanceCount", 50), /more than 10/),
    ],
    unknown: runWith("template.scaling", UNKNOWN),
    notApplicable: [res(T.runJob, JOB)],
    config: [["test bounds", { maxInstances: 20, maxMinInstances: 0 }, [res(T.runService, RUN)], true]],
  },
  "gcp-sql-tier-allowlist": {
    compliant: [res(T.sql, SQL)],
    violations: [
      violation("shared core", sqlWith("settings.tier", "db-f1-micro"), /not a db-custom tier/),
      violation("too big", sqlWith("settings.tier", "db-custom-64-262144"), /64 CPUs/),
      violation(
        "old version",
        [res(T.sql, { ...SQL, databaseVersion: "POSTGRES_9_6" })],
        /not a supported version/,
      ),
    ],
    unknown: sqlWith("settings.tier", UNKNOWN),
    notApplicable: [OTHER],
    config: [["test budget", { maxCpu: 1 }, [res(T.sql, SQL)], true]],
  },
  "gcp-redis-size-allowlist": {
    compliant: [res(T.redis, REDIS)],
    violations: [violation("too big", redisWith("memorySizeGb", 100), /exceeds 64 GB/)],
    unknown: redisWith("memorySizeGb", UNKNOWN),
    notApplicable: [OTHER],
    config: [["basic only", { basicOnly: true }, [res(T.redis, REDIS)], true]],
  },
  "msp-allowed-resource-types": {
    compliant: [
      STACK,
      res(T.runService, RUN),
      COMPONENT,
      res("gcp:projects/iAMAuditConfig:IAMAuditConfig", { service: "allServices" }),
    ],
    violations: [
      violation(
        "a VM",
        [res("gcp:compute/instance:Instance", {}, { name: "vm" })],
        /gcp:compute\/instance:Instance "vm" is not a type/,
      ),
      violation("a firewall rule", [res("gcp:compute/firewall:Firewall", {}, { name: "fw" })], /not a type/),
    ],
    // Components are the platform's own code: any msp:* type is allowed.
    notApplicable: [STACK, res("msp:gcp:SomeNewComponent", {}), res("msp:monitoring:Other", {})],
  },
};
