/**
 * What rolling an environment back takes, per deploy type (issue 24.3): the cloud change that stops the bad
 * release at once, then what keeps it (the spec change, the followed tag, or nothing), so that the next
 * `pulumi up` deploys what is running instead of undoing it. Pure: the commands as argument vectors and the
 * comments around them; `msp rollback` prints or runs them (cli/commands/rollback.ts) and the handbook page
 * prints the same ones per environment.
 *
 * How the program sets what a rollback touches (components/cloudrun-service.ts, cloudrun-job.ts):
 * - a Cloud Run service's traffic is pinned to 100% of the LATEST revision, and its image is
 *   `<repository>:<manual.tag>`, or the digest the followed tag points to for `subscription` deploys;
 * - a rollout's image is Cloud Deploy's (Pulumi ignores it), and its traffic is Cloud Deploy's during a canary;
 * - a job has no traffic: each execution runs the job's image.
 *
 * Sources: `gcloud run services update-traffic --to-revisions` (https://cloud.google.com/run/docs/rollouts-rollbacks-traffic-migration#roll-back);
 * `gcloud deploy targets rollback` (https://cloud.google.com/deploy/docs/roll-back); `gcloud artifacts docker
 * tags add` (https://cloud.google.com/artifact-registry/docs/docker/manage-images#tag).
 */
import type {
  ResolvedEnvironment,
  ResolvedRollout,
  ResolvedRolloutStage,
  ResolvedService,
} from "../resolve/model";
import { commentLine, shellComment, shellLine, shellQuote } from "../resolve/shell";

const q = shellQuote;
import { tagProblem } from "../platform/oci-reference";

/** What to roll back to. `previous`: the newest ready revision older than the one serving (looked up). */
export type RollbackTarget =
  | { readonly kind: "previous" }
  | { readonly kind: "revision"; readonly name: string }
  | { readonly kind: "tag"; readonly tag: string }
  | { readonly kind: "release"; readonly name: string };

/** One command and the comment printed above it. */
export interface RollbackStep {
  readonly comment: string;
  readonly argv: readonly string[];
}

export interface RollbackPlan {
  /** Comment lines: what is rolled back, where, and how. */
  readonly notes: readonly string[];
  /** The commands that roll back now, in order. */
  readonly steps: readonly RollbackStep[];
  /** Comment lines: what makes the rollback last (the spec change to commit, the tag to move), or why nothing. */
  readonly durable: readonly string[];
}

/** Where the spec says the image: `file:line:col` and the field, for the "commit this" line. */
export interface SpecPlace {
  readonly where: string;
  readonly field: string;
}

/** Stands for the revision to go back to in a printed plan that has not looked it up. */
export const REVISION_PLACEHOLDER = "REVISION";
/** Stand for the release and rollout names in printed Cloud Deploy commands. */
export const RELEASE_PLACEHOLDER = "RELEASE";
export const ROLLOUT_PLACEHOLDER = "ROLLOUT";

/** Cloud Run's generated revision names: `<service>-<5-digit generation>-<3 characters>`. */
export const isRevisionOf = (cloudRunName: string, name: string): boolean =>
  name.startsWith(`${cloudRunName}-`) && /^\d{5}-[a-z0-9]{3}$/.test(name.slice(cloudRunName.length + 1));

/** Cloud Deploy release names: lowercase letters, digits and hyphens, starting with a letter, at most 63. */
const RELEASE_NAME = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

export class RollbackError extends Error {}

/**
 * Reads `--to` for an environment: a revision of its Cloud Run service, a release of its pipeline (rollouts),
 * or an image tag; nothing means the previous revision (services) or release (rollouts).
 */
export function rollbackTarget(env: ResolvedEnvironment, to: string | undefined): RollbackTarget {
  const job = env.workload.kind === "job";
  if (env.deployType === "rollout") {
    if (to === undefined) return { kind: "previous" };
    if (!RELEASE_NAME.test(to))
      throw new RollbackError(
        `--to ${shellQuote(to.slice(0, 70))}: a rollout rolls back to a release of its pipeline (gcloud deploy releases list), not a tag; to deploy an older tag, create a release of it: npx msp release create ${env.serviceId} --tag <tag>`,
      );
    return { kind: "release", name: to };
  }
  if (to === undefined) {
    if (job)
      throw new RollbackError(
        `${env.serviceId} ${env.envId} is a job: it has no revisions serving traffic; name the image tag to run with --to <tag> (the spec's is ${env.workload.imageTag})`,
      );
    return { kind: "previous" };
  }
  if (!job && isRevisionOf(env.workload.cloudRunName, to)) return { kind: "revision", name: to };
  const problem = tagProblem(to);
  if (problem)
    throw new RollbackError(
      `--to ${shellQuote(to.slice(0, 70))} is neither a revision of ${env.workload.cloudRunName} nor an image tag: it ${problem}`,
    );
  return { kind: "tag", tag: to };
}

const runWhere = (env: ResolvedEnvironment) => [`--region=${env.region}`, `--project=${env.project.id}`];

/** `gcloud run revisions list` of the service, newest first: where the revision to go back to is found. */
export function revisionsListCommand(env: ResolvedEnvironment, json = false): string[] {
  return [
    "gcloud",
    "run",
    "revisions",
    "list",
    `--service=${env.workload.cloudRunName}`,
    ...runWhere(env),
    "--sort-by=~metadata.creationTimestamp",
    "--limit=10",
    ...(json ? ["--format=json"] : []),
  ];
}

/** `gcloud run services describe`: which revisions serve traffic now. */
export function serviceDescribeCommand(env: ResolvedEnvironment): string[] {
  return [
    "gcloud",
    "run",
    "services",
    "describe",
    env.workload.cloudRunName,
    ...runWhere(env),
    "--format=json",
  ];
}

/** `gcloud run revisions describe`: the image a revision runs. */
export function revisionImageCommand(env: ResolvedEnvironment, revision: string): string[] {
  return [
    "gcloud",
    "run",
    "revisions",
    "describe",
    revision,
    ...runWhere(env),
    "--format=value(spec.containers[0].image)",
  ];
}

/** The part of `gcloud run revisions list --format=json` and `services describe --format=json` read here. */
export interface RevisionJson {
  metadata?: { name?: string; creationTimestamp?: string };
  status?: { conditions?: { type?: string; status?: string }[] };
  spec?: { containers?: { image?: string }[] };
}
export interface ServiceJson {
  status?: { traffic?: { revisionName?: string; percent?: number }[] };
}

/**
 * The revision to go back to: the newest ready revision created before the newest one serving traffic now
 * (a revision that never became ready never served, so it is skipped). Undefined when there is none.
 */
export function previousRevision(
  service: ServiceJson,
  revisions: readonly RevisionJson[],
): RevisionJson | undefined {
  const serving = new Set(
    (service.status?.traffic ?? []).filter((t) => (t.percent ?? 0) > 0).map((t) => t.revisionName),
  );
  const byAge = [...revisions].sort((a, b) =>
    (b.metadata?.creationTimestamp ?? "").localeCompare(a.metadata?.creationTimestamp ?? ""),
  );
  const newestServing = byAge.findIndex((r) => serving.has(r.metadata?.name));
  if (newestServing < 0) return undefined;
  const ready = (r: RevisionJson) =>
    (r.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
  return byAge.slice(newestServing + 1).find((r) => ready(r) && !serving.has(r.metadata?.name));
}

/** The tag of `<repository>:<tag>` when the image is of the service's repository (not a digest). */
export function tagOfImage(repository: string, image: string): string | undefined {
  const prefix = `${repository}:`;
  if (!image.startsWith(prefix)) return undefined;
  const tag = image.slice(prefix.length);
  return tagProblem(tag) ? undefined : tag;
}

function serviceSteps(env: ResolvedEnvironment, target: RollbackTarget): RollbackStep[] {
  const name = env.workload.cloudRunName;
  if (target.kind === "tag") {
    const image = `${env.workload.imageRepository}:${target.tag}`;
    return [
      {
        comment: shellComment`A new revision of ${image} (it serves once its startup probe passes; the bad one serves until then):`,
        argv: ["gcloud", "run", "services", "update", name, `--image=${image}`, ...runWhere(env), "--quiet"],
      },
      {
        comment: commentLine("All traffic to the latest revision, as the stack program sets it:"),
        argv: ["gcloud", "run", "services", "update-traffic", name, "--to-latest", ...runWhere(env)],
      },
    ];
  }
  const revision = target.kind === "revision" ? target.name : REVISION_PLACEHOLDER;
  return [
    ...(target.kind === "previous"
      ? [
          {
            comment: commentLine(
              `Find the revision to go back to: the newest one, with ACTIVE, older than the one serving now (\`msp rollback --run\` picks it: the newest ready revision before the serving one), and put it in place of ${REVISION_PLACEHOLDER} below:`,
            ),
            argv: revisionsListCommand(env),
          },
        ]
      : []),
    {
      comment: shellComment`All traffic to ${revision} at once (no new revision, no cold start if it has instances):`,
      argv: [
        "gcloud",
        "run",
        "services",
        "update-traffic",
        name,
        `--to-revisions=${revision}=100`,
        ...runWhere(env),
      ],
    },
  ];
}

/** The spec change that makes a rollback of a manual deploy last, with the image the rollback runs. */
function manualDurable(
  env: ResolvedEnvironment,
  target: RollbackTarget,
  place: SpecPlace,
  tag?: string,
): string[] {
  const to = target.kind === "tag" ? target.tag : tag;
  const now = `${q(place.where)}, now ${q(env.workload.imageTag)}`;
  const revision = target.kind === "revision" ? target.name : REVISION_PLACEHOLDER;
  const set = to
    ? commentLine(`Make it last: set ${place.field} to ${q(to)} (${now}),`)
    : commentLine(
        `Make it last: set ${place.field} (${now}) to the tag the revision runs (${shellLine(revisionImageCommand(env, revision))}),`,
      );
  return [
    set,
    shellComment`run npx msp docs ${env.serviceId}, commit and merge: the deploy runs that tag in a new revision and moves traffic back to the latest revision.`,
    commentLine(
      "Until it is merged, any `pulumi up` of the stack puts the released tag back and all traffic on the latest revision (the program pins 100% to LATEST), and the nightly drift check reports the change.",
    ),
  ];
}

/** The tag move that makes a rollback of a subscription deploy last: the tag followed points to the good image. */
function subscriptionDurable(
  env: ResolvedEnvironment,
  target: RollbackTarget,
  place: SpecPlace,
  image?: string,
): string[] {
  const followed = env.workload.pinDigest?.tag ?? env.workload.imageTag;
  const repo = env.workload.imageRepository;
  const good = target.kind === "tag" ? `${repo}:${target.tag}` : (image ?? `${repo}@sha256:DIGEST`);
  return [
    commentLine(
      `Make it last: ${q(followed)} still points to the bad image, and the subscriptions workflow (every 20 minutes) or any deploy of ${env.stack} would run it again. Point the tag back at the good image${image || target.kind === "tag" ? "" : ` (DIGEST: the digest the revision runs, ${shellLine(revisionImageCommand(env, target.kind === "revision" ? target.name : REVISION_PLACEHOLDER))})`}:`,
    ),
    shellLine(["gcloud", "artifacts", "docker", "tags", "add", good, `${repo}:${followed}`]),
    commentLine(
      `or pin the environment instead: set ${place.field} to type manual with the good tag (${q(place.where)}), commit and merge.`,
    ),
  ];
}

/**
 * The rollback of one environment. `found`: what `--run` looked up (the revision chosen and the image it
 * runs), so the durable step names the tag instead of telling how to find it.
 */
export function rollbackPlan(
  service: ResolvedService,
  env: ResolvedEnvironment,
  target: RollbackTarget,
  place: SpecPlace,
  found: { image?: string } = {},
): RollbackPlan {
  const stack = env.stack;
  if (env.deployType === "rollout") {
    const rollout = service.rollout;
    const stage = rollout?.stages.find((s) => s.envId === env.envId);
    if (!rollout || !stage) throw new RollbackError(`${stack} is not a stage of ${service.id}'s rollout`);
    const release = target.kind === "release" ? target.name : undefined;
    return {
      notes: [
        commentLine(
          `Roll back ${stack}: Cloud Deploy target ${stage.targetName} of ${rollout.pipelineName} (${rollout.projectId}, ${rollout.region}) to ${release ? `release ${q(release)}` : "the release it ran before the current one"}.`,
        ),
        commentLine(
          "Cloud Deploy creates a rollout of that release on the target; its deploy action points the Cloud Run service at the release's image.",
        ),
        ...(stage.canaryPercentages
          ? [
              commentLine(
                `A canary stage: a release still in its canary phases is aborted first (cancelling leaves the traffic split; the rollback then gives the previous release all of it): ${shellLine(canaryCancelCommand(rollout))}`,
              ),
            ]
          : []),
      ],
      steps: [
        {
          comment: commentLine("Roll the target back (it asks to confirm; --quiet does not):"),
          argv: targetRollbackCommand(rollout, stage, release),
        },
      ],
      durable: [
        commentLine(
          "Nothing to commit: Pulumi leaves a rollout's image to Cloud Deploy, so the next `pulumi up` keeps the rolled-back image; the next release moves the stage forward again.",
        ),
      ],
    };
  }
  const image = found.image;
  const tag = image ? tagOfImage(env.workload.imageRepository, image) : undefined;
  const durable =
    env.deployType === "subscription"
      ? subscriptionDurable(env, target, place, image)
      : manualDurable(env, target, place, tag);
  if (env.workload.kind === "job") {
    if (target.kind !== "tag") throw new RollbackError(`${stack} is a job: roll it back to an image tag`);
    const image = `${env.workload.imageRepository}:${target.tag}`;
    return {
      notes: [
        shellComment`Roll back ${stack}: Cloud Run job ${env.workload.cloudRunName} (${env.project.id}, ${env.region}) to ${image}.`,
        commentLine(
          "A job has no traffic: the next execution (scheduled or run by hand) runs the image set here.",
        ),
      ],
      steps: [
        {
          comment: commentLine("Set the job's image:"),
          argv: [
            "gcloud",
            "run",
            "jobs",
            "update",
            env.workload.cloudRunName,
            `--image=${image}`,
            ...runWhere(env),
            "--quiet",
          ],
        },
      ],
      durable,
    };
  }
  const what =
    target.kind === "tag"
      ? `a new revision of ${q(`${env.workload.imageRepository}:${target.tag}`)}`
      : target.kind === "revision"
        ? `revision ${q(target.name)}`
        : "the revision before the one serving now";
  return {
    notes: [
      commentLine(
        `Roll back ${stack}: Cloud Run service ${env.workload.cloudRunName} (${env.project.id}, ${env.region}) to ${what}.`,
      ),
    ],
    steps: serviceSteps(env, target),
    durable,
  };
}

/** `gcloud deploy rollouts cancel` of a rollout in progress (names stand in: ROLLOUT, RELEASE). */
export function canaryCancelCommand(rollout: ResolvedRollout): string[] {
  return [
    "gcloud",
    "deploy",
    "rollouts",
    "cancel",
    ROLLOUT_PLACEHOLDER,
    `--release=${RELEASE_PLACEHOLDER}`,
    `--delivery-pipeline=${rollout.pipelineName}`,
    `--project=${rollout.projectId}`,
    `--region=${rollout.region}`,
  ];
}

/** `gcloud deploy targets rollback`: the stage's target back to `release`, else to the release before. */
export function targetRollbackCommand(
  rollout: ResolvedRollout,
  stage: ResolvedRolloutStage,
  release?: string,
): string[] {
  return [
    "gcloud",
    "deploy",
    "targets",
    "rollback",
    stage.targetName,
    `--delivery-pipeline=${rollout.pipelineName}`,
    `--project=${rollout.projectId}`,
    `--region=${rollout.region}`,
    ...(release ? [`--release=${release}`] : []),
  ];
}

/** A plan as the lines printed: notes, each step's comment and command, then what makes it last. */
export function rollbackLines(plan: RollbackPlan): string[] {
  return [...plan.notes, ...plan.steps.flatMap((s) => [s.comment, shellLine(s.argv)]), ...plan.durable];
}
