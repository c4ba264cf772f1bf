/**
 * A Service Networking connection in a brand-new project fails intermittently ("Error code 7 ...
 * compute.globalAddresses.list") until the Service Networking service agent exists and holds
 * `roles/servicenetworking.serviceAgent` on the project (GoogleCloudPlatform/cloud-foundation-fabric#1399;
 * hashicorp/terraform-provider-google#11195): the connection must wait for the agent and the grant.
 */
import { finding, type FirstDeployFinding, type FirstDeployRule } from "../finding";
import { projectInPath, type PlanGraph } from "../plan-graph";
import { serviceAgent } from "../../../platform/service-agents";

export const CONNECTION_TYPE = "gcp:servicenetworking/connection:Connection";
const API = "servicenetworking.googleapis.com";
export const SERVICE_NETWORKING_AGENT_ROLE = "roles/servicenetworking.serviceAgent";

export const serviceNetworkingAgent: FirstDeployRule = {
  name: "service-networking-agent-first",
  source: "GoogleCloudPlatform/cloud-foundation-fabric#1399; hashicorp/terraform-provider-google#11195",
  check(graph: PlanGraph) {
    const out: FirstDeployFinding[] = [];
    for (const c of graph.ofType(CONNECTION_TYPE)) {
      const project = projectInPath(c.inputs?.network) ?? graph.projectOf(c);
      if (!graph.createsProject(project)) continue;
      const identity = graph.serviceIdentity(project, API);
      if (!identity || !graph.isOrderedAfter(c, identity))
        out.push(
          finding(this, c, {
            key: "identity",
            problem: `the Service Networking service agent of ${project} (created by this deploy) may not exist yet when the connection is made: it fails intermittently.`,
            fix: `create it with gcp.projects.ServiceIdentity (service ${API}) and make the connection depend on it.`,
          }),
        );
      const grant = graph.resources.find(
        (g) =>
          g.type === "gcp:projects/iAMMember:IAMMember" &&
          graph.projectOf(g) === project &&
          g.inputs?.role === SERVICE_NETWORKING_AGENT_ROLE &&
          serviceAgent(g.inputs?.member)?.api === API,
      );
      if (!grant || !graph.isOrderedAfter(c, grant))
        out.push(
          finding(this, c, {
            key: "role",
            problem: `the Service Networking service agent of ${project} does not hold ${SERVICE_NETWORKING_AGENT_ROLE} before the connection is made: it fails intermittently.`,
            fix: `grant ${SERVICE_NETWORKING_AGENT_ROLE} on the project to the agent (after its ServiceIdentity) and make the connection depend on the grant.`,
          }),
        );
    }
    return out;
  },
};
