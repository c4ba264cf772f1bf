/**
 * MSP's stack outputs in Secret Manager (resolve/stack-outputs.ts names them): each value taken from the
 * resource that holds it, so a secret changes with its resource and is written after it.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedEnvironment } from "../../resolve/model";
import type { StackOutputSource } from "../../resolve/stack-outputs";
import { StackOutputSecrets } from "../../components/stack-output-secrets";
import type { RolloutPipeline } from "../../components/rollout";
import type { Foundation } from "./foundation";
import type { Data } from "./data";
import type { Monitoring } from "./monitoring";

/** A list output as MSP writes it to Secret Manager (`AddSlice`): comma-separated. */
const joined = (ids: readonly pulumi.Input<string>[]) => pulumi.all([...ids]).apply((l) => l.join(","));

export function buildOutputSecrets(
  env: ResolvedEnvironment,
  base: Foundation,
  data: Data,
  monitoring: Monitoring,
  rollout: RolloutPipeline | undefined,
): StackOutputSecrets | undefined {
  if (env.stackOutputSecrets.length === 0) return undefined;
  const { channels } = monitoring;
  const valueOf = (s: StackOutputSource): pulumi.Input<string> => {
    switch (s.from) {
      case "value":
        return s.value;
      case "projectId":
        return base.project.projectId;
      case "workloadEmail":
        return base.identities.workloadEmail;
      case "operatorEmail":
        return base.identities.operatorEmail;
      case "releaserEmail":
        return rollout!.releaserEmail;
      case "sqlConnectionName":
        return data.postgres!.connectionName;
      case "channels":
        return joined(s.severity === "warning" ? channels.warningChannels : channels.criticalChannels);
      case "ownerChannels": {
        const paging = channels.pagingChannels[s.owner];
        return joined(paging ? [...channels.warningChannels, paging] : channels.warningChannels);
      }
    }
  };
  return new StackOutputSecrets(
    "stack-outputs",
    {
      projectId: base.project.projectId,
      outputs: env.stackOutputSecrets.map((o) => ({ secretId: o.secretId, value: valueOf(o.source) })),
      labels: env.labels,
      allowDestroys: env.allowDestroys,
    },
    base.opts,
  );
}
