/** Fixtures of the "Cost and hygiene" policies. */
import { res, UNKNOWN, violation, type PolicyCase } from "../../helpers/policy";
import { T } from "../../../policy/types";
import { COMPONENT, JOB, OTHER, REDIS, RUN, SQL, STACK, redisWith, runWith, sqlWith } from "./fixtures";

/** The service with Direct VPC egress and a startup probe of these timings. */
const egressProbe = (probe: Record<string, unknown> | undefined, vpcAccess: unknown = VPC) => [
  res(T.runService, {
    ...RUN,
    template: {
      ...RUN.template,
      vpcAccess,
      containers: [{ ...RUN.template.containers[0], ...(probe ? { startupProbe: probe } : {}) }],
    },
  }),
];
const VPC = { networkInterfaces: [{ network: "svc", subnetwork: "svc-sub" }], egress: "PRIVATE_RANGES_ONLY" };
const PROBE = { initialDelaySeconds: 0, periodSeconds: 3, failureThreshold: 19, timeoutSeconds: 3 };

export const COST_CASES: Record<string, PolicyCase> = {
  "gcp-cloudrun-startup-probe-budget": {
    // The platform's default with egress: 0 + 3 x 19 + 3 = 60 s, exactly the documented minute.
    compliant: egressProbe(PROBE),
    violations: [
      violation(
        "MSP's threshold of 3 with Direct VPC egress (9 + 3 s)",
        egressProbe({ ...PROBE, failureThreshold: 3 }),
        /gives up after 12 s \(0 \+ 3 x 3 \+ 3\).*Direct VPC egress/,
      ),
      violation(
        "one failure short of the minute",
        egressProbe({ ...PROBE, failureThreshold: 18 }),
        /gives up after 57 s/,
      ),
      violation(
        "one second short of the minute",
        egressProbe({ ...PROBE, timeoutSeconds: 2 }),
        /gives up after 59 s \(0 \+ 3 x 19 \+ 2\)/,
      ),
      violation(
        "period unset: Cloud Run's 10 s",
        egressProbe({ failureThreshold: 5, timeoutSeconds: 1 }),
        /gives up after 51 s \(0 \+ 10 x 5 \+ 1\)/,
      ),
      violation(
        "a spec's explicit interval (pings-prod: 10 s, timeout 5)",
        egressProbe({ periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 5, initialDelaySeconds: 0 }),
        /gives up after 35 s/,
      ),
      violation(
        "a Serverless VPC Access connector, Cloud Run's defaults for fields left out",
        egressProbe({ periodSeconds: 5 }, { connector: "projects/p/locations/r/connectors/c" }),
        /gives up after 16 s \(0 \+ 5 x 3 \+ 1\)/,
      ),
    ],
    unknown: egressProbe(UNKNOWN as unknown as Record<string, unknown>),
    notApplicable: [
      res(T.runService, RUN),
      ...egressProbe({ ...PROBE, failureThreshold: 3 }, null),
      res(T.runJob, JOB),
    ],
  },
  "gcp-cloudrun-scaling-bounds": {
    compliant: [
      res(T.runService, RUN),
      // At the bounds: 100 instances at most, 10 kept warm.
      ...runWith("template.scaling", { maxInstanceCount: 100, minInstanceCount: 10 }),
    ],
    violations: [
      violation("no max", runWith("template.scaling.maxInstanceCount", undefined), /No maximum/),
      violation("too many", runWith("template.scaling.maxInstanceCount", 500), /exceeds 100/),
      violation(
        "one over",
        runWith("template.scaling.maxInstanceCount", 101),
        /maxInstanceCount 101 exceeds 100/,
      ),
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
      // The proxy VM and its firewall rules are the platform's (DatastreamConnection); these are not.
      violation(
        "an instance template",
        [res("gcp:compute/instanceTemplate:InstanceTemplate", {}, { name: "vm" })],
        /gcp:compute\/instanceTemplate:InstanceTemplate "vm" is not a type/,
      ),
      violation(
        "a firewall policy",
        [res("gcp:compute/networkFirewallPolicy:NetworkFirewallPolicy", {}, { name: "fw" })],
        /not a type/,
      ),
    ],
    // Components are the platform's own code: any msp:* type is allowed.
    notApplicable: [STACK, res("msp:gcp:SomeNewComponent", {}), res("msp:monitoring:Other", {})],
  },
};
