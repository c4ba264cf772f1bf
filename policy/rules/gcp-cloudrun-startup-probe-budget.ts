import * as gcp from "@pulumi/gcp";
import { resourcePolicy, levels, check, listOf } from "../define";
import {
  DIRECT_VPC_EGRESS_STARTUP_DELAY_SECONDS as DELAY,
  startupProbeBudgetSeconds,
} from "../../platform/probes";

/**
 * Cloud Run services on Direct VPC egress give their instances at least the minute Google documents for
 * outbound connections at instance start (platform/probes.ts). The resolver sizes the platform's default probe;
 * this reports a probe that gives up sooner, such as a startup interval a spec sets with MSP's threshold of 3
 * (kept as MSP wrote it, so it is advisory: the instance may still start when egress is quick).
 */
export const gcpCloudrunStartupProbeBudget = resourcePolicy({
  name: "gcp-cloudrun-startup-probe-budget",
  description: `Cloud Run services on Direct VPC egress have a startup probe that waits at least ${DELAY} s (initial delay + period x failure threshold + timeout), the delay Google documents for connections at instance start.`,
  severity: "medium",
  remediation: `Remove healthProbes.startupInterval from the spec so the platform sizes the startup probe for Direct VPC egress, or set it to at least (${DELAY} s - timeout) / 3: Cloud Run stops an instance whose probe fails 3 times, and with Direct VPC egress its database or Redis may be unreachable for a minute or more after it starts.`,
  meta: {
    group: "Cost and hygiene",
    levels: levels("A", "A", "A"),
    frameworks: ["Cloud Run Direct VPC egress limitations"],
  },
  checks: [
    check(gcp.cloudrunv2.Service, (service, report) => {
      const vpc = service.template?.vpcAccess;
      if (!vpc?.networkInterfaces?.length && !vpc?.connector) return;
      for (const [i, container] of listOf(
        service.template?.containers,
        "template.containers",
        report,
      ).entries()) {
        const p = container.startupProbe;
        // No probe: Cloud Run's default TCP startup probe waits up to 240 s.
        if (!p) continue;
        const timing = {
          initialDelaySeconds: p.initialDelaySeconds ?? 0,
          // Cloud Run's defaults for fields a probe leaves out ("Configure container health checks").
          periodSeconds: p.periodSeconds ?? 10,
          failureThreshold: p.failureThreshold ?? 3,
          timeoutSeconds: p.timeoutSeconds ?? 1,
        };
        const budget = startupProbeBudgetSeconds(timing);
        if (budget < DELAY)
          report(
            `Container ${i}'s startup probe gives up after ${budget} s (${timing.initialDelaySeconds} + ${timing.periodSeconds} x ${timing.failureThreshold} + ${timing.timeoutSeconds}), and the service uses Direct VPC egress, whose connections can take ${DELAY} s or more at instance start.`,
          );
      }
    }),
  ],
});
