/**
 * A grant to a Google-managed service agent of a project the run creates (Cloud Run's
 * `service-<n>@serverless-robot-prod`, pulling images from the registry project) fails until the agent
 * exists: the grant must wait for the agent's creation (its API's enablement, or `gcp.projects.ServiceIdentity`).
 */
import { finding, type FirstDeployFinding, type FirstDeployRule } from "../finding";
import type { PlanGraph } from "../plan-graph";
import { serviceAgent } from "../../../platform/service-agents";

export const serviceAgentGrant: FirstDeployRule = {
  name: "service-agent-exists-before-grant",
  source:
    "https://cloud.google.com/iam/docs/service-agents (agents are created when their API is enabled or by generateServiceIdentity); issue 21 point 7",
  check(graph: PlanGraph) {
    const out: FirstDeployFinding[] = [];
    for (const r of graph.resources) {
      const agent = r.custom ? serviceAgent(r.inputs?.member) : undefined;
      if (!agent) continue;
      const project = [...graph.createdProjects.keys()].find(
        (p) => graph.projectNumber(p) === agent.projectNumber,
      );
      if (!project) continue; // an agent of a project that exists already
      const creators = [graph.serviceIdentity(project, agent.api), graph.enablement(project, agent.api)];
      if (!creators.some((c) => c && graph.isOrderedAfter(r, c)))
        out.push(
          finding(this, r, {
            key: agent.email,
            problem: `grants ${r.inputs?.role as string} to ${agent.email}, the ${agent.api} service agent of ${project}, which this deploy creates, without waiting for the agent to exist: the grant fails.`,
            fix: `create the agent first (gcp.projects.ServiceIdentity for ${agent.api} in ${project}) and make the grant depend on it.`,
          }),
        );
    }
    return out;
  },
};
