/**
 * The Service Networking call is billed to (and needs the API enabled in) the caller's own project, the
 * deploy identity's home project, unless the provider names a billing project and sends it as the user
 * project: "API has not been used in project <deploy identity's project>" (hashicorp/terraform-provider-google
 * #10066). The connection's provider must set `billingProject` and `userProjectOverride: true`.
 */
import { finding, type FirstDeployRule } from "../finding";
import { str, type PlanGraph } from "../plan-graph";
import { CONNECTION_TYPE } from "./service-networking-agent";

export const serviceNetworkingBilling: FirstDeployRule = {
  name: "service-networking-billing-project",
  source: "hashicorp/terraform-provider-google#10066 (the connection is billed to the caller's project)",
  check(graph: PlanGraph) {
    return graph.ofType(CONNECTION_TYPE).flatMap((c) => {
      const p = graph.providerInputs(c);
      if (str(p.billingProject) && (p.userProjectOverride === true || p.userProjectOverride === "true"))
        return [];
      return [
        finding(this, c, {
          problem: `its gcp provider sets no billing project with userProjectOverride: the call is billed to the deploy identity's own project and fails unless Service Networking is enabled there.`,
          fix: `set billingProject (the environment's project) and userProjectOverride: true on the gcp provider.`,
        }),
      ];
    });
  },
};
