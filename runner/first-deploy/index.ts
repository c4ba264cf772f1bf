/**
 * The first real deploy, checked offline: rules over the planned resource graph (after the stack program ran
 * against the offline model) for what the real APIs refuse on a first `pulumi up` though every value is
 * right: an API used before it is enabled, a secret without a version, an alert on a log metric that has not
 * propagated, Service Networking before its agent, placeholder billing accounts and folders, grants to
 * service agents that do not exist yet. Each rule is its own file in rules/, with its source.
 */
import type { FirstDeployFinding, FirstDeployRule } from "./finding";
import { PlanGraph, type PlannedResource } from "./plan-graph";
import { billingAccountExists } from "./rules/billing-account-exists";
import { folderExists } from "./rules/folder-exists";
import { apiEnabled } from "./rules/api-enabled";
import { serviceAgentGrant } from "./rules/service-agent-grant";
import { serviceNetworkingAgent } from "./rules/service-networking-agent";
import { serviceNetworkingBilling } from "./rules/service-networking-billing";
import { secretVersion } from "./rules/secret-version";
import { logMetricAlert } from "./rules/log-metric-alert";

export type { FirstDeployFinding, FirstDeployRule } from "./finding";
export type { PlannedResource } from "./plan-graph";

/** In the order a first deploy meets them: the project, its APIs and agents, then what runs in it. */
export const FIRST_DEPLOY_RULES: readonly FirstDeployRule[] = [
  billingAccountExists,
  folderExists,
  apiEnabled,
  serviceAgentGrant,
  serviceNetworkingAgent,
  serviceNetworkingBilling,
  secretVersion,
  logMetricAlert,
];

const identity = (f: FirstDeployFinding, urn = f.urn) => `${f.rule}\0${urn}\0${f.key ?? ""}`;

export interface FirstDeployOptions {
  /**
   * The resources of the state last deployed (a stack export). A finding the deployed plan had too was met
   * by that successful deploy (the project existed, the secret had its version, the alert was created), so
   * only what this deploy adds is reported.
   */
  readonly deployed?: readonly PlannedResource[];
}

/** Where the first real `pulumi up` of this plan would stop, rule by rule, each with its fix. */
export function firstDeployFindings(
  resources: readonly PlannedResource[],
  options: FirstDeployOptions = {},
): FirstDeployFinding[] {
  const graph = new PlanGraph(resources);
  const findings = FIRST_DEPLOY_RULES.flatMap((rule) => rule.check(graph));
  if (!options.deployed) return findings;
  const deployedGraph = new PlanGraph(options.deployed);
  const met = new Set(
    FIRST_DEPLOY_RULES.flatMap((rule) => rule.check(deployedGraph)).map((f) => identity(f)),
  );
  // A resource found under a former URN (its aliases) is the one deployed, as `pulumi up` finds it.
  return findings.filter(
    (f) => ![f.urn, ...(graph.get(f.urn)?.aliases ?? [])].some((urn) => met.has(identity(f, urn))),
  );
}

export { firstStepTargets } from "./first-step";
