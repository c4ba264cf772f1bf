/**
 * The first step of a two-step first deploy: what `pulumi up --target` must create so that a person can add
 * the secret versions the workload reads before the deploy that creates the workload (Cloud Run fails a
 * revision whose secret has no version: terraform-provider-google #10846). The targets are the secret
 * containers and everything they wait for (the project, its APIs, their components and providers), nothing
 * that reads the secrets.
 */
import type { FirstDeployFinding } from "./finding";
import { PlanGraph, type PlannedResource } from "./plan-graph";

/**
 * URNs to pass as `--target` to create the containers of the secrets `findings` ask versions for; empty when
 * a finding is not a missing version of a secret this deploy creates (then a first step cannot help).
 */
export function firstStepTargets(
  resources: readonly PlannedResource[],
  findings: readonly FirstDeployFinding[],
): string[] {
  if (!findings.length || findings.some((f) => !f.secret?.containerUrn)) return [];
  const graph = new PlanGraph(resources);
  const targets = new Set<string>();
  const add = (r: PlannedResource) => {
    targets.add(r.urn);
    if (r.provider) targets.add(r.provider.slice(0, r.provider.lastIndexOf("::")));
  };
  for (const f of findings) {
    const container = graph.get(f.secret!.containerUrn!);
    if (!container) continue;
    add(container);
    for (const urn of graph.waitsFor(container)) {
      const r = graph.get(urn);
      if (r) add(r);
    }
  }
  return resources.map((r) => r.urn).filter((urn) => targets.has(urn));
}
