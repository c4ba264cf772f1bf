/**
 * The commands that drive a canary stage (extension `rollout.stages[].canary.percentages`): watch the rollout
 * and the traffic split, advance to the next phase, abort. Cloud Deploy names an automated canary's phases
 * `canary-<percent>` and `stable` (https://cloud.google.com/deploy/docs/deployment-strategies/canary), and a
 * rollout waits at each phase until it is advanced (`gcloud deploy rollouts advance --phase-id`). Cancelling a
 * rollout leaves the traffic where the last phase put it, so an abort is a cancel then the target's rollback
 * (whose rollout goes straight to the stable phase with the previous release).
 */
import type { ResolvedRollout, ResolvedRolloutStage } from "../resolve/model";
import {
  canaryCancelCommand,
  RELEASE_PLACEHOLDER,
  ROLLOUT_PLACEHOLDER,
  targetRollbackCommand,
} from "./rollback";

/** The phases of a canary stage, in order: `canary-10`, `canary-50`, `stable`. */
export const canaryPhaseIds = (percentages: readonly number[]): string[] => [
  ...percentages.map((p) => `canary-${p}`),
  "stable",
];

const pipelineFlags = (r: ResolvedRollout) => [
  `--delivery-pipeline=${r.pipelineName}`,
  `--project=${r.projectId}`,
  `--region=${r.region}`,
];

export interface CanaryCommands {
  /** The rollouts of a release on the stage's target, with their phase and state. */
  readonly watchRollout: string[];
  /** The service's traffic split now. */
  readonly watchTraffic: string[];
  /** One advance per phase after the first, in order. */
  readonly advance: { readonly phase: string; readonly argv: string[] }[];
  /** Abort: cancel the rollout, then roll the target back to its previous release. */
  readonly cancel: string[];
  readonly rollback: string[];
}

export function canaryCommands(
  rollout: ResolvedRollout,
  stage: ResolvedRolloutStage,
): CanaryCommands | undefined {
  const percentages = stage.canaryPercentages;
  if (!percentages?.length) return undefined;
  const release = `--release=${RELEASE_PLACEHOLDER}`;
  return {
    watchRollout: [
      "gcloud",
      "deploy",
      "rollouts",
      "list",
      release,
      ...pipelineFlags(rollout),
      `--filter=targetId=${stage.targetName}`,
    ],
    watchTraffic: [
      "gcloud",
      "run",
      "services",
      "describe",
      stage.cloudRunName,
      `--project=${stage.projectId}`,
      `--region=${rollout.region}`,
      "--format=yaml(status.traffic)",
    ],
    advance: canaryPhaseIds(percentages)
      .slice(1)
      .map((phase) => ({
        phase,
        argv: [
          "gcloud",
          "deploy",
          "rollouts",
          "advance",
          ROLLOUT_PLACEHOLDER,
          release,
          ...pipelineFlags(rollout),
          `--phase-id=${phase}`,
        ],
      })),
    cancel: canaryCancelCommand(rollout),
    rollback: targetRollbackCommand(rollout, stage),
  };
}
