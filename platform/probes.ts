/**
 * Startup probe timing, pure and import-free: the resolver sizes the probes with it (resolve/fields.ts) and the
 * pack's gcp-cloudrun-startup-probe-budget policy checks planned services with the same arithmetic.
 */

/** MSP's failure threshold for both probes (reference §1.5). */
export const MSP_PROBE_FAILURE_THRESHOLD = 3;
/**
 * "You might experience connection establishment delays of a minute or more on instance startup when using
 * Direct VPC egress. We recommend configuring a HTTP startup probe ... set with appropriate period and
 * threshold configurations to act as a retry" (Cloud Run, "Direct VPC egress with a VPC network",
 * Limitations: https://cloud.google.com/run/docs/configuring/vpc-direct-vpc). A startup probe that gives up
 * sooner stops instances whose database or Redis is not reachable yet, and a new revision never becomes ready.
 */
export const DIRECT_VPC_EGRESS_STARTUP_DELAY_SECONDS = 60;

/** The timing fields of a Cloud Run startup probe (Cloud Run's names; initial delay 0 when unset). */
export interface StartupProbeTiming {
  initialDelaySeconds?: number;
  periodSeconds: number;
  failureThreshold: number;
  timeoutSeconds: number;
}

/**
 * How long a startup probe lets an instance start before Cloud Run stops it: the initial delay, then
 * failureThreshold periods, the last attempt allowed its timeout.
 */
export const startupProbeBudgetSeconds = (p: StartupProbeTiming) =>
  (p.initialDelaySeconds ?? 0) + p.periodSeconds * p.failureThreshold + p.timeoutSeconds;
